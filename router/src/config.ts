import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFields, readConfig, repoRoot } from '@minishop/runtime';
import { z } from 'zod';

const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

/** The router's whole config, read once at start from the environment and the command line. */
export interface RouterConfig {
  port: number;
  host: string;
  logLevel: string;
  /** Supergraph SDL file to serve and watch (`--supergraph <file>` or SUPERGRAPH_PATH). */
  supergraphPath: string;
  /** Per-subgraph routing URL overrides (SUBGRAPH_URL_<NAME>=url), e.g. for other environments. */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  maxBodyBytes: number;
  /** Identical in-flight queries from the same identity share one execution. */
  deduplicateQueries: boolean;
}

export function readRouterConfig(argv = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const { values } = parseArgs({ args: argv, options: { supergraph: { type: 'string' } }, strict: true });
  const overrideNames = Object.keys(env).filter((name) => name.startsWith(SUBGRAPH_URL_PREFIX));
  const config = readConfig(
    {
      PORT: configFields.port.default(4000),
      HOST: z.string().min(1).default('127.0.0.1'),
      LOG_LEVEL: configFields.logLevel,
      SUPERGRAPH_PATH: z.string().min(1).default(path.join(repoRoot, 'schema/supergraph.graphql')),
      SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
      MAX_BODY_BYTES: z.coerce
        .number()
        .int()
        .positive()
        .default(1024 * 1024),
      DEDUPLICATE_QUERIES: z.enum(['true', 'false']).default('true'),
      ...Object.fromEntries(overrideNames.map((name) => [name, z.url()])),
    },
    env,
  );
  return {
    port: config.PORT,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    supergraphPath: path.resolve(values.supergraph ?? config.SUPERGRAPH_PATH),
    subgraphUrls: Object.fromEntries(
      overrideNames.map((name) => [name.slice(SUBGRAPH_URL_PREFIX.length).toLowerCase(), String(env[name])]),
    ),
    subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    maxBodyBytes: config.MAX_BODY_BYTES,
    deduplicateQueries: config.DEDUPLICATE_QUERIES === 'true',
  };
}
