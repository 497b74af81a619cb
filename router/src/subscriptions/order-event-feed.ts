import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ConsumeMessage } from 'amqplib';
import { LRUCache } from 'lru-cache';
import { AmqpSession, parseEventPayload, type Backoff, type EventPayload, type Logger } from '@minishop/runtime';

export const STATUS_CHANGED = 'order.status_changed';

/** One order.status_changed event as this router received it. */
export interface StatusChangeEvent {
  /** The event id (the outbox row id, sent as the AMQP message id). */
  id: string;
  payload: EventPayload<typeof STATUS_CHANGED>;
  /** The W3C traceparent the message carried: deliveries continue the trace of the change. */
  traceparent?: string;
}

export interface OrderEventFeedOptions {
  amqpUrl: string;
  exchange: string;
  logger: Logger;
  reconnect: Backoff;
  /** Event ids remembered to drop the relay's redeliveries (it publishes at least once). */
  rememberedEvents: number;
  /** Bound on this replica's queue while it lags behind: the oldest events are dropped first. */
  maxQueuedEvents: number;
  onEvent: (event: StatusChangeEvent) => void;
}

/**
 * This router replica's feed of order status changes: its own exclusive, auto-deleted queue bound
 * to the events exchange, so every replica sees every event (and a stopped replica leaves no queue
 * behind). Delivery is live only: what happens while disconnected is not replayed — clients re-read
 * the current status after reconnecting. Each event id passes once; malformed messages are dropped.
 */
export class OrderEventFeed {
  readonly queue = `minishop.router.${hostname()}.${randomUUID().slice(0, 8)}`;
  private readonly seen: LRUCache<string, true>;
  private readonly session: AmqpSession;

  constructor(private readonly options: OrderEventFeedOptions) {
    this.seen = new LRUCache({ max: options.rememberedEvents });
    this.session = new AmqpSession({
      url: options.amqpUrl,
      logger: options.logger,
      reconnect: options.reconnect,
      onConnect: async (model) => {
        const channel = await model.createChannel();
        channel.on('error', (error: Error) => options.logger.warn({ err: error }, 'subscription feed channel error'));
        channel.on('close', () => void model.close().catch(() => undefined));
        await channel.assertExchange(options.exchange, 'topic', { durable: true });
        await channel.assertQueue(this.queue, {
          exclusive: true,
          autoDelete: true,
          durable: false,
          arguments: { 'x-max-length': options.maxQueuedEvents, 'x-overflow': 'drop-head' },
        });
        await channel.bindQueue(this.queue, options.exchange, STATUS_CHANGED);
        // No acks: a live feed has nothing to redeliver to (the queue dies with the connection).
        await channel.consume(this.queue, (message) => message && this.receive(message), { noAck: true });
      },
    });
  }

  /** True while connected to the broker and consuming. */
  get ready(): boolean {
    return this.session.connected;
  }

  start(): void {
    this.session.start();
  }

  stop(): Promise<void> {
    return this.session.stop();
  }

  private receive(message: ConsumeMessage): void {
    const id = message.properties.messageId as unknown;
    try {
      if (typeof id !== 'string' || id.length === 0) throw new Error('message without an id');
      if (this.seen.has(id)) return;
      const payload = parseEventPayload(STATUS_CHANGED, JSON.parse(message.content.toString('utf8')));
      this.seen.set(id, true);
      const traceparent = message.properties.headers?.traceparent as unknown;
      this.options.onEvent({ id, payload, ...(typeof traceparent === 'string' ? { traceparent } : {}) });
    } catch (error) {
      this.options.logger.warn({ err: error, eventId: id }, 'dropped a malformed order event');
    }
  }
}
