import { configFields, DEFAULT_DEPENDENCY_TIMEOUT_MS, subgraphRoutingUrl } from '@minishop/runtime';
import { z } from 'zod';
import { DEFAULT_PAYMENT_TIMEOUT_MS } from './server';

/** The orders subgraph's settings (beside those of every subgraph process: subgraphProcessConfigShape). */
export const ordersConfigShape = {
  DATABASE_URL: configFields.postgresUrl,
  REDIS_URL: configFields.redisUrl,
  /** The subgraphs orders calls directly (stock reservations, coupon redemption, clearing the cart). */
  PRODUCTS_URL: configFields.httpUrl.default(subgraphRoutingUrl('products')),
  COUPONS_URL: configFields.httpUrl.default(subgraphRoutingUrl('coupons')),
  CART_URL: configFields.httpUrl.default(subgraphRoutingUrl('cart')),
  DEPENDENCY_TIMEOUT_MS: z.coerce.number().int().min(100).max(20_000).default(DEFAULT_DEPENDENCY_TIMEOUT_MS),
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(10).max(20_000).default(DEFAULT_PAYMENT_TIMEOUT_MS),
};
