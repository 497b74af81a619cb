import type { BaseContext, SubgraphResolvers } from '@minishop/runtime';
import type { CartLine, CartLoaders, CartView } from './service';

export interface CartContext extends BaseContext {
  loaders: CartLoaders;
}

export const resolvers: SubgraphResolvers<CartContext> = {
  Cart: {
    __resolveReference: (ref: { userId: string }, { loaders }: CartContext) => loaders.cart.load(ref.userId),
    itemCount: (cart: CartView) => cart.items.reduce((sum, line) => sum + line.quantity, 0),
  },
  CartItem: {
    product: (line: CartLine) => ({ __typename: 'Product', id: line.productId }),
  },
};
