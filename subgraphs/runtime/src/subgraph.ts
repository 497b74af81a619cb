import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import type { z } from 'zod';
import { configFields, identityConfigFields, readConfig } from './config';
import { guardAccessDirectives } from './access-directives';
import { createErrorFormatter } from './errors';
import { createIdentityVerifier, remoteKeySet, type Identity, type IdentityVerifier, type Viewer } from './identity';
import { createHttpServer, graphqlHandler, healthRoutes, listen, type RouteHandler } from './http';
import { createLogger, type Logger } from './logger';
import { Histogram, LATENCY_BUCKETS, metrics, metricsRoutes, outcomeOf, secondsSince } from './metrics';
import { runProcess, type ProcessScope } from './process';
import { readSubscriptionEvent, type DeliveredEvent } from './subscription-event';
import { defaultSubgraphPort } from './supergraph-config';

/** What every subgraph's per-request context holds; each subgraph adds its own (e.g. loaders). */
export interface BaseContext {
  logger: Logger;
  /** Who the router says is calling (its verified identity token), or null for a request that did not come through it. */
  identity: Identity | null;
  /** The signed-in user (`identity` of kind user), or null. */
  viewer: Viewer | null;
  /** The router's identity token (already verified into `identity`), forwarded on calls to other subgraphs. */
  authorization?: string;
  /** The request's W3C `traceparent` header, if any, recorded with the events it causes (outbox rows). */
  traceparent?: string;
  /** The event a subscription fetch from the router resolves (see subscription-event.ts), or null. */
  subscriptionEvent: DeliveredEvent | null;
}

export type SubgraphResolvers<Context extends BaseContext> = GraphQLResolverMap<Context>;

/** What a subgraph package builds in its server.ts: everything needed to serve it. */
export interface SubgraphDefinition<Context extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers<Context>;
  /** Builds the per-request context (called once per HTTP request, e.g. for fresh DataLoaders). */
  createContext: (base: BaseContext) => Context;
  /** Readiness: resolves when the subgraph's own stores answer. */
  ready: () => Promise<void>;
  /** Extra HTTP routes beside /graphql and /health/* (e.g. the users subgraph's JWKS). */
  routes?: Record<string, RouteHandler>;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  /** Stops accepting connections and waits for in-flight requests to finish. */
  stop: () => Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

const requestDuration = new Histogram({
  name: 'subgraph_request_duration_seconds',
  help: 'GraphQL requests a subgraph served, by subgraph, operation type and outcome (success or the first error code)',
  labelNames: ['subgraph', 'operation_type', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metrics],
});

/** Observes each request's duration and outcome (the router's fetches and the subgraphs' own calls). */
function requestMetricsPlugin(subgraph: string): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const labels = { subgraph, operation_type: operation?.operation ?? 'unknown', outcome: outcomeOf(errors) };
          requestDuration.observe(labels, secondsSince(start));
        },
      };
    },
  };
}

/** Builds the federated schema for a definition and serves it at `/graphql` with health and metrics routes. */
export async function serveSubgraph<Context extends BaseContext>(
  definition: SubgraphDefinition<Context>,
  options: { port: number; host?: string; logger: Logger; identity: IdentityVerifier },
): Promise<RunningSubgraph> {
  const logger = options.logger.child({ subgraph: definition.name });
  const routes: Record<string, RouteHandler> = {
    ...healthRoutes({ ready: definition.ready }),
    ...metricsRoutes(),
    ...definition.routes,
  };
  const httpServer = createHttpServer(routes, (error) => logger.error({ err: error }, 'request failed'));
  const server = new ApolloServer<Context>({
    schema: guardAccessDirectives(
      buildSubgraphSchema({
        typeDefs: definition.typeDefs,
        resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
      }),
    ),
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter((error) => logger.error({ err: error }, 'unexpected resolver error')),
    logger,
    // Inline (ftv1) traces are for Apollo Studio; tracing here is OpenTelemetry's job.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      requestMetricsPlugin(definition.name),
    ],
  });
  await server.start();
  routes['/graphql'] = graphqlHandler({
    server,
    context: async (req) => {
      const identity = await options.identity.verify(req.headers);
      return definition.createContext({
        logger,
        identity,
        viewer: identity?.kind === 'user' ? identity.viewer : null,
        authorization: req.headers.authorization,
        traceparent: typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined,
        subscriptionEvent: readSubscriptionEvent(req.headers),
      });
    },
    maxBodyBytes: MAX_BODY_BYTES,
  });
  const port = await listen(httpServer, options.port, options.host);
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  logger.info({ url }, 'subgraph listening');
  return { name: definition.name, url, port, stop: () => server.stop() };
}

/** Parses a subgraph's `schema.graphql` (the folder is the subgraph package root). */
export function loadTypeDefs(packageDir: string): DocumentNode {
  return parse(readFileSync(path.join(packageDir, 'schema.graphql'), 'utf8'));
}

/** The settings every subgraph process reads beside its own (the port defaults to its routing URL's). */
export function subgraphProcessConfigShape(name: string) {
  return {
    PORT: configFields.port.default(defaultSubgraphPort(name)),
    HOST: configFields.host,
    LOG_LEVEL: configFields.logLevel,
    ...identityConfigFields,
  };
}

/**
 * The whole `main()` of a subgraph process: reads its config once (subgraphProcessConfigShape plus the
 * subgraph's own fields), lets `build` create clients (registering their closers) and the
 * definition, serves it, and shuts down in order on SIGTERM/SIGINT.
 */
export function runSubgraph<Shape extends z.ZodRawShape, Context extends BaseContext>(
  name: string,
  shape: Shape,
  build: (
    config: z.infer<z.ZodObject<Shape>>,
    scope: ProcessScope,
  ) => Promise<SubgraphDefinition<Context>> | SubgraphDefinition<Context>,
): void {
  runProcess(name, async (scope) => {
    // One read reports every bad variable at once; zod cannot infer a generic spread, hence the cast.
    const config = readConfig({ ...shape, ...subgraphProcessConfigShape(name) }) as z.infer<z.ZodObject<Shape>> &
      z.infer<z.ZodObject<ReturnType<typeof subgraphProcessConfigShape>>>;
    const logger = createLogger(name, config.LOG_LEVEL);
    const definition = await build(config, scope);
    const identity = createIdentityVerifier(remoteKeySet(config.IDENTITY_JWKS_URL));
    const running = await serveSubgraph(definition, { port: config.PORT, host: config.HOST, logger, identity });
    scope.onShutdown(running.stop);
    return logger;
  });
}
