import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { resolvers, type OrdersContext } from './resolvers';
import { OrderService } from './service';

/** The orders subgraph: placed orders and their lines. */
export function createOrdersSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<OrdersContext> {
  const service = new OrderService(deps.prisma);
  return {
    name: 'orders',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, loaders: service.createLoaders() }),
    ready: () => pingDatabase(deps.prisma),
  };
}
