import '@minishop/runtime/src/instrument'; // first: tracing patches the modules loaded after it
import { connectPrisma } from '@minishop/db';
import { runSubgraph } from '@minishop/runtime';
import { productsConfigShape } from './config';
import { createProductsSubgraph } from './server';

runSubgraph('products', productsConfigShape, (config, scope) =>
  createProductsSubgraph({ prisma: connectPrisma(config.DATABASE_URL, scope) }),
);
