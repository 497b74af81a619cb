import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { resolvers, type ReviewsContext } from './resolvers';
import { ReviewService } from './service';

/** The reviews subgraph: verified-purchase reviews of products and their rating aggregates. */
export function createReviewsSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<ReviewsContext> {
  const reviews = new ReviewService(deps.prisma);
  return {
    name: 'reviews',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, reviews, loaders: reviews.createLoaders() }),
    ready: () => pingDatabase(deps.prisma),
  };
}
