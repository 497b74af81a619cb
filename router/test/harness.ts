import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaClient } from '@minishop/db';
import { createLogger } from '@minishop/runtime';
import { TokenIssuer } from '@minishop/users';
import { Redis } from 'ioredis';
import { serveAllSubgraphs } from '../../scripts/dev/all-subgraphs';
import { startRouter, type RunningRouter } from '../src';
import type { RouterConfig } from '../src/config';

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
 * Every subgraph on port 0 against the test stack (DATABASE_URL / REDIS_URL from the jest global
 * setup), with a signing key of their own in a scratch folder.
 */
export async function startSubgraphs() {
  const scratch = scratchDir();
  const prisma = createPrismaClient(String(process.env.DATABASE_URL));
  const redis = new Redis(String(process.env.REDIS_URL));
  const keyFile = path.join(scratch.dir, 'key.json');
  const tokens = await TokenIssuer.fromKeyFile(keyFile, { ...JWT, ttlSeconds: 600 });
  const running = await serveAllSubgraphs({ prisma, redis, tokens, jwt: JWT }, { portOf: () => 0, logger });
  return {
    prisma,
    redis,
    tokens,
    /** The signing key file, for tests that need tokens the users subgraph would not issue (e.g. expired). */
    keyFile,
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

export function routerConfig(overrides: Partial<RouterConfig> & Pick<RouterConfig, 'subgraphUrls'>): RouterConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    logLevel: 'warn',
    supergraphPath: path.resolve(__dirname, '../../schema/supergraph.graphql'),
    subgraphTimeoutMs: 5_000,
    maxBodyBytes: 64 * 1024,
    deduplicateQueries: true,
    ...overrides,
  };
}

/** All subgraphs plus a router in front of them: what a client of the product sees. */
export async function startStack() {
  const subgraphs = await startSubgraphs();
  const router = await startRouter(routerConfig({ subgraphUrls: subgraphs.urls }), logger);
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

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
