import type { Prisma } from '@minishop/db';
import { activeTraceparent, parseEventPayload, type EventPayload, type EventType } from '@minishop/runtime';
import { randomUUID } from 'node:crypto';

/** A W3C traceparent: version-traceid-parentid-flags (55 characters). */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Writes one domain event to the outbox inside the caller's transaction, so it commits (and is
 * later published by the relay) exactly when the business change does. The payload is validated
 * against the event's schema first: an invalid one throws and rolls the transaction back. The row
 * carries the active span's traceparent (the request's own when tracing is off here), so the relay,
 * the consumers and the subscription deliveries continue the request's trace.
 */
export async function writeOutboxEvent<Type extends EventType>(
  tx: Prisma.TransactionClient,
  event: { type: Type; aggregateId: string; payload: EventPayload<Type>; traceparent?: string },
): Promise<void> {
  const payload = parseEventPayload(event.type, event.payload);
  await tx.outboxEvent.create({
    data: {
      id: randomUUID(),
      type: event.type,
      aggregateId: event.aggregateId,
      payload: payload as Prisma.InputJsonObject,
      traceparent: traceparentOf(event.traceparent),
    },
  });
}

function traceparentOf(requested: string | undefined): string | null {
  const traceparent = activeTraceparent() ?? requested;
  return traceparent && TRACEPARENT.test(traceparent) ? traceparent : null;
}
