import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  configFields,
  EVENTS_EXCHANGE,
  jwtConfigFields,
  readConfig,
  repoRoot,
  type JwtSettings,
} from '@minishop/runtime';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import type { ClientType } from './caller';
import { FIRST_PARTY_SAFELIST_MODES, type FirstPartySafelist } from './persisted';
import { readOperationLimits, readRateLimits, type OperationLimits, type RateLimitBucket } from './protection';

/** SUBGRAPH_URL_<NAME>=url overrides the routing URL of subgraph <name> in the supergraph. */
export const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

/** The router's whole config, read once at start from the environment and the command line. */
export interface RouterConfig {
  port: number;
  /** Prometheus `/metrics`, on its own port so the public one never serves it (0 = any free port). */
  metricsPort: number;
  host: string;
  logLevel: string;
  /** Supergraph SDL file to serve and watch (`--supergraph <file>` or SUPERGRAPH_PATH). */
  supergraphPath: string;
  /** Per-subgraph routing URL overrides (SUBGRAPH_URL_<NAME>=url), e.g. for other environments. */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  maxBodyBytes: number;
  /** Proxies (addresses, CIDRs, `loopback`/`uniquelocal`...) whose X-Forwarded-For names the client. */
  trustedProxies: string[];
  /** Identical in-flight queries from the same identity share one execution. */
  deduplicateQueries: boolean;
  /** Identical in-flight subgraph query fetches (same URL, identity token and body) share one response. */
  deduplicateSubgraphFetches: boolean;
  /** Serve the developer explorer (GraphiQL) at /explorer; on unless NODE_ENV=production. */
  explorerEnabled: boolean;
  /** The web app's production build served at `/` (WEB_DIST_DIR, e.g. web/dist); not served when unset. */
  webDistDir: string | null;
  /** Where the users subgraph publishes the keys of user access tokens, and their issuer/audience. */
  usersJwksUrl: string;
  jwt: JwtSettings;
  /** The router's own signing key (private JWK, created on first start) for identity tokens to subgraphs. */
  routerKeyFile: string;
  identityTokenTtlSeconds: number;
  /** How long a partner API key lookup (or its absence) is trusted: revocations take effect within it. */
  partnerKeyCacheTtlMs: number;
  /** APQ cache and rate-limit buckets, shared by router replicas. */
  redisUrl: string;
  /** Unauthorized fields are removed (`filter`, the default) or refuse the whole operation (`reject`). */
  rejectUnauthorized: boolean;
  policy: {
    /** `embedded` evaluates deploy/opa's policy data in-process; `opa` asks an OPA sidecar. */
    decisionPoint: 'embedded' | 'opa';
    opaUrl: string;
    timeoutMs: number;
    cacheTtlMs: number;
  };
  operationLimits: Record<ClientType, OperationLimits>;
  rateLimits: Record<ClientType, RateLimitBucket>;
  /** Manifests (web.json, partners/<manifestId>.json) in Apollo's persisted-query-list format. */
  persistedQueriesDir: string;
  firstPartySafelist: FirstPartySafelist;
  apqTtlSeconds: number;
  /** Parsed documents and their analyses kept (LRU) per served schema. */
  documentCacheSize: number;
  subscriptions: SubscriptionSettings;
}

/** Subscriptions over WebSocket (graphql-transport-ws) on `/graphql`, fed by RabbitMQ. */
export interface SubscriptionSettings {
  /** The broker the outbox relay publishes to; this replica consumes through its own queue. */
  amqpUrl: string;
  /** The topic exchange of the domain events (as the workers' EVENTS_EXCHANGE). */
  exchange: string;
  /** A socket that sends no `connection_init` within this is closed (4408). */
  connectionInitTimeoutMs: number;
  /** Ping interval; a peer that does not pong within one interval is dropped. */
  keepAliveMs: number;
  maxSubscriptionsPerConnection: number;
  /** Events waiting for one slow subscription; one more closes its connection (1013). */
  maxQueuedEvents: number;
  /** Bytes waiting to be written to one socket; beyond it the connection is closed (1013). */
  maxBufferedBytes: number;
}

