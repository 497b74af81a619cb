import type { Logger } from '@minishop/runtime';
import type { Redis, Result } from 'ioredis';
import { z } from 'zod';
import { callerKey, type Caller, type ClientType } from '../caller';
import { readPerClientOverrides } from './per-client-overrides';

/** A token bucket: up to `capacity` requests in a burst, then `refillPerSecond` on average. */
export interface RateLimitBucket {
  capacity: number;
  refillPerSecond: number;
}

const bucketShape = { capacity: z.number().int().positive(), refillPerSecond: z.number().positive() };

/**
 * Per client key (one IP for anonymous callers, so shared NATs get the smallest share), signed-in
 * users a page load's worth of burst, partners the most (server-to-server feeds).
 */
export const DEFAULT_RATE_LIMITS: Record<ClientType, RateLimitBucket> = {
  anonymous: { capacity: 60, refillPerSecond: 10 },
  user: { capacity: 120, refillPerSecond: 20 },
  partner: { capacity: 300, refillPerSecond: 50 },
};

/** `RATE_LIMITS` (JSON of partial per-client-type overrides) merged over the defaults. */
export function readRateLimits(json: string | undefined): Record<ClientType, RateLimitBucket> {
  return readPerClientOverrides('RATE_LIMITS', json, bucketShape, DEFAULT_RATE_LIMITS);
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole tokens left in the bucket after this request. */
  remaining: number;
  /** When denied: seconds until enough tokens are back (>= 1), for `Retry-After`; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Takes `tokens` (default 1) from the caller's bucket, atomically across router replicas. */
  take(caller: Caller, tokens?: number): Promise<RateLimitDecision>;
}

// The whole read-refill-take-write runs in Redis, so concurrent requests (from any replica) cannot
// both spend the same token; the clock is Redis's, so replicas agree on elapsed time. The bucket
// expires once it would be full again, when it is equivalent to no bucket at all.
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local requested = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local retry = 0
if tokens >= requested then
  tokens = tokens - requested
  allowed = 1
else
  retry = math.max(1, math.ceil((requested - tokens) / rate))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {allowed, math.floor(tokens), retry}
`;

const COMMAND = 'minishopRateLimitTake';
const WARN_EVERY_MS = 10_000;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    minishopRateLimitTake(
      key: string,
      capacity: number,
      refillPerSecond: number,
      tokens: number,
    ): Result<[number, number, number], Context>;
  }
}

/**
 * Per-client token buckets in Redis (one hash per `callerKey`), one EVALSHA per request.
 * When Redis fails or answers slower than `timeoutMs`, the request is allowed and a warning logged
 * (at most every 10 s): rate limiting protects capacity, so an outage of it should not become an
 * outage of the shop; authorization is where we deny when unsure.
 */
export function createRateLimiter(
  redis: Redis,
  buckets: Record<ClientType, RateLimitBucket>,
  logger: Logger,
  options: { keyPrefix?: string; timeoutMs?: number } = {},
): RateLimiter {
  const { keyPrefix = 'ratelimit:', timeoutMs = 100 } = options;
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_SCRIPT });
  let lastWarning = -Infinity;
  let suppressed = 0;

  return {
    async take(caller, tokens = 1) {
      const bucket = buckets[caller.kind];
      if (!Number.isInteger(tokens) || tokens < 1 || tokens > bucket.capacity) {
        throw new RangeError(`tokens must be an integer from 1 to the bucket capacity (${bucket.capacity})`);
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        const [allowed, remaining, retryAfterSeconds] = await Promise.race([
          redis.minishopRateLimitTake(
            `${keyPrefix}${callerKey(caller)}`,
            bucket.capacity,
            bucket.refillPerSecond,
            tokens,
          ),
          new Promise<never>((_, reject) => {
            // Timers run before I/O: under event-loop lag the timer would fire although Redis has already
            // answered. Rejecting from setImmediate lets an arrived reply win the race.
            timer = setTimeout(
              () => setImmediate(() => reject(new Error(`no answer within ${timeoutMs} ms`))),
              timeoutMs,
            );
          }),
        ]);
        return { allowed: allowed === 1, remaining, retryAfterSeconds };
      } catch (error) {
        const now = Date.now();
        if (now - lastWarning >= WARN_EVERY_MS) {
          logger.warn({ err: error, suppressedWarnings: suppressed }, 'rate limiter unavailable, allowing requests');
          lastWarning = now;
          suppressed = 0;
        } else {
          suppressed += 1;
        }
        return { allowed: true, remaining: 0, retryAfterSeconds: 0 };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
