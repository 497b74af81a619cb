import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaClient } from '@minishop/db';
import {
  createIdentitySigner,
  createIdentityVerifier,
  createJwtVerifier,
  createLogger,
  JWKS_PATH,
  loadOrCreateSigningKey,
  type Identity,
  type IdentityVerifier,
} from '@minishop/runtime';
import { TokenIssuer } from '@minishop/users';
import { Redis } from 'ioredis';
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import { createLocalJWKSet, decodeJwt } from 'jose';
import WebSocket from 'ws';
import { serveAllSubgraphs } from '../../scripts/dev/all-subgraphs';
import { readRouterConfig, startRouter, type RouterConfig, type RunningRouter } from '../src';

export const logger = createLogger('test', process.env.LOG_LEVEL ?? 'warn');

export const JWT = { issuer: 'minishop-users', audience: 'minishop' };

/** A scratch folder, removed by `dispose`. */
export function scratchDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'minishop-test-'));
  return {
    dir,
    file: (name: string, content: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * For subgraph tests without a router: accepts the users subgraph's access tokens as if the router
 * had verified them and sent its identity token.
 */
export function userTokenIdentity(tokens: TokenIssuer): IdentityVerifier {
  const users = createJwtVerifier(createLocalJWKSet(tokens.jwks), JWT);
  return {
    verify: async (headers) => {
      const viewer = await users.verify(headers);
      return viewer ? { kind: 'user', viewer } : null;
    },
  };
}

/**
 * Every subgraph on port 0 against the test stack (DATABASE_URL / REDIS_URL from the jest global
 * setup), with the users token key and the router's identity key in a scratch folder.
 */
export async function startSubgraphs() {
  const scratch = scratchDir();
  const prisma = createPrismaClient(String(process.env.DATABASE_URL));
  const redis = new Redis(String(process.env.REDIS_URL));
  const keyFile = path.join(scratch.dir, 'key.json');
  const tokens = await TokenIssuer.fromKeyFile(keyFile, { ...JWT, ttlSeconds: 600 });
  const routerKeyFile = path.join(scratch.dir, 'router-key.json');
  const routerKey = await loadOrCreateSigningKey(routerKeyFile);
  const identities = createIdentitySigner(routerKey, { ttlSeconds: 600 });
  const identity = createIdentityVerifier(createLocalJWKSet({ keys: [routerKey.publicJwk] }));
  const running = await serveAllSubgraphs({ prisma, redis, tokens, identity }, { portOf: () => 0, logger });
  return {
    prisma,
    redis,
    tokens,
    /** The signing key file, for tests that need tokens the users subgraph would not issue (e.g. expired). */
    keyFile,
    /** The router's identity key: the router of a test stack must use it. */
    routerKeyFile,
    usersJwksUrl: String(running.find((subgraph) => subgraph.name === 'users')?.url).replace('/graphql', JWKS_PATH),
    identity,
    /** An identity token as the router signs it (to call a subgraph directly). */
    signIdentity: (asserted: Identity) => identities.sign(asserted),
    /** The identity token the router would send for a user's access token (to call a subgraph directly). */
    asRouter: async (userToken: string) => {
      const claims = decodeJwt(userToken);
      const scopes = String(claims['scope'] ?? '')
        .split(' ')
        .filter(Boolean);
      const viewer = { userId: String(claims.sub), roles: claims['roles'] as string[], scopes };
      return identities.sign({ kind: 'user', viewer });
    },
    running,
    urls: Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url])),
    stop: async () => {
      await Promise.all(running.map((subgraph) => subgraph.stop()));
      await prisma.$disconnect();
      redis.disconnect();
      scratch.dispose();
    },
  };
}

/** A test router in front of `subgraphs` (their URLs and identity key), with `overrides`. */
export function routerConfig(
  subgraphs: { urls: Record<string, string>; routerKeyFile: string; usersJwksUrl: string },
  overrides: Partial<RouterConfig> = {},
): RouterConfig {
  const defaults = readRouterConfig([], {
    REDIS_URL: String(process.env.REDIS_URL),
    AMQP_URL: String(process.env.AMQP_URL),
  });
  return {
    ...defaults,
    port: 0,
    metricsPort: 0,
    logLevel: 'warn',
    subgraphUrls: subgraphs.urls,
    routerKeyFile: subgraphs.routerKeyFile,
    usersJwksUrl: subgraphs.usersJwksUrl,
    subgraphTimeoutMs: 5_000,
    maxBodyBytes: 64 * 1024,
    // Tests share one IP and run many requests: only the rate-limit tests set small buckets.
    rateLimits: {
      anonymous: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
      user: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
      partner: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
    },
    explorerEnabled: true,
    ...overrides,
  };
}

