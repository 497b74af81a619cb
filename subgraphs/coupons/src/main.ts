import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { configFields, runSubgraph } from '@minishop/runtime';
import { createCouponsSubgraph } from './server';

runSubgraph('coupons', { DATABASE_URL: configFields.postgresUrl }, (config, scope) =>
  createCouponsSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
