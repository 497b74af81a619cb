import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { resolvers, type ReviewsContext } from './resolvers';
import { ReviewService } from './service';

/** The reviews subgraph: ratings and opinions of products. */
export function createReviewsSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<ReviewsContext> {
  const service = new ReviewService(deps.prisma);
  return {
    name: 'reviews',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, loaders: service.createLoaders() }),
    ready: () => pingDatabase(deps.prisma),
  };
}