/** A JSON setting read by `read` (which throws with a clear message), reported like any bad variable. */
function jsonSetting<T>(read: (json: string | undefined) => T) {
  return z
    .string()
    .optional()
    .transform((json, context) => {
      try {
        return read(json);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    });
}

/**
 * Every setting of the router (the names are the environment variables). Defaults that depend on the
 * environment (the explorer is off in production) and SUBGRAPH_URL_<NAME> overrides are read from `env`.
 */
export function routerConfigShape(env: NodeJS.ProcessEnv = process.env) {
  return {
    PORT: configFields.port.default(4000),
    HOST: configFields.host,
    METRICS_PORT: configFields.port.default(9464),
    LOG_LEVEL: configFields.logLevel,
    NODE_ENV: z.string().optional(),
    SUPERGRAPH_PATH: z.string().min(1).default(path.join(repoRoot, 'schema/supergraph.graphql')),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .refine(
        (list) => {
          try {
            proxyaddr.compile(list);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be comma-separated IP addresses, CIDR ranges, loopback, linklocal or uniquelocal' },
      ),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    DEDUPLICATE_QUERIES: z.enum(['true', 'false']).default('true'),
    DEDUPLICATE_SUBGRAPH_FETCHES: z.enum(['true', 'false']).default('true'),
    ...jwtConfigFields,
    USERS_JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
    ROUTER_KEY_FILE: z.string().min(1).default(path.join(repoRoot, '.data/dev/keys/router-identity-key.json')),
    IDENTITY_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(120),
    PARTNER_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    REDIS_URL: configFields.redisUrl,
    EXPLORER_ENABLED: z.enum(['true', 'false']).default(env.NODE_ENV === 'production' ? 'false' : 'true'),
    WEB_DIST_DIR: z.string().min(1).optional(),
    AUTHORIZATION_MODE: z.enum(['filter', 'reject']).default('filter'),
    POLICY_DECISION_POINT: z.enum(['embedded', 'opa']).default('embedded'),
    OPA_URL: z.url().default('http://127.0.0.1:8181'),
    OPA_TIMEOUT_MS: z.coerce.number().int().positive().default(100),
    POLICY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(5_000),
    OPERATION_LIMITS: jsonSetting(readOperationLimits),
    RATE_LIMITS: jsonSetting(readRateLimits),
    PERSISTED_QUERIES_DIR: z.string().min(1).default(path.join(repoRoot, 'schema/persisted-queries')),
    FIRST_PARTY_SAFELIST: z.enum(FIRST_PARTY_SAFELIST_MODES).default('log_unknown'),
    APQ_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
    DOCUMENT_CACHE_SIZE: z.coerce.number().int().positive().default(2_000),
    AMQP_URL: configFields.amqpUrl,
    EVENTS_EXCHANGE: z.string().min(1).default(EVENTS_EXCHANGE),
    WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
    WS_KEEPALIVE_MS: z.coerce.number().int().min(1_000).default(12_000),
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().positive().default(20),
    WS_MAX_QUEUED_EVENTS: z.coerce.number().int().positive().default(64),
    WS_MAX_BUFFERED_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    ...Object.fromEntries(subgraphUrlOverrides(env).map((name) => [name, z.url()])),
  };
}

function subgraphUrlOverrides(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env).filter((name) => name.startsWith(SUBGRAPH_URL_PREFIX));
}

export function readRouterConfig(argv = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const { values } = parseArgs({ args: argv, options: { supergraph: { type: 'string' } }, strict: true });
  const config = readConfig(routerConfigShape(env), env);
  return {
    port: config.PORT,
    host: config.HOST,
    metricsPort: config.METRICS_PORT,
    logLevel: config.LOG_LEVEL,
    supergraphPath: path.resolve(values.supergraph ?? config.SUPERGRAPH_PATH),
    subgraphUrls: Object.fromEntries(
      subgraphUrlOverrides(env).map((name) => [
        name.slice(SUBGRAPH_URL_PREFIX.length).toLowerCase(),
        String(env[name]),
      ]),
    ),
    subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    deduplicateQueries: config.DEDUPLICATE_QUERIES === 'true',
    deduplicateSubgraphFetches: config.DEDUPLICATE_SUBGRAPH_FETCHES === 'true',
    explorerEnabled: config.EXPLORER_ENABLED === 'true',
    webDistDir: config.WEB_DIST_DIR ? path.resolve(config.WEB_DIST_DIR) : null,
    usersJwksUrl: config.USERS_JWKS_URL,
    jwt: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    routerKeyFile: path.resolve(config.ROUTER_KEY_FILE),
    identityTokenTtlSeconds: config.IDENTITY_TOKEN_TTL_SECONDS,
    partnerKeyCacheTtlMs: config.PARTNER_KEY_CACHE_TTL_MS,
    redisUrl: config.REDIS_URL,
    rejectUnauthorized: config.AUTHORIZATION_MODE === 'reject',
    policy: {
      decisionPoint: config.POLICY_DECISION_POINT,
      opaUrl: config.OPA_URL,
      timeoutMs: config.OPA_TIMEOUT_MS,
      cacheTtlMs: config.POLICY_CACHE_TTL_MS,
    },
    operationLimits: config.OPERATION_LIMITS,
    rateLimits: config.RATE_LIMITS,
    persistedQueriesDir: path.resolve(config.PERSISTED_QUERIES_DIR),
    firstPartySafelist: config.FIRST_PARTY_SAFELIST,
    apqTtlSeconds: config.APQ_TTL_SECONDS,
    documentCacheSize: config.DOCUMENT_CACHE_SIZE,
    subscriptions: {
      amqpUrl: config.AMQP_URL,
      exchange: config.EVENTS_EXCHANGE,
      connectionInitTimeoutMs: config.WS_CONNECTION_INIT_TIMEOUT_MS,
      keepAliveMs: config.WS_KEEPALIVE_MS,
      maxSubscriptionsPerConnection: config.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxQueuedEvents: config.WS_MAX_QUEUED_EVENTS,
      maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    },
  };
}
