import { configFields, subgraphRoutingUrl } from '@minishop/runtime';
import { z } from 'zod';
import { DEFAULT_CART_TTL_SECONDS } from './cart-rules';

/** The cart subgraph's settings (beside those of every subgraph process: subgraphProcessConfigShape). */
export const cartConfigShape = {
  REDIS_URL: configFields.redisUrl,
  /** Prices and stock are read from products at read time. */
  PRODUCTS_URL: configFields.httpUrl.default(subgraphRoutingUrl('products')),
  CART_TTL_SECONDS: z.coerce.number().int().positive().default(DEFAULT_CART_TTL_SECONDS),
};
