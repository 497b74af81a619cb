import type { Prisma } from '@minishop/db';
import type { EventPayload, EventType, Logger } from '@minishop/runtime';

export type Tx = Prisma.TransactionClient;

/** What a handler knows about the delivery besides the payload (all of it goes into its logs). */
export interface EventMeta {
  eventId: string;
  type: EventType;
  traceparent: string | null;
  /** 1 for the first delivery, +1 per retry through the retry queue. */
  attempt: number;
}

/** A validated event, discriminated by `type`. */
export type ConsumedEvent<Type extends EventType> = {
  [K in Type]: { type: K; payload: EventPayload<K>; meta: EventMeta };
}[Type];

/** Work to do once the transaction committed (e.g. sending an email); its failure is only logged. */
export type AfterCommit = () => Promise<void>;

/** One consumer: a durable queue bound to `events`, writing only to its own domain's schema. */
export interface Consumer<Type extends EventType = EventType> {
  /** Queue name suffix and log name, e.g. `notifications`. */
  readonly name: string;
  readonly events: readonly Type[];
  /**
   * Records the event as processed inside the handler's transaction, first. Resolves false when
   * it already was (the delivery is then acked without running `handle`). Omitted when the effect
   * is idempotent by itself.
   */
  markProcessed?(tx: Tx, meta: EventMeta): Promise<boolean>;
  /** Applies the event in the transaction; a throw rolls back and sends the message to retry. */
  handle(tx: Tx, event: ConsumedEvent<Type>, logger: Logger): Promise<AfterCommit | undefined>;
}
