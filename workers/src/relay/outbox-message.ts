import type { Options } from 'amqplib';

/** The columns of an orders.outbox row the relay publishes. */
export interface OutboxRow {
  id: string;
  type: string;
  aggregateId: string;
  payload: unknown;
  traceparent: string | null;
  createdAt: Date;
  attempts: number;
}

export interface OutboxMessage {
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/** The AMQP message for an outbox row: routing key = type, message id = event id, persistent JSON. */
export function toOutboxMessage(row: OutboxRow): OutboxMessage {
  const headers: Record<string, string> = { aggregateId: row.aggregateId };
  if (row.traceparent) headers.traceparent = row.traceparent;
  return {
    routingKey: row.type,
    content: Buffer.from(JSON.stringify(row.payload)),
    options: {
      messageId: row.id,
      type: row.type,
      contentType: 'application/json',
      persistent: true,
      timestamp: Math.floor(row.createdAt.getTime() / 1000),
      headers,
    },
  };
}
