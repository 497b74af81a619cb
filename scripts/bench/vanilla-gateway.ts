// The baseline of `npm run bench:router`: a vanilla @apollo/gateway in @apollo/server's standalone
// server, on the same supergraph and subgraphs as the router but with none of its pipeline. The
// client's Authorization header goes to the subgraphs as-is (the bench sends a router identity token).
// Settings: PORT (4200), SUPERGRAPH_PATH (schema/supergraph.graphql).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createLogger, repoRoot, runProcess } from '@minishop/runtime';
import { stripSecurityPurpose } from '../../router/src/authorization';

interface ForwardedHeaders {
  authorization?: string;
}

class AuthorizationForwardingDataSource extends RemoteGraphQLDataSource<ForwardedHeaders> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<ForwardedHeaders>): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

runProcess('vanilla-gateway', async ({ onShutdown }) => {
  const logger = createLogger('vanilla-gateway', process.env.LOG_LEVEL ?? 'warn');
  const supergraphPath = process.env.SUPERGRAPH_PATH ?? path.join(repoRoot, 'schema/supergraph.graphql');
  // The gateway refuses the `for: SECURITY` authorization features it cannot enforce.
  const supergraphSdl = stripSecurityPurpose(readFileSync(supergraphPath, 'utf8'));
  const server = new ApolloServer<ForwardedHeaders>({
    gateway: new ApolloGateway({
      supergraphSdl,
      logger,
      buildService: ({ url }) => new AuthorizationForwardingDataSource({ url }),
    }),
    logger,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT ?? 4200), host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  onShutdown(() => server.stop());
  logger.info({ url }, 'vanilla gateway listening');
  return logger;
});
