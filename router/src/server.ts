import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  createErrorFormatter,
  createHttpServer,
  graphqlHandler,
  healthRoutes,
  listen,
  type Logger,
  type RouteHandler,
} from '@minishop/runtime';
import type { RouterConfig } from './config';
import { queryDeduplicationKey } from './deduplication';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { fileSupergraphManager } from './supergraph-file';

export interface RouterContext {
  logger: Logger;
  /** The caller's Authorization header, forwarded to subgraphs, which verify it themselves. */
  authorization?: string;
}

/** Forwards only the caller's credentials to subgraphs: no other client header crosses. */
class AuthForwardingDataSource extends RemoteGraphQLDataSource<RouterContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    if ('authorization' in context && context.authorization) {
      request.http?.headers.set('authorization', context.authorization);
    }
  }
}

export interface RunningRouter {
  url: string;
  port: number;
  /** Stops accepting connections, drains in-flight requests and stops watching the supergraph. */
  stop: () => Promise<void>;
}

/** Builds and starts the federated router: gateway over the supergraph file, `/graphql`, health routes. */
export async function startRouter(config: RouterConfig, logger: Logger): Promise<RunningRouter> {
  const { fetcher, close: closeFetcher } = createSubgraphFetcher(config.subgraphTimeoutMs);
  const gateway = new ApolloGateway({
    supergraphSdl: fileSupergraphManager(config.supergraphPath, logger).initialize,
    logger,
    buildService: ({ name, url }) => new AuthForwardingDataSource({ url: config.subgraphUrls[name] ?? url, fetcher }),
  });
  let loaded = false;
  gateway.onSchemaLoadOrUpdate(() => {
    loaded = true;
  });

  const routes: Record<string, RouteHandler> = healthRoutes({
    ready: async () => {
      if (!loaded) throw new Error('supergraph not loaded');
      await gateway.serviceHealthCheck();
    },
  });
  const httpServer = createHttpServer(routes, (error) => logger.error({ err: error }, 'request failed'));
  const server = new ApolloServer<RouterContext>({
    gateway,
    logger,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter((error) => logger.error({ err: error }, 'unexpected error')),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await server.start();
  routes['/graphql'] = graphqlHandler({
    server,
    context: async (req) => ({ logger, authorization: req.headers.authorization }),
    maxBodyBytes: config.maxBodyBytes,
    ...(config.deduplicateQueries ? { deduplicationKey: queryDeduplicationKey() } : {}),
  });
  const port = await listen(httpServer, config.port, config.host).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url, supergraph: config.supergraphPath }, 'router listening');
  return {
    url,
    port,
    stop: async () => {
      await server.stop();
      await closeFetcher();
    },
  };
}
