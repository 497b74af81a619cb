import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { resolvers, type CouponsContext } from './resolvers';
import { CouponService } from './service';

/** The coupons subgraph: discount codes and their limits. */
export function createCouponsSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<CouponsContext> {
  const service = new CouponService(deps.prisma);
  return {
    name: 'coupons',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, loaders: service.createLoaders() }),
    ready: () => pingDatabase(deps.prisma),
  };
}
