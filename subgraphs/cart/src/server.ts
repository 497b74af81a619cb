import path from 'node:path';
import type { Redis } from 'ioredis';
import { loadTypeDefs, pingRedis, type SubgraphDefinition } from '@minishop/runtime';
import { resolvers, type CartContext } from './resolvers';
import { CartService } from './service';

/** The cart subgraph: shopping carts kept in Redis. */
export function createCartSubgraph(deps: { redis: Redis }): SubgraphDefinition<CartContext> {
  const service = new CartService(deps.redis);
  return {
    name: 'cart',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, loaders: service.createLoaders() }),
    ready: () => pingRedis(deps.redis),
  };
}
