import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@minishop/db';
import { metrics } from '@minishop/runtime';
import { Broker, eventually, payloadFor, runnerOptions, testPrisma, uniqueName } from '../../test/fixtures';
import type { Consumer, EventMeta } from './consumer';
import { ConsumerRunner, type ConsumerRunnerOptions } from './consumer-runner';

describe('ConsumerRunner', () => {
  let prisma: PrismaClient;
  let broker: Broker;
  const runners: ConsumerRunner[] = [];

  const start = async (consumer: Consumer<'order.paid'>, overrides: Partial<ConsumerRunnerOptions> = {}) => {
    const runner = new ConsumerRunner(consumer, runnerOptions(prisma, broker.exchange, overrides));
    runners.push(runner);
    runner.start();
    await eventually('runner connected', () => runner.ready);
    return runner;
  };
  const paid = (orderId = randomUUID()) => payloadFor('order.paid', { orderId, userId: randomUUID() });
  /** This process's consumer_events_total for one consumer and outcome (the runners here share the registry). */
  const counted = async (consumer: string, outcome: string) => {
    const metric = metrics.getSingleMetric('consumer_events_total');
    if (!metric) throw new Error('consumer_events_total is not registered');
    const { values } = await metric.get();
    return values
      .filter((value) => value.labels['consumer'] === consumer && value.labels['outcome'] === outcome)
      .reduce((sum, value) => sum + value.value, 0);
  };

  beforeAll(() => {
    prisma = testPrisma();
  });
  beforeEach(async () => {
    broker = await Broker.create(uniqueName('events'));
  });
  afterEach(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await broker.dispose(runners.splice(0).map((runner) => runner.queues));
  });
  afterAll(() => prisma.$disconnect());

  it('sends poison messages to the DLQ at once and goes on with the next message', async () => {
    const handled: string[] = [];
    const runner = await start({
      name: 'poison',
      events: ['order.paid'],
      handle: async (_tx, event) => {
        handled.push(event.payload.orderId);
        return undefined;
      },
    });
    const good = paid();
    broker.publish('order.paid', randomUUID(), null, Buffer.from('{not json'));
    broker.publish('order.paid', randomUUID(), { ...paid(), items: [] });
    broker.publish('order.paid', 'not-a-uuid', paid());
    broker.publish('order.paid', randomUUID(), good);

    await eventually('the good message', () => handled.includes(good.orderId));
    await eventually('3 dead letters', async () => (await broker.count(runner.queues.dlq)) === 3);
    expect(handled).toEqual([good.orderId]);
    expect([await counted('poison', 'dead_lettered'), await counted('poison', 'processed')]).toEqual([3, 1]);
    const dead = await broker.drain(runner.queues.dlq);
    expect(dead.map((message) => message.properties.headers?.['x-attempt'])).toEqual([1, 1, 1]);
    expect(dead.map((message) => String(message.properties.headers?.['x-last-error']))).toEqual([
      'body is not JSON',
      expect.stringContaining('invalid order.paid payload: items'),
      'message id is not an event id (uuid)',
    ]);
  });

  it('retries a failing event through the retry queue, then dead-letters it after maxAttempts', async () => {
    const attempts: EventMeta[] = [];
    const runner = await start(
      {
        name: 'failing',
        events: ['order.paid'],
        handle: async (_tx, event) => {
          attempts.push(event.meta);
          throw new Error('downstream unavailable');
        },
      },
      { maxAttempts: 3 },
    );
    const id = randomUUID();
    broker.publish('order.paid', id, paid());

    await eventually('a dead letter', async () => (await broker.count(runner.queues.dlq)) === 1);
    expect(attempts.map((meta) => meta.attempt)).toEqual([1, 2, 3]);
    expect([await counted('failing', 'retried'), await counted('failing', 'dead_lettered')]).toEqual([2, 1]);
    expect((await runner.queueDepths()).dlq).toBe(1);
    expect(attempts.every((meta) => meta.eventId === id && meta.type === 'order.paid')).toBe(true);
    expect(attempts[0]?.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    const [dead] = await broker.drain(runner.queues.dlq);
    expect(dead?.properties.messageId).toBe(id);
    expect(dead?.properties.headers).toMatchObject({
      'x-attempt': 3,
      'x-last-error': 'downstream unavailable',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(await broker.count(runner.queues.main)).toBe(0);
  });

  it('rolls back a failed attempt (processed mark included), so the retry applies the event', async () => {
    const eventId = randomUUID();
    const applied: number[] = [];
    await start({
      name: 'flaky',
      events: ['order.paid'],
      async markProcessed(tx, meta) {
        const { count } = await tx.notificationsProcessedEvent.createMany({
          data: [{ eventId: meta.eventId, consumer: 'flaky' }],
          skipDuplicates: true,
        });
        return count === 1;
      },
      handle: async (_tx, event) => {
        if (event.meta.attempt === 1) throw new Error('first attempt fails');
        applied.push(event.meta.attempt);
        return undefined;
      },
    });
    try {
      broker.publish('order.paid', eventId, paid());
      await eventually('applied on the retry', () => applied.length === 1);
      expect(applied).toEqual([2]);
      expect(await prisma.notificationsProcessedEvent.count({ where: { eventId } })).toBe(1);
    } finally {
      await prisma.notificationsProcessedEvent.deleteMany({ where: { eventId } });
    }
  });
});
