import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Caller, ClientType } from '../caller';
import { createRateLimiter, DEFAULT_RATE_LIMITS, type RateLimitBucket } from './rate-limit';

const alice: Caller = { kind: 'user', userId: 'alice', roles: ['customer'], scopes: [] };
const bob: Caller = { kind: 'user', userId: 'bob', roles: ['customer'], scopes: [] };
const visitor = (ip: string): Caller => ({ kind: 'anonymous', ip });

/** A pino logger whose lines are kept for assertions. */
function capturingLogger() {
  const lines: { level: number; msg: string; err?: { message: string } }[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const everyType = (bucket: RateLimitBucket): Record<ClientType, RateLimitBucket> => ({
  anonymous: bucket,
  user: bucket,
  partner: bucket,
});

describe('createRateLimiter against Redis', () => {
  let redis: Redis;
  let keyPrefix: string;

  beforeAll(() => {
    redis = new Redis(String(process.env.REDIS_URL));
  });

  beforeEach(() => {
    keyPrefix = `test:ratelimit:${randomUUID()}:`;
  });

  afterEach(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(async () => {
    await redis.quit();
  });

  const limiter = (bucket: RateLimitBucket) =>
    createRateLimiter(redis, everyType(bucket), capturingLogger().logger, { keyPrefix, timeoutMs: 2_000 });

  it('allows a burst of `capacity`, then denies with the seconds until a token is back', async () => {
    const { take } = limiter({ capacity: 3, refillPerSecond: 0.1 });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await take(alice));
    expect(decisions.slice(0, 3)).toEqual([
      { allowed: true, remaining: 2, retryAfterSeconds: 0 },
      { allowed: true, remaining: 1, retryAfterSeconds: 0 },
      { allowed: true, remaining: 0, retryAfterSeconds: 0 },
    ]);
    const denied = decisions[3];
    expect(denied).toMatchObject({ allowed: false, remaining: 0 });
    // one token at 0.1/s is about 10 s away
    expect(denied?.retryAfterSeconds).toBeGreaterThanOrEqual(9);
    expect(denied?.retryAfterSeconds).toBeLessThanOrEqual(10);
  });

  it('keeps the bucket in one hash that expires once it would be full again', async () => {
    const { take } = limiter({ capacity: 4, refillPerSecond: 2 });
    await take(alice);
    const key = `${keyPrefix}user:alice`;
    expect(Object.keys(await redis.hgetall(key)).sort()).toEqual(['at', 'tokens']);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(4_000 / 2 + 1_000);
  });

  it('denies with retryAfterSeconds >= 1 even when the next token is less than a second away', async () => {
    const { take } = limiter({ capacity: 1, refillPerSecond: 5 });
    expect((await take(alice)).allowed).toBe(true);
    const denied = await take(alice);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterSeconds).toBe(1);
  });

  it('refills over time', async () => {
    const { take } = limiter({ capacity: 2, refillPerSecond: 20 });
    await take(alice);
    await take(alice);
    expect((await take(alice)).allowed).toBe(false);
    let allowed = false;
    for (let attempt = 0; attempt < 100 && !allowed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      allowed = (await take(alice)).allowed;
    }
    expect(allowed).toBe(true);
  });

  it('keeps one bucket per client: users apart, anonymous callers by IP', async () => {
    const { take } = limiter({ capacity: 1, refillPerSecond: 0.01 });
    expect((await take(alice)).allowed).toBe(true);
    expect((await take(alice)).allowed).toBe(false);
    expect((await take(bob)).allowed).toBe(true);

    expect((await take(visitor('203.0.113.7'))).allowed).toBe(true);
    expect((await take(visitor('203.0.113.7'))).allowed).toBe(false);
    expect((await take(visitor('198.51.100.2'))).allowed).toBe(true);
  });

  it("uses each client type's bucket", async () => {
    const { take } = createRateLimiter(
      redis,
      { ...DEFAULT_RATE_LIMITS, anonymous: { capacity: 1, refillPerSecond: 0.01 } },
      capturingLogger().logger,
      { keyPrefix, timeoutMs: 2_000 },
    );
    expect(await take(visitor('203.0.113.9'))).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect((await take(alice)).remaining).toBe(DEFAULT_RATE_LIMITS.user.capacity - 1);
  });

  it('takes several tokens at once', async () => {
    const { take } = limiter({ capacity: 10, refillPerSecond: 0.01 });
    expect(await take(alice, 7)).toMatchObject({ allowed: true, remaining: 3 });
    expect(await take(alice, 4)).toMatchObject({ allowed: false, remaining: 3 });
    expect(await take(alice, 3)).toMatchObject({ allowed: true, remaining: 0 });
    await expect(take(alice, 11)).rejects.toThrow(RangeError);
  });

  it('is atomic: 100 concurrent takes on a bucket of 50 allow exactly 50', async () => {
    const { take } = limiter({ capacity: 50, refillPerSecond: 0.01 });
    const decisions = await Promise.all(Array.from({ length: 100 }, () => take(alice)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(50);
  });
});

describe('createRateLimiter without Redis', () => {
  const bucket = everyType({ capacity: 1, refillPerSecond: 1 });

  it('allows and warns when Redis refuses connections', async () => {
    const port = await closedPort();
    const redis = new Redis({ host: '127.0.0.1', port, connectTimeout: 200, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    const { logger, lines } = capturingLogger();
    try {
      const { take } = createRateLimiter(redis, bucket, logger, { timeoutMs: 1_000 });
      expect(await take(alice)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
      expect(await take(alice)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
      // one warning, not one per request
      expect(lines).toEqual([
        expect.objectContaining({ level: 40, msg: 'rate limiter unavailable, allowing requests' }),
      ]);
    } finally {
      redis.disconnect();
    }
  });

  it('allows and warns when Redis does not answer within the timeout', async () => {
    const silent = await silentServer();
    const redis = new Redis({ host: '127.0.0.1', port: silent.port, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    const { logger, lines } = capturingLogger();
    try {
      const { take } = createRateLimiter(redis, bucket, logger, { timeoutMs: 100 });
      const started = Date.now();
      expect(await take(alice)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
      // about the timeout, nowhere near ioredis's own (10 s connect timeout)
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(lines).toEqual([
        expect.objectContaining({ level: 40, err: expect.objectContaining({ message: 'no answer within 100 ms' }) }),
      ]);
    } finally {
      redis.disconnect();
      await silent.close();
    }
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server that accepts connections and never answers: a hung Redis. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
