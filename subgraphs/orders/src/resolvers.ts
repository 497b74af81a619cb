import { DateTimeScalar, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { OrderItemRow, OrderLoaders, OrderWithItems } from './service';

export interface OrdersContext extends BaseContext {
  loaders: OrderLoaders;
}

/** Items carry no currency of their own: an order is in one currency. */
type ItemWithCurrency = OrderItemRow & { currency: string };

export const resolvers: SubgraphResolvers<OrdersContext> = {
  DateTime: DateTimeScalar,
  Order: {
    __resolveReference: (ref: { id: string }, { loaders }: OrdersContext) => loaders.order.load(ref.id),
    items: (order: OrderWithItems): ItemWithCurrency[] =>
      order.items.map((item) => ({ ...item, currency: order.currency })),
    subtotal: (order: OrderWithItems) => ({ amount: order.subtotalAmount, currency: order.currency }),
    discount: (order: OrderWithItems) => ({ amount: order.discountAmount, currency: order.currency }),
    total: (order: OrderWithItems) => ({ amount: order.totalAmount, currency: order.currency }),
    placedAt: (order: OrderWithItems) => order.createdAt,
  },
  OrderItem: {
    product: (item: ItemWithCurrency) => ({ __typename: 'Product', id: item.productId }),
    unitPrice: (item: ItemWithCurrency) => ({ amount: item.unitPriceAmount, currency: item.currency }),
    lineTotal: (item: ItemWithCurrency) => ({ amount: item.unitPriceAmount * item.quantity, currency: item.currency }),
  },
};
