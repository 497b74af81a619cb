import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  createErrorFormatter,
  closeServer,
  createHttpServer,
  createIdentitySigner,
  createJwtVerifier,
  encodeSubscriptionEvent,
  healthRoutes,
  JWKS_PATH,
  listen,
  loadOrCreateSigningKey,
  metricsRoutes,
  remoteKeySet,
  sendJson,
  subgraphRoutingUrl,
  SUBSCRIPTION_EVENT_HEADER,
  type Logger,
  type RouteHandler,
} from '@minishop/runtime';
import { Redis } from 'ioredis';
import { clientAddressResolver, createAuthenticator, identityOf } from './authentication';
import { readAccessIndex, stripSecurityPurpose } from './authorization';
import type { RouterConfig } from './config';
import { DocumentCache } from './documents';
import { explorerRoutes } from './explorer';
import { createPartnerKeyResolver } from './partner-keys';
import type { Caller } from './caller';
import { createGraphQLPipeline, createOperationPreparer, routerResultPlugin, type RouterContext } from './pipeline';
import { createPersistedOperations, loadManifests } from './persisted';
import { embeddedDecisionPoint, guardedDecisionPoint, opaDecisionPoint } from './policy';
import { createRateLimiter } from './protection';
import { trackLiveFigures } from './metrics';
import { countingQueryPlanCache } from './query-plan-cache';
import { createSubgraphFetcher, measuredFetcher } from './subgraph-fetcher';
import { OrderEventFeed, serveSubscriptions, SubscriptionExecutor, SubscriptionHub } from './subscriptions';
import { fileSupergraphManager } from './supergraph-file';
import { webAppHandler } from './web-app';

/**
 * Sends each subgraph the router's identity token for the caller (no client header crosses) and,
 * on a subscription fetch, the event being resolved.
 */
class IdentityForwardingDataSource extends RemoteGraphQLDataSource<RouterContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    if (!('authorization' in context)) return;
    request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
    if (context.subscriptionEvent && request.query?.startsWith('subscription')) {
      request.http?.headers.set(SUBSCRIPTION_EVENT_HEADER, encodeSubscriptionEvent(context.subscriptionEvent));
    }
  }
}

export interface RunningRouter {
  url: string;
  port: number;
  /** Prometheus text of this process (on its own port). */
  metricsUrl: string;
  /** Live subscription figures of this replica. */
  subscriptions: { readonly connections: number; readonly active: number; readonly feedReady: boolean };
  /** Closes WebSockets (1001), stops accepting connections, drains in-flight requests and stops watching the supergraph. */
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
  const clientAddress = clientAddressResolver(config.trustedProxies);
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
  const dataSource = (name: string, url: string) =>
    new IdentityForwardingDataSource({
      url: config.subgraphUrls[name] ?? url,
      fetcher: measuredFetcher(name, fetcher),
    });
  // @apollo/gateway sends anonymous usage data to Apollo (probing cloud metadata endpoints to label
  // it) unless APOLLO_TELEMETRY_DISABLED is set: nothing leaves the network unless the operator opts in.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    // The gateway refuses `for: SECURITY` features it does not enforce; the router enforces them.
    supergraphSdl: fileSupergraphManager(config.supergraphPath, logger, stripSecurityPurpose).initialize,
    logger,
    buildService: ({ name, url }) => dataSource(name, url ?? subgraphRoutingUrl(name)),
    queryPlannerConfig: { cache: countingQueryPlanCache(config.documentCacheSize) },
  });
  let documents: DocumentCache | null = null;
  let subscriptionExecutor: SubscriptionExecutor | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    documents = new DocumentCache({ apiSchema, access: readAccessIndex(coreSupergraphSdl) }, config.documentCacheSize);
    subscriptionExecutor = new SubscriptionExecutor({
      supergraphSdl: coreSupergraphSdl,
      apiSchema,
      dataSource,
      maxPlans: config.documentCacheSize,
    });
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
  const httpServer = createHttpServer(
    routes,
    (error) => logger.error({ err: error }, 'request failed'),
    config.webDistDir ? webAppHandler(config.webDistDir) : undefined,
  );
  const formatError = createErrorFormatter((error) => logger.error({ err: error }, 'unexpected error'));
  const server = new ApolloServer<RouterContext>({
    gateway,
    logger,
    includeStacktraceInErrorResponses: false,
    // Persisted operations are resolved (and safelisted) by the pipeline before Apollo Server.
    persistedQueries: false,
    // Without the explorer there is no introspection: validation errors must not suggest field names either.
    hideSchemaDetailsFromClientErrors: !config.explorerEnabled,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      routerResultPlugin,
    ],
  });
  await server.start();
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectionName: 'minishop-router' });

  const policyDecisionPoint =
    config.policy.decisionPoint === 'opa'
      ? opaDecisionPoint({ url: config.policy.opaUrl, timeoutMs: config.policy.timeoutMs })
      : embeddedDecisionPoint();
  const signIdentity = (caller: Caller) => identities.sign(identityOf(caller));
  const rateLimiter = createRateLimiter(redis, config.rateLimits, logger);
  const prepare = createOperationPreparer({
    rejectUnauthorized: config.rejectUnauthorized,
    introspection: config.explorerEnabled,
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
  routes['/graphql'] = createGraphQLPipeline({
    server,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    deduplicateQueries: config.deduplicateQueries,
    authenticate,
    clientAddress,
    signIdentity,
    rateLimiter,
    prepare,
  });

  const hub = new SubscriptionHub();
  const feed = new OrderEventFeed({
    amqpUrl: config.subscriptions.amqpUrl,
    exchange: config.subscriptions.exchange,
    logger,
    reconnect: { baseMs: 200, maxMs: 10_000 },
    rememberedEvents: 10_000,
    maxQueuedEvents: 100_000,
    onEvent: (event) => hub.publish(event),
  });
  feed.start();
  const subscriptions = serveSubscriptions({
    httpServer,
    path: '/graphql',
    logger,
    settings: config.subscriptions,
    maxMessageBytes: config.maxBodyBytes,
    authenticate,
    clientAddress,
    signIdentity,
    rateLimiter,
    prepare,
    executor: () => subscriptionExecutor,
    hub,
    hideSchemaDetails: !config.explorerEnabled,
    formatError,
  });

  const abandon = async (error: unknown): Promise<never> => {
    await subscriptions.close();
    await feed.stop();
    await server.stop();
    redis.disconnect();
    throw error;
  };
  const port = await listen(httpServer, config.port, config.host).catch(abandon);
  const metricsServer = createHttpServer(metricsRoutes(), (error) => logger.error({ err: error }, 'metrics failed'));
  // Stopping Apollo Server (in abandon) closes the main server too.
  const metricsPort = await listen(metricsServer, config.metricsPort, config.host).catch(abandon);
  const untrack = trackLiveFigures({
    connections: () => subscriptions.connections,
    subscriptions: () => hub.size,
    feedConnected: () => feed.ready,
  });
  const url = `http://${config.host}:${port}/graphql`;
  const metricsUrl = `http://${config.host}:${metricsPort}/metrics`;
  logger.info({ url, metrics: metricsUrl, supergraph: config.supergraphPath }, 'router listening');
  return {
    url,
    port,
    metricsUrl,
    subscriptions: {
      get connections() {
        return subscriptions.connections;
      },
      get active() {
        return hub.size;
      },
      get feedReady() {
        return feed.ready;
      },
    },
    stop: async () => {
      untrack();
      await closeServer(metricsServer);
      await subscriptions.close();
      await server.stop();
      await feed.stop();
      await closeFetcher();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
