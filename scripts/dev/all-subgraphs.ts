import { createCartSubgraph } from '@minishop/cart';
import { createCouponsSubgraph } from '@minishop/coupons';
import type { PrismaClient } from '@minishop/db';
import { createNotificationsSubgraph } from '@minishop/notifications';
import { createOrdersSubgraph } from '@minishop/orders';
import { createProductsSubgraph } from '@minishop/products';
import { createReviewsSubgraph } from '@minishop/reviews';
import {
  serveSubgraph,
  type BaseContext,
  type IdentityVerifier,
  type Logger,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@minishop/runtime';
import { createUsersSubgraph, type TokenIssuer } from '@minishop/users';
import type { Redis } from 'ioredis';

export interface AllSubgraphsDeps {
  prisma: PrismaClient;
  redis: Redis;
  tokens: TokenIssuer;
  /** Verifies the router's identity tokens (every subgraph trusts only the router). */
  identity: IdentityVerifier;
}

/**
 * Serves all seven subgraphs in this process, sharing one Prisma pool and one Redis client (the
 * development and test setup; deployed environments run each subgraph's own main.ts).
 */
export async function serveAllSubgraphs(
  deps: AllSubgraphsDeps,
  options: { portOf: (name: string) => number; logger: Logger },
): Promise<RunningSubgraph[]> {
  const { prisma, redis, tokens, identity } = deps;
  const serve = <Context extends BaseContext>(definition: SubgraphDefinition<Context>) =>
    serveSubgraph(definition, { port: options.portOf(definition.name), logger: options.logger, identity });
  // Sequential: a taken port fails fast with its name before the next subgraph starts.
  const running: RunningSubgraph[] = [];
  // Subgraphs that call another one get the URL it actually listens on (port 0 in tests).
  const urlOf = (name: string) => {
    const url = running.find((subgraph) => subgraph.name === name)?.url;
    if (!url) throw new Error(`subgraph ${name} must start before the subgraphs that call it`);
    return url;
  };
  for (const start of [
    () => serve(createUsersSubgraph({ prisma, tokens })),
    () => serve(createProductsSubgraph({ prisma })),
    () => serve(createReviewsSubgraph({ prisma })),
    () => serve(createCartSubgraph({ redis, productsUrl: urlOf('products') })),
    () => serve(createCouponsSubgraph({ prisma })),
    () =>
      serve(
        createOrdersSubgraph({
          prisma,
          redis,
          productsUrl: urlOf('products'),
          couponsUrl: urlOf('coupons'),
          cartUrl: urlOf('cart'),
        }),
      ),
    () => serve(createNotificationsSubgraph({ prisma })),
  ]) {
    running.push(await start());
  }
  return running;
}