/** All subgraphs plus a router in front of them: what a client of the product sees. */
export async function startStack() {
  const subgraphs = await startSubgraphs();
  const router = await startRouter(routerConfig(subgraphs), logger);
  return {
    router,
    subgraphs,
    prisma: subgraphs.prisma,
    redis: subgraphs.redis,
    stop: async () => {
      await router.stop();
      await subgraphs.stop();
    },
  };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs an operation to the router (or any GraphQL URL); `token` becomes `Authorization: Bearer`. */
export async function graphql(
  target: RunningRouter | string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) {
  const response = await fetch(typeof target === 'string' ? target : target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

/** The seeded dev-only accounts (prisma/src/seed-data.ts). */
export const SEEDED_LOGINS = {
  customer: { email: 'customer@minishop.dev', password: 'customer123!' },
  admin: { email: 'admin@minishop.dev', password: 'admin123!' },
  ops: { email: 'ops@minishop.dev', password: 'ops123!' },
} as const;

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

/** Signs in as a seeded account through the router; returns the access token. */
export async function loginAs(router: RunningRouter, who: keyof typeof SEEDED_LOGINS): Promise<string> {
  const { body } = await graphql(router, LOGIN, SEEDED_LOGINS[who]);
  const token = (body.data?.login as { token?: string } | undefined)?.token;
  if (!token) throw new Error(`login as ${who} failed: ${JSON.stringify(body.errors)}`);
  return token;
}

const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }';

/** Registers a fresh customer through the router; returns its token, id and credentials. */
export async function registerCustomer(router: RunningRouter) {
  const input = { email: `shopper-${randomUUID()}@example.com`, name: 'Test Shopper', password: 'a long password' };
  const { body } = await graphql(router, REGISTER, { input });
  const payload = body.data?.register as { token: string; user: { id: string } } | undefined;
  if (!payload) throw new Error(`register failed: ${JSON.stringify(body.errors)}`);
  return { token: payload.token, userId: payload.user.id, ...input };
}

/** `secret` with its last `count` characters replaced, always by different ones (random secrets may end in "A"). */
export function tamperedEnd(secret: string, count: number): string {
  const filler = secret.endsWith('A'.repeat(count)) ? 'B' : 'A';
  return `${secret.slice(0, -count)}${filler.repeat(count)}`;
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A pass-through proxy in front of a subgraph: records the headers of every request the router
 * sends it, and can hold them (`during`) so that concurrent requests are in flight together.
 */
export async function subgraphProxy(target: string) {
  const seen: http.IncomingHttpHeaders[] = [];
  let holding: { held: (() => void)[]; firstArrived: () => void } | null = null;
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    const forward = () => {
      const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    };
    if (!holding) return forward();
    holding.held.push(forward);
    holding.firstArrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    /** The headers of the requests received since the last call. */
    take: () => seen.splice(0),
    /** Runs `requests`, releasing the held subgraph calls once the first arrived and the rest had time to follow. */
    during: async <T>(requests: () => Promise<T>): Promise<{ results: T; upstreamCalls: number }> => {
      const held: (() => void)[] = [];
      const arrived = new Promise<void>((resolve) => (holding = { held, firstArrived: resolve }));
      seen.length = 0;
      const running = requests();
      await arrived;
      await new Promise((resolve) => setTimeout(resolve, 500));
      holding = null;
      held.forEach((forward) => forward());
      const results = await running;
      return { results, upstreamCalls: seen.splice(0).length };
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A graphql-ws client of a router that records what it receives and how its sockets close. */
export function wsClient(router: RunningRouter, connectionParams: Record<string, unknown> = {}, retry = false) {
  const closes: { code: number; reason: string }[] = [];
  let connects = 0;
  const client: Client = createClient({
    url: router.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: () => connectionParams,
    retryAttempts: retry ? 50 : 0,
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
    shouldRetry: () => retry,
    on: {
      connected: () => void (connects += 1),
      closed: (event) => void closes.push(event as { code: number; reason: string }),
    },
  });
  return {
    client,
    closes,
    connects: () => connects,
    /** Subscribes; results and the terminal error (if any) are recorded. */
    subscribe(query: string, variables: Record<string, unknown> = {}) {
      const results: ExecutionResult<Record<string, unknown>>[] = [];
      const outcome: { error?: unknown; complete?: boolean } = {};
      client.subscribe(
        { query, variables },
        {
          next: (result) => void results.push(result as ExecutionResult<Record<string, unknown>>),
          error: (error) => void (outcome.error = error),
          complete: () => void (outcome.complete = true),
        },
      );
      return { results, outcome };
    },
    dispose: () => client.dispose(),
  };
}

/** The `extensions.code` of each GraphQL error a graphql-ws subscription failed with (else the failure itself). */
export const errorCodesOf = (error: unknown) =>
  Array.isArray(error) ? error.map((item: { extensions?: { code?: string } }) => item.extensions?.code) : error;

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one series name in Prometheus text (`name{a="b",...} value`). */
export function metricSamples(text: string, name: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
      const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { labels: labels as Record<string, string>, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
    });
}

/** The sum of the samples of `name` whose labels include `labels`. */
export function metricTotal(text: string, name: string, labels: Record<string, string> = {}): number {
  return metricSamples(text, name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}
