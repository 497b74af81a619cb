import { z } from 'zod';
import { configFields, EVENTS_EXCHANGE, readConfig } from '@minishop/runtime';

/** The workers one process can run; WORKERS picks a subset. */
export const WORKER_NAMES = ['relay', 'notifications', 'reviews', 'products'] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

const int = (min: number) => z.coerce.number().int().min(min);

/** Every setting of the workers process (the names are the environment variables). */
export const workersConfigShape = {
  LOG_LEVEL: configFields.logLevel,
  DATABASE_URL: configFields.postgresUrl,
  AMQP_URL: configFields.amqpUrl,
  /** Health endpoints (/health/live, /health/ready). */
  WORKERS_PORT: configFields.port.default(4010),
  HOST: configFields.host,
  /** Comma-separated subset of WORKER_NAMES to run; all by default. */
  WORKERS: z
    .string()
    .default(WORKER_NAMES.join(','))
    .transform((value) => [...new Set(value.split(',').map((name) => name.trim()))].filter(Boolean))
    .pipe(z.array(z.enum(WORKER_NAMES)).min(1)),
  EVENTS_EXCHANGE: z.string().min(1).default(EVENTS_EXCHANGE),
  QUEUE_PREFIX: z.string().min(1).default('minishop'),
  RELAY_BATCH_SIZE: int(1).max(1000).default(100),
  RELAY_POLL_INTERVAL_MS: int(10).default(1000),
  RELAY_RETRY_BASE_MS: int(1).default(1000),
  RELAY_RETRY_MAX_MS: int(1).default(60_000),
  RELAY_CONFIRM_TIMEOUT_MS: int(100).default(10_000),
  RELAY_RETENTION_DAYS: z.coerce.number().positive().default(7),
  RELAY_CLEANUP_INTERVAL_MS: int(1000).default(3_600_000),
  CONSUMER_PREFETCH: int(1).max(1000).default(16),
  CONSUMER_MAX_ATTEMPTS: int(1).default(5),
  CONSUMER_RETRY_DELAY_MS: int(1).default(5000),
  AMQP_RECONNECT_MAX_MS: int(100).default(30_000),
};

export type WorkersConfig = z.infer<z.ZodObject<typeof workersConfigShape>>;

/** Reads the workers' config once, at start; every bad variable is reported in one ConfigError. */
export function readWorkersConfig(env: NodeJS.ProcessEnv = process.env): WorkersConfig {
  return readConfig(workersConfigShape, env);
}
