import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { configFields, runSubgraph } from '@minishop/runtime';
import { createReviewsSubgraph } from './server';

runSubgraph('reviews', { DATABASE_URL: configFields.postgresUrl }, (config, scope) =>
  createReviewsSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
