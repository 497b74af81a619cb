import { z } from 'zod';

/**
 * Domain events are contracts: one name and one versioned schema each, validated when written to
 * the outbox and again when consumed. Published to this RabbitMQ topic exchange with the event type
 * as routing key, the event id as message id, the payload as JSON body and the writer's W3C
 * traceparent in the `traceparent` header.
 */
export const EVENTS_EXCHANGE = 'minishop.events';

const uuid = z.uuid();
const orderStatus = z.enum(['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED']);
const line = z.object({ productId: uuid, quantity: z.number().int().positive() });
const pricedLine = line.extend({ unitPriceAmount: z.number().int().nonnegative() });
const amount = z.number().int().nonnegative();
const timestamp = z.iso.datetime();

export const eventSchemas = {
  'order.created': z.object({
    version: z.literal(1),
    orderId: uuid,
    userId: uuid,
    items: z.array(pricedLine).min(1),
    subtotalAmount: amount,
    discountAmount: amount,
    totalAmount: amount,
    currency: z.string().length(3),
    couponCode: z.string().nullable(),
    placedAt: timestamp,
  }),
  'order.paid': z.object({
    version: z.literal(1),
    orderId: uuid,
    userId: uuid,
    items: z.array(line).min(1),
    totalAmount: amount,
    currency: z.string().length(3),
    paidAt: timestamp,
  }),
  'order.status_changed': z.object({
    version: z.literal(1),
    orderId: uuid,
    userId: uuid,
    from: orderStatus,
    to: orderStatus,
    /** Who changed it; null for the system. */
    actorId: uuid.nullable(),
    changedAt: timestamp,
    /** The change's position in the order's history (1 = placement): increases with every change of one order. */
    sequence: z.number().int().positive(),
  }),
  'order.cancelled': z.object({
    version: z.literal(1),
    orderId: uuid,
    userId: uuid,
    from: orderStatus,
    items: z.array(line).min(1),
    couponCode: z.string().nullable(),
    actorId: uuid.nullable(),
    cancelledAt: timestamp,
  }),
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventPayload<Type extends EventType> = z.infer<(typeof eventSchemas)[Type]>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventSchemas, type);
}

/** Validates a payload against its event's schema; throws a readable error naming the event. */
export function parseEventPayload<Type extends EventType>(type: Type, payload: unknown): EventPayload<Type> {
  const result = eventSchemas[type].safeParse(payload);
  if (!result.success) {
    throw new Error(
      `invalid ${type} payload: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return result.data as EventPayload<Type>;
}
