import path from 'node:path';
import type { Redis } from 'ioredis';
import { loadTypeDefs, pingRedis, type SubgraphDefinition } from '@minishop/runtime';
import { DEFAULT_CART_TTL_SECONDS } from './cart-rules';
import { CartStore } from './cart-store';
import { ProductCatalog } from './product-catalog';
import { resolvers, type CartContext } from './resolvers';
import { CartService } from './service';

export interface CartSubgraphDeps {
  redis: Redis;
  /** The products subgraph's GraphQL URL, where product facts and prices are read. */
  productsUrl: string;
  /** How long an untouched cart is kept (default 30 days); every write restarts the clock. */
  ttlSeconds?: number;
  /** Bound on each products call (default 2 s). */
  productsTimeoutMs?: number;
}

/** The cart subgraph: shopping carts kept in Redis, priced by the products subgraph. */
export function createCartSubgraph(deps: CartSubgraphDeps): SubgraphDefinition<CartContext> {
  const store = new CartStore(deps.redis, deps.ttlSeconds ?? DEFAULT_CART_TTL_SECONDS);
  const catalog = new ProductCatalog({ url: deps.productsUrl, timeoutMs: deps.productsTimeoutMs });
  const service = new CartService(store, catalog);
  return {
    name: 'cart',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, service, loaders: service.createLoaders(base) }),
    ready: () => pingRedis(deps.redis),
  };
}
