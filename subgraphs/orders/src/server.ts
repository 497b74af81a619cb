import path from 'node:path';
import type { Redis } from 'ioredis';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { CartClient } from './cart-client';
import { CouponsClient } from './coupons-client';
import { OrderLifecycle } from './order-lifecycle';
import { OrderPlacement } from './order-placement';
import { OrderSubscriptions } from './order-subscriptions';
import { PlacementLock } from './placement-lock';
import { SimulatedPaymentProvider } from './payment-provider';
import { ProductsClient } from './products-client';
import { resolvers, type OrdersContext } from './resolvers';
import { OrderReader } from './service';

export const DEFAULT_PAYMENT_TIMEOUT_MS = 1_500;

export interface OrdersSubgraphDeps {
  prisma: PrismaClient;
  /** Holds the per-idempotency-key placement locks. */
  redis: Redis;
  /** GraphQL URLs of the subgraphs orders calls (stock, coupons, cart). */
  productsUrl: string;
  couponsUrl: string;
  cartUrl: string;
  /** How long a call to another subgraph may take before it is SERVICE_UNAVAILABLE. */
  dependencyTimeoutMs?: number;
  /** How long the payment provider may take before an attempt is TIMED_OUT. */
  paymentTimeoutMs?: number;
}

/** The orders subgraph: placing, paying, cancelling and shipping orders. */
export function createOrdersSubgraph(deps: OrdersSubgraphDeps): SubgraphDefinition<OrdersContext> {
  const timeoutMs = deps.dependencyTimeoutMs;
  const products = new ProductsClient({ url: deps.productsUrl, timeoutMs });
  const coupons = new CouponsClient({ url: deps.couponsUrl, timeoutMs });
  const cart = new CartClient({ url: deps.cartUrl, timeoutMs });
  const payments = new SimulatedPaymentProvider({ timeoutMs: deps.paymentTimeoutMs ?? DEFAULT_PAYMENT_TIMEOUT_MS });
  const reader = new OrderReader(deps.prisma);
  const placement = new OrderPlacement(deps.prisma, { products, coupons, cart }, new PlacementLock(deps.redis));
  const lifecycle = new OrderLifecycle(deps.prisma, reader, { products, coupons, payments });
  const subscriptions = new OrderSubscriptions(reader);
  return {
    name: 'orders',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({
      ...base,
      loaders: reader.createLoaders(),
      reader,
      placement,
      lifecycle,
      subscriptions,
    }),
    ready: () => pingDatabase(deps.prisma),
  };
}
