import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { runSubgraph } from '@minishop/runtime';
import { notificationsConfigShape } from './config';
import { createNotificationsSubgraph } from './server';

runSubgraph('notifications', notificationsConfigShape, (config, scope) =>
  createNotificationsSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
