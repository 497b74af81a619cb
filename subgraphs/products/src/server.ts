import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { CategoryCache } from './category-cache';
import { createProductLoaders } from './loaders';
import { resolvers, type ProductsContext } from './resolvers';
import { ProductService } from './service';
import { StockService } from './stock-service';

/** The products subgraph: catalog, categories and stock. */
export function createProductsSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<ProductsContext> {
  const catalog = new ProductService(deps.prisma);
  const stock = new StockService(deps.prisma);
  const categories = new CategoryCache(deps.prisma);
  return {
    name: 'products',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, catalog, stock, loaders: createProductLoaders(deps.prisma, categories) }),
    ready: () => pingDatabase(deps.prisma),
  };
}
