import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import {
  configFields,
  connectRedis,
  DEFAULT_DEPENDENCY_TIMEOUT_MS,
  runSubgraph,
  subgraphRoutingUrl,
} from '@minishop/runtime';
import { z } from 'zod';
import { createOrdersSubgraph, DEFAULT_PAYMENT_TIMEOUT_MS } from './server';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' });

runSubgraph(
  'orders',
  {
    DATABASE_URL: configFields.postgresUrl,
    REDIS_URL: configFields.redisUrl,
    PRODUCTS_URL: httpUrl.default(subgraphRoutingUrl('products')),
    COUPONS_URL: httpUrl.default(subgraphRoutingUrl('coupons')),
    CART_URL: httpUrl.default(subgraphRoutingUrl('cart')),
    DEPENDENCY_TIMEOUT_MS: z.coerce.number().int().min(100).max(20_000).default(DEFAULT_DEPENDENCY_TIMEOUT_MS),
    PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(10).max(20_000).default(DEFAULT_PAYMENT_TIMEOUT_MS),
  },
  (config, scope) =>
    createOrdersSubgraph({
      prisma: connectPrisma(config.DATABASE_URL, scope),
      redis: connectRedis(config.REDIS_URL, scope),
      productsUrl: config.PRODUCTS_URL,
      couponsUrl: config.COUPONS_URL,
      cartUrl: config.CART_URL,
      dependencyTimeoutMs: config.DEPENDENCY_TIMEOUT_MS,
      paymentTimeoutMs: config.PAYMENT_TIMEOUT_MS,
    }),
);
