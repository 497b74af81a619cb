import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import type { PrismaClient } from '@minishop/db';
import { metrics } from '@minishop/runtime';
import { eventually, insertOutbox, relayOptions, Tap, testPrisma, testUrls, uniqueName } from '../../test/fixtures';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';

describe('OutboxRelay', () => {
  let prisma: PrismaClient;
  let exchange: string;
  let aggregateId: string;
  let tap: Tap;
  const relays: OutboxRelay[] = [];

  const startRelay = (overrides: Partial<OutboxRelayOptions> = {}) => {
    const relay = new OutboxRelay(relayOptions(prisma, exchange, [aggregateId], overrides));
    relays.push(relay);
    relay.start();
    return relay;
  };
  const unpublished = () => prisma.outboxEvent.count({ where: { aggregateId, publishedAt: null } });
  /** The sum of a counter of this process over all its labels. */
  const counterTotal = async (name: string) => {
    const metric = metrics.getSingleMetric(name);
    if (!metric) throw new Error(`${name} is not registered`);
    return (await metric.get()).values.reduce((sum, value) => sum + value.value, 0);
  };

  beforeAll(() => {
    prisma = testPrisma();
  });

  beforeEach(async () => {
    exchange = uniqueName('events');
    aggregateId = randomUUID();
    tap = await Tap.create(testUrls().amqpUrl, exchange);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await tap.dispose(exchange);
    await prisma.outboxEvent.deleteMany({ where: { aggregateId } });
  });

  afterAll(() => prisma.$disconnect());

  it('publishes committed rows as persistent confirmed messages and marks them published', async () => {
    const ids = await insertOutbox(prisma, aggregateId, 3);
    startRelay();

    await eventually('3 messages', () => tap.messages.length === 3);
    expect(tap.ids().sort()).toEqual([...ids].sort());
    const message = tap.messages[0];
    expect(message?.fields.routingKey).toBe('order.paid');
    expect(message?.properties).toMatchObject({
      type: 'order.paid',
      contentType: 'application/json',
      deliveryMode: 2,
      headers: { aggregateId, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    expect(typeof message?.properties.timestamp).toBe('number');
    const row = await prisma.outboxEvent.findUniqueOrThrow({ where: { id: String(message?.properties.messageId) } });
    expect(JSON.parse(message?.content.toString('utf8') ?? '')).toEqual(row.payload);

    await eventually('rows marked', async () => (await unpublished()) === 0);
    const rows = await prisma.outboxEvent.findMany({ where: { aggregateId } });
    expect(rows.every((r) => r.publishedAt !== null && r.attempts === 1 && r.lastError === null)).toBe(true);
  });

  it('wakes on NOTIFY when a row commits, without waiting for the poll', async () => {
    // The poll would only come after 10 minutes: only the NOTIFY can explain a publish now.
    const relay = startRelay({ pollIntervalMs: 600_000 });
    await eventually('relay connected and listening', () => relay.ready && relay.listening);

    const [id] = await insertOutbox(prisma, aggregateId, 1);
    await eventually('the message', () => tap.ids().includes(String(id)));
    await eventually('row marked', async () => (await unpublished()) === 0);
  });

  it('never publishes a row twice with two relays running', async () => {
    const ids = await insertOutbox(prisma, aggregateId, 200);
    startRelay({ batchSize: 7 });
    startRelay({ batchSize: 7 });

    await eventually('all rows published', async () => (await unpublished()) === 0);
    await eventually('200 messages', () => tap.messages.length >= 200);
    expect(tap.messages).toHaveLength(200);
    expect(new Set(tap.ids())).toEqual(new Set(ids));
  });

  it('backs off after a failed publish and retries until the broker takes it', async () => {
    const relay = startRelay();
    await eventually('relay connected', () => relay.ready);
    // Publishing to a missing exchange fails (404 closes the channel); the reconnect declares it again.
    const model = await connect(testUrls().amqpUrl);
    const channel = await model.createChannel();
    await channel.deleteExchange(exchange);
    await model.close();

    const before = {
      failures: await counterTotal('outbox_publish_failures_total'),
      published: await counterTotal('outbox_events_published_total'),
    };
    const [id] = await insertOutbox(prisma, aggregateId, 1);
    await eventually('a recorded failure', async () => {
      const row = await prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
      return row.lastError !== null;
    });
    const failed = await prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
    expect(failed.attempts).toBeGreaterThanOrEqual(1);
    expect(failed.availableAt.getTime()).toBeGreaterThan(failed.createdAt.getTime());
    const backlog = await relay.backlog();
    expect(backlog.events).toBeGreaterThanOrEqual(1);
    expect(backlog.oldestAgeSeconds).toBeGreaterThan(0);
    expect((await counterTotal('outbox_publish_failures_total')) - before.failures).toBeGreaterThanOrEqual(1);

    await eventually('published after retry', async () => (await unpublished()) === 0);
    const published = await prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
    expect(published.attempts).toBeGreaterThan(failed.attempts);
    expect((await counterTotal('outbox_events_published_total')) - before.published).toBe(1);
  });

  it('deletes published rows past the retention, and only those', async () => {
    const [old, recent, pending] = await insertOutbox(prisma, aggregateId, 3);
    const day = 24 * 3600 * 1000;
    await prisma.outboxEvent.update({ where: { id: old }, data: { publishedAt: new Date(Date.now() - 8 * day) } });
    await prisma.outboxEvent.update({ where: { id: recent }, data: { publishedAt: new Date(Date.now() - day) } });
    const relay = new OutboxRelay(relayOptions(prisma, exchange, [aggregateId]));

    await expect(relay.cleanup()).resolves.toBe(1);
    const left = await prisma.outboxEvent.findMany({ where: { aggregateId }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([recent, pending].sort());
  });
});
