import type { OrderStatus } from '@minishop/db';
import { badUserInput, parseEventPayload, requireViewer, type BaseContext, type EventPayload } from '@minishop/runtime';
import type { OrderLoaders, OrderReader } from './service';

/** One OrderStatusEvent, from an order.status_changed event. */
export interface OrderStatusEventView {
  eventId: string;
  orderId: string;
  previousStatus: OrderStatus;
  status: OrderStatus;
  changedAt: Date;
  sequence: number;
}

/** What a subscribe-time check answers when access is granted (the router selects only `__typename`). */
const SUBSCRIPTION_ALLOWED = {};

/**
 * The orders side of the live subscriptions. The router consumes order.status_changed events and,
 * per event and subscriber, asks this subgraph to resolve the subscription field with the event
 * (`context.subscriptionEvent`); other subgraphs are reached through the query plan. Without an
 * event the call is the router's subscribe-time check: only who may subscribe is decided here.
 */
export class OrderSubscriptions {
  constructor(private readonly reader: OrderReader) {}

  /** Owner or orders:manage holder (others: NOT_FOUND), and an event of that order. */
  async orderStatusChanged(
    context: BaseContext & { loaders: OrderLoaders },
    orderId: string,
  ): Promise<OrderStatusEventView | object> {
    const order = await this.reader.requireVisibleOrder(requireViewer(context), orderId);
    context.loaders.order.prime(order.id, order);
    return this.eventFor(context, (payload) => payload.orderId === order.id);
  }

  /** Any signed-in user, and an event of one of their orders. */
  async myOrderUpdates(context: BaseContext): Promise<OrderStatusEventView | object> {
    const viewer = requireViewer(context);
    return this.eventFor(context, (payload) => payload.userId === viewer.userId);
  }

  private eventFor(
    context: BaseContext,
    concerns: (payload: EventPayload<'order.status_changed'>) => boolean,
  ): OrderStatusEventView | object {
    const event = context.subscriptionEvent;
    if (!event) return SUBSCRIPTION_ALLOWED;
    if (event.type !== 'order.status_changed') throw badUserInput(`Unexpected ${event.type} event`);
    const payload = readPayload(event.payload);
    if (!concerns(payload)) throw badUserInput('The event does not belong to this subscription');
    return {
      eventId: event.id,
      orderId: payload.orderId,
      previousStatus: payload.from,
      status: payload.to,
      changedAt: new Date(payload.changedAt),
      sequence: payload.sequence,
    };
  }
}

function readPayload(payload: unknown): EventPayload<'order.status_changed'> {
  try {
    return parseEventPayload('order.status_changed', payload);
  } catch (error) {
    throw badUserInput(error instanceof Error ? error.message : 'invalid order.status_changed payload');
  }
}
