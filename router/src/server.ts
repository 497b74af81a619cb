import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  createErrorFormatter,
  createHttpServer,
  createIdentitySigner,
  createJwtVerifier,
  healthRoutes,
  JWKS_PATH,
  listen,
  loadOrCreateSigningKey,
  remoteKeySet,
  sendJson,
  subgraphRoutingUrl,
  type Logger,
  type RouteHandler,
} from '@minishop/runtime';
import { Redis } from 'ioredis';
import { createAuthenticator, identityOf } from './authentication';
import { readAccessIndex, stripSecurityPurpose } from './authorization';
import type { RouterConfig } from './config';
import { DocumentCache } from './documents';
import { explorerRoutes } from './explorer';
import { createPartnerKeyResolver } from './partner-keys';
import { authorizationErrorsPlugin, createGraphQLPipeline, type RouterContext } from './pipeline';
import { createPersistedOperations, loadManifests } from './persisted';
import { embeddedDecisionPoint, guardedDecisionPoint, opaDecisionPoint } from './policy';
import { createRateLimiter } from './protection';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { fileSupergraphManager } from './supergraph-file';

/** Sends each subgraph the router's identity token for the caller: no client header crosses. */
class IdentityForwardingDataSource extends RemoteGraphQLDataSource<RouterContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    if ('authorization' in context) request.http?.headers.set('authorization', context.authorization);
  }
}

export interface RunningRouter {
  url: string;
  port: number;
  /** Stops accepting connections, drains in-flight requests and stops watching the supergraph. */
  stop: () => Promise<void>;
}

/**
 * Builds and starts the federated router: the gateway over the supergraph file (hot-reloaded),
 * `/graphql` behind the security pipeline, the explorer, the JWKS of its identity tokens and
 * health routes.
 */
export async function startRouter(config: RouterConfig, logger: Logger): Promise<RunningRouter> {
  const signingKey = await loadOrCreateSigningKey(config.routerKeyFile);
  const identities = createIdentitySigner(signingKey, { ttlSeconds: config.identityTokenTtlSeconds });
  const authenticate = createAuthenticator({
    userTokens: createJwtVerifier(remoteKeySet(config.usersJwksUrl), config.jwt),
    partnerKeys: createPartnerKeyResolver({
      usersUrl: config.subgraphUrls['users'] ?? subgraphRoutingUrl('users'),
      ttlMs: config.partnerKeyCacheTtlMs,
      timeoutMs: config.subgraphTimeoutMs,
      routerToken: () => identities.sign({ kind: 'router' }),
      logger,
    }),
  });

  const { fetcher, close: closeFetcher } = createSubgraphFetcher({
    timeoutMs: config.subgraphTimeoutMs,
    deduplicate: config.deduplicateSubgraphFetches,
  });
  const gateway = new ApolloGateway({
    // The gateway refuses `for: SECURITY` features it does not enforce; the router enforces them.
    supergraphSdl: fileSupergraphManager(config.supergraphPath, logger, stripSecurityPurpose).initialize,
    logger,
    buildService: ({ name, url }) =>
      new IdentityForwardingDataSource({ url: config.subgraphUrls[name] ?? url, fetcher }),
  });
  let documents: DocumentCache | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    documents = new DocumentCache({ apiSchema, access: readAccessIndex(coreSupergraphSdl) }, config.documentCacheSize);
  });

  const routes: Record<string, RouteHandler> = {
    ...healthRoutes({
      ready: async () => {
        if (!documents) throw new Error('supergraph not loaded');
        await gateway.serviceHealthCheck();
      },
    }),
    [JWKS_PATH]: (_req, res) => {
      res.setHeader('cache-control', 'public, max-age=300');
      sendJson(res, 200, { keys: [signingKey.publicJwk] });
    },
    ...(config.explorerEnabled ? explorerRoutes({ graphqlPath: '/graphql' }) : {}),
  };
  const httpServer = createHttpServer(routes, (error) => logger.error({ err: error }, 'request failed'));
  const server = new ApolloServer<RouterContext>({
    gateway,
    logger,
    includeStacktraceInErrorResponses: false,
    // Persisted operations are resolved (and safelisted) by the pipeline before Apollo Server.
    persistedQueries: false,
    // Without the explorer there is no introspection: validation errors must not suggest field names either.
    hideSchemaDetailsFromClientErrors: !config.explorerEnabled,
    formatError: createErrorFormatter((error) => logger.error({ err: error }, 'unexpected error')),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      authorizationErrorsPlugin,
    ],
  });
  await server.start();
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectionName: 'minishop-router' });

  const policyDecisionPoint =
    config.policy.decisionPoint === 'opa'
      ? opaDecisionPoint({ url: config.policy.opaUrl, timeoutMs: config.policy.timeoutMs })
      : embeddedDecisionPoint();
  routes['/graphql'] = createGraphQLPipeline({
    server,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    deduplicateQueries: config.deduplicateQueries,
    rejectUnauthorized: config.rejectUnauthorized,
    introspection: config.explorerEnabled,
    authenticate,
    signIdentity: (caller) => identities.sign(identityOf(caller)),
    rateLimiter: createRateLimiter(redis, config.rateLimits, logger),
    persisted: createPersistedOperations({
      redis,
      manifests: loadManifests(config.persistedQueriesDir),
      firstPartySafelist: config.firstPartySafelist,
      apqTtlSeconds: config.apqTtlSeconds,
      logger,
    }),
    policies: guardedDecisionPoint(policyDecisionPoint, {
      cacheTtlMs: config.policy.cacheTtlMs,
      maxEntries: 10_000,
      timeoutMs: config.policy.timeoutMs,
      logger,
    }),
    limits: (caller) => config.operationLimits[caller.kind],
    documents: () => documents,
  });

  const port = await listen(httpServer, config.port, config.host).catch(async (error: unknown) => {
    await server.stop();
    redis.disconnect();
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
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
