import type { ExecutionResult } from 'graphql';
import type { Caller } from '../caller';
import type { StatusChangeEvent } from './order-event-feed';

/**
 * Which events a subscription field delivers: the router's only knowledge of the subscription
 * fields (what an event contains comes from the owning subgraph, through the query plan). A topic
 * is `order:<id>` or `user:<id>`; null when the caller cannot have that topic.
 */
const FIELD_TOPICS: Record<string, (args: Record<string, unknown>, caller: Caller) => string | null> = {
  orderStatusChanged: (args) => `order:${String(args['orderId'])}`,
  myOrderUpdates: (_args, caller) => (caller.kind === 'user' ? `user:${caller.userId}` : null),
};

export function topicOf(field: string, args: Record<string, unknown>, caller: Caller): string | null {
  return Object.hasOwn(FIELD_TOPICS, field) ? (FIELD_TOPICS[field]?.(args, caller) ?? null) : null;
}

/** The topics an event is published to. */
function topicsOf(event: StatusChangeEvent): string[] {
  return [`order:${event.payload.orderId}`, `user:${event.payload.userId}`];
}

export interface LiveSubscriptionOptions {
  /** Resolves one event into the subscriber's result (through the query plan). */
  resolve: (event: StatusChangeEvent) => Promise<ExecutionResult>;
  /** Events waiting beyond this mean the subscriber cannot keep up. */
  maxQueued: number;
  /** True while the subscriber's socket has more unsent bytes than allowed. */
  congested: () => boolean;
  /** Called once when the subscriber cannot keep up; the subscription has ended. */
  onOverflow: () => void;
  /** Called once when the subscription ends, however it ends. */
  onEnd: () => void;
}

const DONE: IteratorResult<ExecutionResult> = { done: true, value: undefined };

/**
 * One client subscription: a bounded queue of events, resolved one at a time so results leave in
 * the order the events came, as the async iterator graphql-ws sends from. A change older than (or
 * equal to) one already delivered for its order is skipped, so a redelivered or late event never
 * takes a client back. `return()` ends it at once, even while it waits for an event.
 */
export class LiveSubscription implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: StatusChangeEvent[] = [];
  private readonly delivered = new Map<string, number>();
  private wake: (() => void) | null = null;
  private ended = false;

  constructor(private readonly options: LiveSubscriptionOptions) {}

  push(event: StatusChangeEvent): void {
    if (this.ended) return;
    if (this.queue.length >= this.options.maxQueued || this.options.congested()) {
      this.end();
      this.options.onOverflow();
      return;
    }
    this.queue.push(event);
    this.wake?.();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    for (;;) {
      if (this.ended) return DONE;
      const event = this.queue.shift();
      if (!event) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const { orderId, sequence } = event.payload;
      if (sequence <= (this.delivered.get(orderId) ?? 0)) continue;
      this.delivered.set(orderId, sequence);
      const value = await this.options.resolve(event);
      return this.ended ? DONE : { done: false, value };
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.wake?.();
    this.options.onEnd();
  }
}

/** The live subscriptions of this replica by topic: each event goes to the subscriptions of its topics. */
export class SubscriptionHub {
  private readonly topics = new Map<string, Set<LiveSubscription>>();
  private total = 0;

  /** Registers `subscription` under `topic`; the returned function removes it. */
  add(topic: string, subscription: LiveSubscription): () => void {
    let subscribers = this.topics.get(topic);
    if (!subscribers) {
      subscribers = new Set();
      this.topics.set(topic, subscribers);
    }
    subscribers.add(subscription);
    this.total += 1;
    return () => {
      if (!subscribers.delete(subscription)) return;
      this.total -= 1;
      if (subscribers.size === 0) this.topics.delete(topic);
    };
  }

  publish(event: StatusChangeEvent): void {
    for (const topic of topicsOf(event)) {
      for (const subscription of this.topics.get(topic) ?? []) subscription.push(event);
    }
  }

  get size(): number {
    return this.total;
  }
}
