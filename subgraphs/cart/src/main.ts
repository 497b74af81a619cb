import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectRedis, runSubgraph } from '@minishop/runtime';
import { cartConfigShape } from './config';
import { createCartSubgraph } from './server';

runSubgraph('cart', cartConfigShape, (config, scope) =>
  createCartSubgraph({
    redis: connectRedis(config.REDIS_URL, scope),
    productsUrl: config.PRODUCTS_URL,
    ttlSeconds: config.CART_TTL_SECONDS,
  }),
);
