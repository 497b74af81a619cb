import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaClient } from '@minishop/db';
import { createLogger } from '@minishop/runtime';
import { Redis } from 'ioredis';
import { serveAllSubgraphs } from '../../scripts/dev/all-subgraphs';
import type { RunningRouter } from '../src';
import type { RouterConfig } from '../src/config';

export const logger = createLogger('test', process.env.LOG_LEVEL ?? 'warn');

/** Every subgraph on port 0 against the test stack (DATABASE_URL / REDIS_URL from the jest global setup). */
export async function startSubgraphs() {
  const prisma = createPrismaClient(String(process.env.DATABASE_URL));
  const redis = new Redis(String(process.env.REDIS_URL));
  const running = await serveAllSubgraphs({ prisma, redis }, { portOf: () => 0, logger });
  return {
    prisma,
    redis,
    running,
    urls: Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url])),
    stop: async () => {
      await Promise.all(running.map((subgraph) => subgraph.stop()));
      await prisma.$disconnect();
      redis.disconnect();
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
    ...overrides,
  };
}

export async function graphql(router: RunningRouter, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A scratch folder for supergraph files, removed by `dispose`. */
export function scratchDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'minishop-router-'));
  return {
    file: (name: string, content: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
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
