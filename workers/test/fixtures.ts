import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConsumeMessage, type GetMessage } from 'amqplib';
import { createPrismaClient, type PrismaClient } from '@minishop/db';
import { createLogger, parseEventPayload, type EventPayload, type EventType, type Logger } from '@minishop/runtime';
import type { ConsumerQueues, ConsumerRunnerOptions } from '../src/consumers/consumer-runner';
import type { OutboxRelayOptions } from '../src/relay/outbox-relay';

/** The test stack's services, set by the jest global setup. */
export function testUrls(): { databaseUrl: string; amqpUrl: string } {
  const { DATABASE_URL, AMQP_URL } = process.env;
  if (!DATABASE_URL || !AMQP_URL) throw new Error('DATABASE_URL / AMQP_URL missing: run through the jest global setup');
  return { databaseUrl: DATABASE_URL, amqpUrl: AMQP_URL };
}

/** Test logs are silent; TEST_LOG_LEVEL=debug shows what the workers do. */
export const testLogger = (): Logger => createLogger('workers-test', process.env.TEST_LOG_LEVEL ?? 'silent');

export const testPrisma = (): PrismaClient => createPrismaClient(testUrls().databaseUrl);

/** A name no other test uses: exchanges and queues are per test. */
export const uniqueName = (what: string): string => `test.${what}.${randomUUID().slice(0, 8)}`;

export const fast = { baseMs: 50, maxMs: 400 };

/** Relay options for tests: short timings, restricted to the test's own aggregates. */
export function relayOptions(
  prisma: PrismaClient,
  exchange: string,
  aggregateIds: string[],
  overrides: Partial<OutboxRelayOptions> = {},
): OutboxRelayOptions {
  const { databaseUrl, amqpUrl } = testUrls();
  return {
    prisma,
    databaseUrl,
    amqpUrl,
    exchange,
    logger: testLogger(),
    batchSize: 50,
    pollIntervalMs: 200,
    retryBackoff: fast,
    reconnectBackoff: fast,
    confirmTimeoutMs: 5000,
    retentionMs: 7 * 24 * 3600 * 1000,
    cleanupIntervalMs: 3_600_000,
    aggregateIds,
    ...overrides,
  };
}

/** A valid payload of each event type, for an order of `userId`. */
export function payloadFor<Type extends EventType>(
  type: Type,
  ids: { orderId: string; userId: string; productIds?: string[] },
  overrides: Record<string, unknown> = {},
): EventPayload<Type> {
  const now = new Date().toISOString();
  const productIds = ids.productIds ?? [randomUUID()];
  const lines = productIds.map((productId) => ({ productId, quantity: 2 }));
  const base = { version: 1, orderId: ids.orderId, userId: ids.userId };
  const payloads: Record<EventType, Record<string, unknown>> = {
    'order.created': {
      ...base,
      items: lines.map((line) => ({ ...line, unitPriceAmount: 1250 })),
      subtotalAmount: 2500 * lines.length,
      discountAmount: 0,
      totalAmount: 2500 * lines.length,
      currency: 'EUR',
      couponCode: null,
      placedAt: now,
    },
    'order.paid': { ...base, items: lines, totalAmount: 2500 * lines.length, currency: 'EUR', paidAt: now },
    'order.status_changed': { ...base, from: 'PAID', to: 'SHIPPED', actorId: null, changedAt: now, sequence: 3 },
    'order.cancelled': {
      ...base,
      from: 'PENDING',
      items: lines,
      couponCode: null,
      actorId: null,
      cancelledAt: now,
    },
  };
  return parseEventPayload(type, { ...payloads[type], ...overrides });
}

/** Inserts outbox rows the way the orders subgraph does (payload validated against the contract). */
export async function insertOutbox(
  prisma: PrismaClient,
  aggregateId: string,
  count: number,
  type: EventType = 'order.paid',
): Promise<string[]> {
  const rows = Array.from({ length: count }, () => ({
    id: randomUUID(),
    type,
    aggregateId,
    payload: payloadFor(type, { orderId: aggregateId, userId: randomUUID() }),
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  }));
  await prisma.outboxEvent.createMany({ data: rows });
  return rows.map((row) => row.id);
}

/** A queue bound to every event on `exchange` that records what arrives. */
export class Tap {
  readonly messages: ConsumeMessage[] = [];
  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: Channel,
    readonly queue: string,
  ) {}

  static async create(url: string, exchange: string): Promise<Tap> {
    const model = await connect(url);
    const channel = await model.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const queue = uniqueName('tap');
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, exchange, '#');
    const tap = new Tap(model, channel, queue);
    await channel.consume(queue, (message) => message && tap.messages.push(message), { noAck: true });
    return tap;
  }

  ids(): string[] {
    return this.messages.map((message) => String(message.properties.messageId));
  }

  async dispose(exchange?: string): Promise<void> {
    await this.channel.deleteQueue(this.queue);
    if (exchange) await this.channel.deleteExchange(exchange);
    await this.model.close();
  }
}

/** Polls `check` until it returns true; gives up (throws) after `timeoutMs`, a bound rather than a timing assertion. */
export async function eventually(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Consumer runner options for tests: short retry delay, unique queues. */
export function runnerOptions(
  prisma: PrismaClient,
  exchange: string,
  overrides: Partial<ConsumerRunnerOptions> = {},
): ConsumerRunnerOptions {
  return {
    prisma,
    amqpUrl: testUrls().amqpUrl,
    exchange,
    queuePrefix: uniqueName('queue'),
    logger: testLogger(),
    prefetch: 1,
    maxAttempts: 3,
    retryDelayMs: 50,
    reconnectBackoff: fast,
    ...overrides,
  };
}

/** A publisher on the test broker, standing in for the relay; also inspects and deletes queues. */
export class Broker {
  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: Channel,
    readonly exchange: string,
  ) {}

  static async create(exchange: string): Promise<Broker> {
    const model = await connect(testUrls().amqpUrl);
    const channel = await model.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    return new Broker(model, channel, exchange);
  }

  /** Publishes an event as the relay would; `body` replaces the JSON payload (poison tests). */
  publish(type: EventType, id: string, payload: unknown, body?: Buffer): void {
    this.channel.publish(this.exchange, type, body ?? Buffer.from(JSON.stringify(payload)), {
      messageId: id,
      type,
      contentType: 'application/json',
      persistent: true,
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
  }

  async count(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  /** Takes every message off a queue. */
  async drain(queue: string): Promise<GetMessage[]> {
    const messages: GetMessage[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (!message) return messages;
      messages.push(message);
    }
  }

  async dispose(queues: ConsumerQueues[]): Promise<void> {
    for (const { main, retry, dlq } of queues) {
      for (const queue of [main, retry, dlq]) await this.channel.deleteQueue(queue);
    }
    await this.channel.deleteExchange(this.exchange);
    await this.model.close();
  }
}
