import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { conflict } from '@minishop/runtime';

// Deletes the lock only while it is still ours (its lease may have expired and been taken).
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * Serialises placements that share (user, idempotency key) with a Redis lease: the second request
 * waits for the first to finish, then finds its order. Without it, two racing requests each hold
 * stock for their own attempt, and when stock is scarce the loser is refused (CONFLICT) instead of
 * answered with the winner's order. The unique (user_id, idempotency_key) constraint stays the
 * last line of defence should a lease expire mid-placement.
 */
export class PlacementLock {
  constructor(
    private readonly redis: Redis,
    private readonly leaseMs = 30_000,
    private readonly waitMs = 20_000,
  ) {}

  async run<T>(userId: string, key: string, work: () => Promise<T>): Promise<T> {
    const name = `order-placement:${userId}:${createHash('sha256').update(key).digest('hex')}`;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    while ((await this.redis.set(name, token, 'PX', this.leaseMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw conflict('An order with this idempotency key is still being placed; retry');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, name, token);
    }
  }
}
