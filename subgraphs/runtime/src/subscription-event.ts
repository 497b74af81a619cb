import type { IncomingHttpHeaders } from 'node:http';
import { badUserInput } from './errors';

/**
 * How the router hands the subgraph that owns a subscription field the event it is resolving: the
 * router consumes the events (RabbitMQ) and, per event and subscriber, sends the planner's
 * subscription fetch to the subgraph with the event in this header. Without it, the fetch is the
 * router's subscribe-time check (access only).
 */
export const SUBSCRIPTION_EVENT_HEADER = 'x-minishop-subscription-event';

/** A domain event as the router received it: the message id, the routing key (event type) and the JSON body. */
export interface DeliveredEvent {
  id: string;
  type: string;
  payload: unknown;
}

export function encodeSubscriptionEvent(event: DeliveredEvent): string {
  return Buffer.from(JSON.stringify(event)).toString('base64url');
}

/** The event in a request's header, or null without one; a malformed header is BAD_USER_INPUT. */
export function readSubscriptionEvent(headers: IncomingHttpHeaders): DeliveredEvent | null {
  const header = headers[SUBSCRIPTION_EVENT_HEADER];
  if (header === undefined) return null;
  try {
    const event = JSON.parse(Buffer.from(String(header), 'base64url').toString('utf8')) as Partial<DeliveredEvent>;
    if (typeof event.id === 'string' && typeof event.type === 'string' && 'payload' in event) {
      return { id: event.id, type: event.type, payload: event.payload };
    }
  } catch {
    // reported below
  }
  throw badUserInput(`The ${SUBSCRIPTION_EVENT_HEADER} header is not a valid event`);
}
