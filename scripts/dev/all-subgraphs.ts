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
  type Logger,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@minishop/runtime';
import { createUsersSubgraph } from '@minishop/users';
import type { Redis } from 'ioredis';

/**
 * Serves all seven subgraphs in this process, sharing one Prisma pool and one Redis client (the
 * development and test setup; deployed environments run each subgraph's own main.ts).
 */
export async function serveAllSubgraphs(
  deps: { prisma: PrismaClient; redis: Redis },
  options: { portOf: (name: string) => number; logger: Logger },
): Promise<RunningSubgraph[]> {
  const { prisma, redis } = deps;
  const serve = <Context extends BaseContext>(definition: SubgraphDefinition<Context>) =>
    serveSubgraph(definition, { port: options.portOf(definition.name), logger: options.logger });
  // Sequential: a taken port fails fast with its name before the next subgraph starts.
  const running: RunningSubgraph[] = [];
  for (const start of [
    () => serve(createUsersSubgraph({ prisma })),
    () => serve(createProductsSubgraph({ prisma })),
    () => serve(createOrdersSubgraph({ prisma })),
    () => serve(createReviewsSubgraph({ prisma })),
    () => serve(createCartSubgraph({ redis })),
    () => serve(createCouponsSubgraph({ prisma })),
    () => serve(createNotificationsSubgraph({ prisma })),
  ]) {
    running.push(await start());
  }
  return running;
}
