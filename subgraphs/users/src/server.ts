import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { loadTypeDefs, type SubgraphDefinition } from '@minishop/runtime';
import { resolvers, type UsersContext } from './resolvers';
import { UserService } from './service';

/** The users subgraph: accounts and public profiles. */
export function createUsersSubgraph(deps: { prisma: PrismaClient }): SubgraphDefinition<UsersContext> {
  const service = new UserService(deps.prisma);
  return {
    name: 'users',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, loaders: service.createLoaders() }),
    ready: () => pingDatabase(deps.prisma),
  };
}
