import { z } from 'zod';

/** Thrown when the environment does not satisfy a process's config schema; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a process's typed config from the environment once, at start. Every problem is reported
 * (by variable name) in one ConfigError rather than failing on the first.
 */
export function readConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      return value === undefined ? `${name}: is required (${issue.message})` : `${name}: ${issue.message}`;
    }),
  );
}

/** Config fields shared by the processes; each process picks the ones it needs. */
export const configFields = {
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  port: z.coerce.number().int().min(0).max(65535),
  /** The interface to listen on: loopback unless told otherwise (containers set 0.0.0.0). */
  host: z.string().min(1).default('127.0.0.1'),
  postgresUrl: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' })
    .refine(
      (url) => !URL.canParse(url) || new URL(url).pathname.length > 1,
      'must name a database: postgresql://user:password@host:port/db',
    ),
  redisUrl: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  amqpUrl: z.url({ protocol: /^amqps?$/, error: 'must be an amqp:// URL' }),
  /** Another service's HTTP endpoint (e.g. a subgraph a subgraph calls). */
  httpUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }),
};

/** Who issues user access tokens and for whom: the users subgraph signs them, the router verifies them. */
export const jwtConfigFields = {
  JWT_ISSUER: z.string().min(1).default('minishop-users'),
  JWT_AUDIENCE: z.string().min(1).default('minishop'),
};

/** Where subgraphs fetch the router's public keys to verify its identity tokens. */
export const identityConfigFields = {
  IDENTITY_JWKS_URL: z.url().default('http://127.0.0.1:4000/.well-known/jwks.json'),
};
