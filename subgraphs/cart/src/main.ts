import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { configFields, connectRedis, runSubgraph, subgraphRoutingUrl } from '@minishop/runtime';
import { z } from 'zod';
import { DEFAULT_CART_TTL_SECONDS } from './cart-rules';
import { createCartSubgraph } from './server';

runSubgraph(
  'cart',
  {
    REDIS_URL: configFields.redisUrl,
    PRODUCTS_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s):// URL' })
      .default(subgraphRoutingUrl('products')),
    CART_TTL_SECONDS: z.coerce.number().int().positive().default(DEFAULT_CART_TTL_SECONDS),
  },
  (config, scope) =>
    createCartSubgraph({
      redis: connectRedis(config.REDIS_URL, scope),
      productsUrl: config.PRODUCTS_URL,
      ttlSeconds: config.CART_TTL_SECONDS,
    }),
);
