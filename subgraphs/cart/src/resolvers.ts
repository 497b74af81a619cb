import { requireViewer, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { CartItemView, CartLoaders, CartService, CartView } from './service';

export interface CartContext extends BaseContext {
  service: CartService;
  loaders: CartLoaders;
}

interface LineArgs {
  productId: string;
  quantity: number;
}

export const resolvers: SubgraphResolvers<CartContext> = {
  Query: {
    viewerCart: (_: unknown, __: unknown, ctx: CartContext) =>
      ctx.service.cartOf(ctx.viewer, requireViewer(ctx).userId, ctx.loaders),
  },
  Mutation: {
    addToCart: (_: unknown, args: LineArgs, ctx: CartContext) =>
      ctx.service.addItem(requireViewer(ctx), args.productId, args.quantity, ctx.loaders),
    updateCartItem: (_: unknown, args: LineArgs, ctx: CartContext) =>
      ctx.service.updateItem(requireViewer(ctx), args.productId, args.quantity, ctx.loaders),
    removeFromCart: (_: unknown, args: { productId: string }, ctx: CartContext) =>
      ctx.service.removeItem(requireViewer(ctx), args.productId),
    clearCart: (_: unknown, __: unknown, ctx: CartContext) => ctx.service.clear(requireViewer(ctx)),
    removeOrderedItems: (_: unknown, args: { orderId: string; items: LineArgs[] }, ctx: CartContext) =>
      ctx.service.removeOrderedItems(requireViewer(ctx), args.orderId, args.items),
  },
  User: {
    cart: (user: { id: string }, _: unknown, ctx: CartContext) => ctx.service.cartOf(ctx.viewer, user.id, ctx.loaders),
  },
  Cart: {
    __resolveReference: (ref: { userId: string }, ctx: CartContext) =>
      ctx.service.cartOf(ctx.viewer, ref.userId, ctx.loaders),
    items: (cart: CartView, _: unknown, ctx: CartContext) => ctx.service.items(cart, ctx.loaders),
    itemCount: (cart: CartView) => cart.items.reduce((sum, line) => sum + line.quantity, 0),
    subtotal: (cart: CartView, _: unknown, ctx: CartContext) => ctx.service.subtotal(cart, ctx.loaders),
  },
  CartItem: {
    product: (item: CartItemView) => ({ __typename: 'Product', id: item.productId }),
  },
};
