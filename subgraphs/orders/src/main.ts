import { connectPrisma } from '@minishop/db';
import { configFields, runSubgraph } from '@minishop/runtime';
import { createOrdersSubgraph } from './server';

runSubgraph('orders', { DATABASE_URL: configFields.postgresUrl }, (config, scope) =>
  createOrdersSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
