import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { connect } from 'amqplib';
import type { PrismaClient } from '@minishop/db';
import { OutboxRelay } from '../src/relay/outbox-relay';
import { eventually, insertOutbox, relayOptions, Tap, testPrisma, testUrls, uniqueName } from './fixtures';
import { PrivateRabbit } from './private-rabbit';

jest.setTimeout(180_000);

/** Every message id in a durable queue (drained with a fresh connection). */
async function drainIds(url: string, queue: string): Promise<string[]> {
  const model = await connect(url);
  const channel = await model.createChannel();
  const ids: string[] = [];
  for (
    let message = await channel.get(queue, { noAck: true });
    message;
    message = await channel.get(queue, { noAck: true })
  ) {
    ids.push(String(message.properties.messageId));
  }
  await channel.deleteQueue(queue);
  await model.close();
  return ids;
}

describe('outbox relay under faults', () => {
  let prisma: PrismaClient;
  let aggregateId: string;

  beforeAll(() => {
    prisma = testPrisma();
  });
  beforeEach(() => {
    aggregateId = randomUUID();
  });
  afterEach(() => prisma.outboxEvent.deleteMany({ where: { aggregateId } }));
  afterAll(() => prisma.$disconnect());

  it('delivers every row when RabbitMQ stops while rows are written and comes back', async () => {
    const rabbit = await PrivateRabbit.create();
    let relay: OutboxRelay | undefined;
    try {
      await rabbit.start();
      const exchange = uniqueName('events');
      const queue = uniqueName('durable-tap');
      const model = await connect(rabbit.url);
      const channel = await model.createChannel();
      await channel.assertExchange(exchange, 'topic', { durable: true });
      await channel.assertQueue(queue, { durable: true });
      await channel.bindQueue(queue, exchange, '#');
      await model.close();

      relay = new OutboxRelay({ ...relayOptions(prisma, exchange, [aggregateId]), amqpUrl: rabbit.url });
      relay.start();
      const before = await insertOutbox(prisma, aggregateId, 20);
      await eventually(
        'first rows published',
        async () => (await prisma.outboxEvent.count({ where: { aggregateId, publishedAt: null } })) === 0,
      );

      await rabbit.stop();
      const during = await insertOutbox(prisma, aggregateId, 20);
      await eventually('the relay noticing the broker is gone', async () => !(relay?.ready ?? false));
      await rabbit.start();
      const after = await insertOutbox(prisma, aggregateId, 5);

      await eventually(
        'every row published',
        async () => (await prisma.outboxEvent.count({ where: { aggregateId, publishedAt: null } })) === 0,
        60_000,
      );
      const delivered = new Set(await drainIds(rabbit.url, queue));
      for (const id of [...before, ...during, ...after]) expect(delivered.has(id)).toBe(true);
    } finally {
      await relay?.stop();
      await rabbit.dispose();
    }
  });

  it('loses nothing when the relay is killed mid-batch (a second relay finishes, duplicates allowed)', async () => {
    const { databaseUrl, amqpUrl } = testUrls();
    const exchange = uniqueName('events');
    const tap = await Tap.create(amqpUrl, exchange);
    const ids = await insertOutbox(prisma, aggregateId, 400);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'relay-process.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        AMQP_URL: amqpUrl,
        EXCHANGE: exchange,
        AGGREGATE_ID: aggregateId,
        BATCH_SIZE: '20',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let relay: OutboxRelay | undefined;
    try {
      await eventually('the child relay at work', () => tap.messages.length > 0);
      child.kill('SIGKILL');
      await exited;
      const unpublishedAtKill = await prisma.outboxEvent.count({ where: { aggregateId, publishedAt: null } });
      expect(unpublishedAtKill).toBeGreaterThan(0);

      relay = new OutboxRelay(relayOptions(prisma, exchange, [aggregateId], { batchSize: 50 }));
      relay.start();
      await eventually(
        'every row published',
        async () => (await prisma.outboxEvent.count({ where: { aggregateId, publishedAt: null } })) === 0,
      );
      await eventually('every id delivered', () => new Set(tap.ids()).size === ids.length);
      expect(new Set(tap.ids())).toEqual(new Set(ids));
    } finally {
      child.kill('SIGKILL');
      await relay?.stop();
      await tap.dispose(exchange);
    }
  });
});
