import type { OrderStatus, OrderStatusChange, PaymentAttempt } from '@minishop/db';
import { DateTimeScalar, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { OrderLifecycle } from './order-lifecycle';
import type { PlaceOrderInput } from './order-input';
import type { OrderPlacement } from './order-placement';
import type { OrderStatusEventView, OrderSubscriptions } from './order-subscriptions';
import type { OrderItemRow, OrderWithItems } from './order-rows';
import type { CardInput } from './payment-provider';
import type { OrderListArgs, OrderLoaders, OrderReader } from './service';

export interface OrdersContext extends BaseContext {
  loaders: OrderLoaders;
  reader: OrderReader;
  placement: OrderPlacement;
  lifecycle: OrderLifecycle;
  subscriptions: OrderSubscriptions;
}

/** Items and payments carry no currency of their own: an order is in one currency. */
type ItemWithCurrency = OrderItemRow & { currency: string };
type PaymentWithCurrency = PaymentAttempt & { currency: string };

export const resolvers: SubgraphResolvers<OrdersContext> = {
  DateTime: DateTimeScalar,
  Query: {
    order: (_: unknown, args: { id: string }, context: OrdersContext) => context.reader.visibleOrder(context, args.id),
    orders: (_: unknown, args: OrderListArgs, context: OrdersContext) => context.reader.allOrders(context, args),
  },
  Mutation: {
    placeOrder: (
      _: unknown,
      args: { input: PlaceOrderInput; couponCode?: string | null; idempotencyKey: string },
      context: OrdersContext,
    ) => context.placement.placeOrder(context, args),
    payOrder: (_: unknown, args: { orderId: string; payment: CardInput }, context: OrdersContext) =>
      context.lifecycle.payOrder(context, args.orderId, args.payment),
    cancelOrder: (_: unknown, args: { orderId: string; reason: string }, context: OrdersContext) =>
      context.lifecycle.cancelOrder(context, args.orderId, args.reason),
    updateOrderStatus: (_: unknown, args: { orderId: string; status: OrderStatus }, context: OrdersContext) =>
      context.lifecycle.updateOrderStatus(context, args.orderId, args.status),
  },
  // Resolved per event on the router's request (see order-subscriptions.ts), never subscribed to here.
  Subscription: {
    orderStatusChanged: {
      resolve: (_: unknown, args: { orderId: string }, context: OrdersContext) =>
        context.subscriptions.orderStatusChanged(context, args.orderId),
    },
    myOrderUpdates: {
      resolve: (_: unknown, _args: unknown, context: OrdersContext) => context.subscriptions.myOrderUpdates(context),
    },
  },
  OrderStatusEvent: {
    order: (event: OrderStatusEventView, _: unknown, { loaders }: OrdersContext) => loaders.order.load(event.orderId),
  },
  User: {
    orders: (user: { id: string }, args: OrderListArgs, context: OrdersContext) =>
      context.reader.userOrders(context, user.id, args),
  },
  Order: {
    __resolveReference: (ref: { id: string }, { loaders }: OrdersContext) => loaders.order.load(ref.id),
    user: (order: OrderWithItems) => ({ __typename: 'User', id: order.userId }),
    items: (order: OrderWithItems): ItemWithCurrency[] =>
      order.items.map((item) => ({ ...item, currency: order.currency })),
    subtotal: (order: OrderWithItems) => ({ amount: order.subtotalAmount, currency: order.currency }),
    discount: (order: OrderWithItems) => ({ amount: order.discountAmount, currency: order.currency }),
    total: (order: OrderWithItems) => ({ amount: order.totalAmount, currency: order.currency }),
    placedAt: (order: OrderWithItems) => order.createdAt,
    history: (order: OrderWithItems, _: unknown, { loaders }: OrdersContext) => loaders.history.load(order.id),
    payments: async (order: OrderWithItems, _: unknown, { loaders }: OrdersContext): Promise<PaymentWithCurrency[]> =>
      (await loaders.payments.load(order.id)).map((payment) => ({ ...payment, currency: order.currency })),
  },
  OrderItem: {
    product: (item: ItemWithCurrency) => ({ __typename: 'Product', id: item.productId }),
    unitPrice: (item: ItemWithCurrency) => ({ amount: item.unitPriceAmount, currency: item.currency }),
    lineTotal: (item: ItemWithCurrency) => ({ amount: item.unitPriceAmount * item.quantity, currency: item.currency }),
  },
  OrderStatusChange: {
    from: (change: OrderStatusChange) => change.fromStatus,
    to: (change: OrderStatusChange) => change.toStatus,
    at: (change: OrderStatusChange) => change.createdAt,
  },
  PaymentResult: {
    payment: (result: { order: OrderWithItems; payment: PaymentAttempt }): PaymentWithCurrency => ({
      ...result.payment,
      currency: result.order.currency,
    }),
  },
  Payment: {
    amount: (payment: PaymentWithCurrency) => ({ amount: payment.amount, currency: payment.currency }),
    at: (payment: PaymentWithCurrency) => payment.createdAt,
  },
};
