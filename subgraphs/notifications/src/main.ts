import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { configFields, runSubgraph } from '@minishop/runtime';
import { createNotificationsSubgraph } from './server';

runSubgraph('notifications', { DATABASE_URL: configFields.postgresUrl }, (config, scope) =>
  createNotificationsSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
