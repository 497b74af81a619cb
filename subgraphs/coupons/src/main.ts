import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { runSubgraph } from '@minishop/runtime';
import { couponsConfigShape } from './config';
import { createCouponsSubgraph } from './server';

runSubgraph('coupons', couponsConfigShape, (config, scope) =>
  createCouponsSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
