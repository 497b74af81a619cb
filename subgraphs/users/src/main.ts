import { connectPrisma } from '@minishop/db';
import { configFields, runSubgraph } from '@minishop/runtime';
import { createUsersSubgraph } from './server';

runSubgraph('users', { DATABASE_URL: configFields.postgresUrl }, (config, scope) =>
  createUsersSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
