import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { connectRedis, runSubgraph } from '@minishop/runtime';
import { ordersConfigShape } from './config';
import { createOrdersSubgraph } from './server';

runSubgraph('orders', ordersConfigShape, (config, scope) =>
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
