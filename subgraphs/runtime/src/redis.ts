import { Redis } from 'ioredis';
import type { ProcessScope } from './process';

/**
 * An ioredis client for the process, closed on shutdown. Commands fail fast (no offline queue
 * beyond a short reconnect) so a Redis outage becomes an error, not a hung request.
 */
export function connectRedis(url: string, scope: ProcessScope): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectionName: 'minishop' });
  scope.onShutdown(async () => {
    await redis.quit();
  });
  return redis;
}

/** Readiness check: PING answers PONG. */
export async function pingRedis(redis: Redis): Promise<void> {
  if ((await redis.ping()) !== 'PONG') throw new Error('redis did not answer PONG');
}
