import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { configFields, runSubgraph } from '@minishop/runtime';
import { createProductsSubgraph } from './server';

runSubgraph('products', { DATABASE_URL: configFields.postgresUrl }, (config, scope) =>
  createProductsSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
