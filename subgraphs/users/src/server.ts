import path from 'node:path';
import { pingDatabase, type PrismaClient } from '@minishop/db';
import { JWKS_PATH, loadTypeDefs, sendJson, type SubgraphDefinition } from '@minishop/runtime';
import { PartnerClientService } from './partner-clients';
import { resolvers, type UsersContext } from './resolvers';
import { UserService } from './service';
import type { TokenIssuer } from './tokens';

/** The users subgraph: accounts, sign-in (JWT issuance + JWKS), roles and partner API clients. */
export function createUsersSubgraph(deps: {
  prisma: PrismaClient;
  tokens: TokenIssuer;
}): SubgraphDefinition<UsersContext> {
  const users = new UserService(deps.prisma, deps.tokens);
  const partnerClients = new PartnerClientService(deps.prisma);
  return {
    name: 'users',
    typeDefs: loadTypeDefs(path.resolve(__dirname, '..')),
    resolvers,
    createContext: (base) => ({ ...base, users, partnerClients, loaders: users.loadersFor() }),
    ready: () => pingDatabase(deps.prisma),
    routes: {
      [JWKS_PATH]: (_req, res) => {
        res.setHeader('cache-control', 'public, max-age=300');
        sendJson(res, 200, deps.tokens.jwks);
      },
    },
  };
}
