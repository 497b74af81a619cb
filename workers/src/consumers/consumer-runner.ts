import type { Channel, ConfirmChannel, ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import { z } from 'zod';
import type { PrismaClient } from '@minishop/db';
import {
  AmqpSession,
  Counter,
  deliveryContext,
  Gauge,
  Histogram,
  inSpan,
  isEventType,
  LATENCY_BUCKETS,
  metrics,
  parseEventPayload,
  recordFailure,
  secondsSince,
  SpanKind,
  type Backoff,
  type EventType,
  type Logger,
} from '@minishop/runtime';
import type { Consumer, ConsumedEvent, EventMeta } from './consumer';

/** Header counting deliveries of one event to one consumer (absent = 1). */
export const ATTEMPT_HEADER = 'x-attempt';
/** Header carrying the last handler error on messages in the retry queue and the DLQ. */
export const ERROR_HEADER = 'x-last-error';

export interface ConsumerRunnerOptions {
  prisma: PrismaClient;
  amqpUrl: string;
  exchange: string;
  /** Queues are `<prefix>.<consumer>`, `<prefix>.<consumer>.retry` and `<prefix>.<consumer>.dlq`. */
  queuePrefix: string;
  logger: Logger;
  /** Unacked deliveries at a time. */
  prefetch: number;
  /** Deliveries before an event goes to the DLQ. */
  maxAttempts: number;
  /** How long a failed event waits in the retry queue (a queue argument: changing it needs a new queue). */
  retryDelayMs: number;
  reconnectBackoff: Backoff;
}

export interface ConsumerQueues {
  main: string;
  retry: string;
  dlq: string;
}

const handled = new Counter({
  name: 'consumer_events_total',
  help: 'Deliveries handled, by consumer, event type and outcome (processed, duplicate, retried, dead_lettered)',
  labelNames: ['consumer', 'event_type', 'outcome'] as const,
  registers: [metrics],
});
const handlingDuration = new Histogram({
  name: 'consumer_event_duration_seconds',
  help: 'Time to handle one delivery (transaction and after-commit work), by consumer',
  labelNames: ['consumer'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metrics],
});
/** The runners of this process: their queue depths are read from the broker at scrape time. */
const runningConsumers = new Set<ConsumerRunner>();
new Gauge({
  name: 'consumer_queue_messages',
  help: 'Messages ready in a consumer queue (main, retry, dlq), as the broker counts them',
  labelNames: ['consumer', 'queue'] as const,
  registers: [metrics],
  async collect() {
    this.reset();
    for (const runner of runningConsumers) {
      for (const [queue, messages] of Object.entries(await runner.queueDepths())) {
        this.set({ consumer: runner.name, queue }, messages);
      }
    }
  },
});

/** A message that can never succeed (bad JSON, unknown type, schema-invalid payload): straight to the DLQ. */
class PoisonMessageError extends Error {}

const eventId = z.uuid();

/**
 * Runs one consumer with manual acks and bounded prefetch. A failed handler sends the message to
 * `<queue>.retry`, whose TTL dead-letters it back to the main queue with the attempt header + 1;
 * after `maxAttempts` it goes to `<queue>.dlq`. Each move is confirmed by the broker before the
 * original is acked, so a crash in between only causes a redelivery.
 */
export class ConsumerRunner {
  readonly queues: ConsumerQueues;
  private readonly session: AmqpSession;
  private readonly logger: Logger;
  private consuming: { channel: ConfirmChannel; consumerTag: string } | null = null;
  /** A channel of its own for queue checks: a failed check closes only it, never the consuming one. */
  private inspecting: Channel | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly consumer: Consumer,
    private readonly options: ConsumerRunnerOptions,
  ) {
    const main = `${options.queuePrefix}.${consumer.name}`;
    this.queues = { main, retry: `${main}.retry`, dlq: `${main}.dlq` };
    this.logger = options.logger.child({ consumer: consumer.name });
    this.session = new AmqpSession({
      url: options.amqpUrl,
      logger: this.logger,
      reconnect: options.reconnectBackoff,
      onConnect: async (model) => {
        const channel = await model.createConfirmChannel();
        channel.on('error', (error: Error) => this.logger.warn({ err: error }, 'consumer channel error'));
        channel.on('close', () => void model.close().catch(() => undefined));
        await this.declare(channel);
        const inspecting = await model.createChannel();
        inspecting.on('error', () => undefined);
        inspecting.on('close', () => {
          if (this.inspecting === inspecting) this.inspecting = null;
        });
        this.inspecting = inspecting;
        await channel.prefetch(options.prefetch);
        const { consumerTag } = await channel.consume(this.queues.main, (message) => {
          // null = the broker cancelled the consumer (queue deleted): reconnecting redeclares it.
          if (message === null) return void model.close().catch(() => undefined);
          const delivery = this.deliver(channel, message).finally(() => this.inFlight.delete(delivery));
          this.inFlight.add(delivery);
        });
        this.consuming = { channel, consumerTag };
      },
    });
  }

  get ready(): boolean {
    return this.session.connected;
  }

  get name(): string {
    return this.consumer.name;
  }

  start(): void {
    runningConsumers.add(this);
    this.session.start();
  }

  /** Ready messages per queue (empty while disconnected). */
  async queueDepths(): Promise<Partial<Record<keyof ConsumerQueues, number>>> {
    const channel = this.inspecting;
    if (!channel) return {};
    const depths: Partial<Record<keyof ConsumerQueues, number>> = {};
    for (const [queue, name] of Object.entries(this.queues) as [keyof ConsumerQueues, string][]) {
      depths[queue] = (await channel.checkQueue(name).catch(() => null))?.messageCount ?? 0;
    }
    return depths;
  }

  /** Stops taking deliveries, lets those in progress finish, then closes the connection. */
  async stop(): Promise<void> {
    runningConsumers.delete(this);
    if (this.consuming) {
      const { channel, consumerTag } = this.consuming;
      await channel.cancel(consumerTag).catch(() => undefined);
    }
    await Promise.allSettled([...this.inFlight]);
    await this.session.stop();
  }

  private async declare(channel: ConfirmChannel): Promise<void> {
    const { exchange, retryDelayMs } = this.options;
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(this.queues.main, { durable: true });
    for (const type of this.consumer.events) await channel.bindQueue(this.queues.main, exchange, type);
    await channel.assertQueue(this.queues.retry, {
      durable: true,
      arguments: {
        'x-message-ttl': retryDelayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': this.queues.main,
      },
    });
    await channel.assertQueue(this.queues.dlq, { durable: true });
  }

  /** Handles one delivery in a consumer span continuing the trace of the request that caused the event. */
  private deliver(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const { headers, messageId, type } = message.properties;
    const attempt = readAttempt(headers);
    const settings = {
      kind: SpanKind.CONSUMER,
      parent: deliveryContext(headers?.traceparent),
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'process',
        'messaging.destination.name': String(type ?? message.fields.routingKey),
        'messaging.consumer.group.name': this.consumer.name,
        'messaging.message.id': String(messageId),
        'minishop.delivery.attempt': attempt,
      },
    };
    return inSpan(`process ${String(type ?? message.fields.routingKey)}`, settings, () =>
      this.handleDelivery(channel, message, attempt),
    );
  }

  private async handleDelivery(channel: ConfirmChannel, message: ConsumeMessage, attempt: number): Promise<void> {
    const logger = this.logger.child({ eventId: message.properties.messageId, attempt });
    const start = process.hrtime.bigint();
    const count = (outcome: string) => {
      const eventType = isEventType(String(message.properties.type)) ? String(message.properties.type) : 'unknown';
      handled.inc({ consumer: this.consumer.name, event_type: eventType, outcome });
      handlingDuration.observe({ consumer: this.consumer.name }, secondsSince(start));
    };
    try {
      const event = this.decode(message, attempt);
      const outcome = await this.process(event, logger);
      channel.ack(message);
      count(outcome);
    } catch (error) {
      recordFailure(error);
      const reason = error instanceof Error ? error.message : String(error);
      const poison = error instanceof PoisonMessageError;
      const target = poison || attempt >= this.options.maxAttempts ? this.queues.dlq : this.queues.retry;
      try {
        await forward(channel, target, message, target === this.queues.retry ? attempt + 1 : attempt, reason);
        channel.ack(message);
        count(target === this.queues.dlq ? 'dead_lettered' : 'retried');
        if (target === this.queues.dlq) logger.error({ err: error, poison }, 'event dead-lettered');
        else logger.warn({ err: error }, 'event failed; retrying later');
      } catch (forwardError) {
        // The channel is gone: the unacked delivery comes back after the reconnect.
        logger.warn({ err: forwardError }, 'could not move a failed event; it will be redelivered');
      }
    }
  }

  private decode(message: ConsumeMessage, attempt: number): ConsumedEvent<EventType> {
    const type = message.properties.type ?? message.fields.routingKey;
    if (typeof type !== 'string' || !isEventType(type) || !this.consumer.events.includes(type)) {
      throw new PoisonMessageError(`unexpected event type ${String(type)}`);
    }
    const id = eventId.safeParse(message.properties.messageId);
    if (!id.success) throw new PoisonMessageError('message id is not an event id (uuid)');
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch {
      throw new PoisonMessageError('body is not JSON');
    }
    let payload;
    try {
      payload = parseEventPayload(type, body);
    } catch (error) {
      throw new PoisonMessageError(error instanceof Error ? error.message : String(error));
    }
    const traceparent = message.properties.headers?.traceparent;
    const meta: EventMeta = {
      eventId: id.data,
      type,
      traceparent: typeof traceparent === 'string' ? traceparent : null,
      attempt,
    };
    return { type, payload, meta } as ConsumedEvent<EventType>;
  }

  /** Marks the event processed and applies it in one transaction, then runs its after-commit work. */
  private async process(event: ConsumedEvent<EventType>, logger: Logger): Promise<'processed' | 'duplicate'> {
    const { consumer } = this;
    const outcome = await this.options.prisma.$transaction(async (tx) => {
      if (consumer.markProcessed && !(await consumer.markProcessed(tx, event.meta))) return { duplicate: true };
      return { duplicate: false, afterCommit: await consumer.handle(tx, event, logger) };
    });
    if (outcome.duplicate) {
      logger.info('event already processed; skipped');
      return 'duplicate';
    }
    logger.info({ type: event.type }, 'event processed');
    await outcome.afterCommit?.().catch((error: unknown) => logger.error({ err: error }, 'after-commit work failed'));
    return 'processed';
  }
}

function readAttempt(headers: MessagePropertyHeaders | undefined): number {
  const value = Number(headers?.[ATTEMPT_HEADER] ?? 1);
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

/** Republishes a delivery to a queue (keeping its id, type and trace headers) and waits for the confirm. */
function forward(
  channel: ConfirmChannel,
  queue: string,
  message: ConsumeMessage,
  attempt: number,
  reason: string,
): Promise<void> {
  // Broker-set x- headers (x-death, ...) are dropped: RabbitMQ keeps its own account of dead-lettering.
  const headers = Object.fromEntries(
    Object.entries(message.properties.headers ?? {}).filter(([name]) => !name.startsWith('x-')),
  );
  const { messageId, type, contentType, timestamp } = message.properties;
  return new Promise((resolve, reject) => {
    channel.sendToQueue(
      queue,
      message.content,
      {
        messageId,
        type,
        contentType,
        timestamp,
        persistent: true,
        headers: { ...headers, [ATTEMPT_HEADER]: attempt, [ERROR_HEADER]: reason.slice(0, 1000) },
      },
      (error: unknown) => (error ? reject(new Error(`broker did not confirm: ${String(error)}`)) : resolve()),
    );
  });
}
