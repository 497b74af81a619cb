import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { RedemptionService } from './redemptions';
import { resolvers, type CouponsContext } from './resolvers';
import { CouponService } from './service';

/** The coupons subgraph: discount codes, claims, validation and redemption limits. */
export function createCouponsSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<CouponsContext> {
  const coupons = new CouponService(deps.prisma);
  const redemptions = new RedemptionService(deps.prisma);
  return {
    name: 'coupons',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, coupons, redemptions, loaders: coupons.createLoaders() }),
    ready: () => pingDatabase(deps.prisma),
  };
}
