import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { resolvers, type ProductsContext } from './resolvers';
import { ProductService } from './service';

/** The products subgraph: catalog, categories and stock. */
export function createProductsSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<ProductsContext> {
  const service = new ProductService(deps.prisma);
  return {
    name: 'products',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, service, loaders: service.createLoaders() }),
    ready: () => pingDatabase(deps.prisma),
  };
}
