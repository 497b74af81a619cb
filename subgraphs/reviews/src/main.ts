import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { runSubgraph } from '@minishop/runtime';
import { reviewsConfigShape } from './config';
import { createReviewsSubgraph } from './server';

runSubgraph('reviews', reviewsConfigShape, (config, scope) =>
  createReviewsSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
