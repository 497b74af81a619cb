import type { Redis, Result } from 'ioredis';

export interface CartLine {
  productId: string;
  quantity: number;
  /** When the line was first added (epoch ms); lines are listed in that order. */
  addedAt: number;
}

export interface CartView {
  userId: string;
  items: CartLine[];
}

/** How an atomic line write ended. */
export type LineWriteOutcome =
  | { kind: 'written'; quantity: number }
  /** The resulting quantity would leave 1..limit; nothing was written. */
  | { kind: 'outOfBounds'; quantity: number }
  /** `set` on a product that is not in the cart; nothing was written. */
  | { kind: 'noSuchLine' };

/**
 * Redis layout: one hash per user, `cart:{<userId>}`; field = product id, value =
 * `<quantity>:<first added, epoch ms>`. The braces are a hash tag, so an order's marker key lands
 * in the same cluster slot as the cart it changes.
 */
export function cartKey(userId: string): string {
  return `cart:{${userId}}`;
}

function orderMarkerKey(userId: string, orderId: string): string {
  return `cart:{${userId}}:order:${orderId}`;
}

const LINE_VALUE = /^(\d+):(\d+)$/;

function parseLine(productId: string, value: string): CartLine | null {
  const match = LINE_VALUE.exec(value);
  if (!match) return null;
  return { productId, quantity: Number(match[1]), addedAt: Number(match[2]) };
}

// Read, bound-check, write and PEXPIRE in one script, so concurrent writers never lose an update.
// KEYS[1] cart; ARGV: product id, 'add' | 'set', quantity, limit, now (ms), ttl (ms).
// Returns {0, quantity} written, {1, quantity} outside 1..limit, {2, 0} no such line.
const WRITE_LINE_LUA = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local quantity, addedAt = 0, ARGV[5]
if current then
  local q, t = string.match(current, '^(%d+):(%d+)$')
  if q then quantity, addedAt = tonumber(q), t end
end
if ARGV[2] == 'set' then
  if not current then return {2, 0} end
  quantity = tonumber(ARGV[3])
else
  quantity = quantity + tonumber(ARGV[3])
end
if quantity < 1 or quantity > tonumber(ARGV[4]) then return {1, quantity} end
redis.call('HSET', KEYS[1], ARGV[1], quantity .. ':' .. addedAt)
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {0, quantity}
`;

// Subtracts an order's quantities once per order id (the marker makes retries no-ops); lines that
// reach 0 are dropped. KEYS[1] cart, KEYS[2] marker; ARGV: ttl (ms), then product id / quantity pairs.
// Returns 1 when applied, 0 when this order was already applied.
const REMOVE_ORDERED_LUA = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 0 end
for i = 2, #ARGV, 2 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if current then
    local q, t = string.match(current, '^(%d+):(%d+)$')
    local left = (tonumber(q) or 0) - tonumber(ARGV[i + 1])
    if left > 0 and t then
      redis.call('HSET', KEYS[1], ARGV[i], left .. ':' .. t)
    else
      redis.call('HDEL', KEYS[1], ARGV[i])
    end
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    cartWriteLine(
      key: string,
      productId: string,
      mode: 'add' | 'set',
      quantity: number,
      limit: number,
      now: number,
      ttlMs: number,
    ): Result<[number, number], Context>;
    cartRemoveOrdered(
      cartKey: string,
      markerKey: string,
      ttlMs: number,
      ...pairs: (string | number)[]
    ): Result<number, Context>;
  }
}

/** Cart data access: one Redis hash per user, every write atomic and refreshing the TTL. */
export class CartStore {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    ttlSeconds: number,
  ) {
    this.ttlMs = ttlSeconds * 1000;
    redis.defineCommand('cartWriteLine', { numberOfKeys: 1, lua: WRITE_LINE_LUA });
    redis.defineCommand('cartRemoveOrdered', { numberOfKeys: 2, lua: REMOVE_ORDERED_LUA });
  }

  /** The carts of the given users (one round trip), lines in the order they were first added. */
  async findCarts(userIds: readonly string[]): Promise<CartView[]> {
    if (userIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) pipeline.hgetall(cartKey(userId));
    const results = (await pipeline.exec()) ?? [];
    return userIds.map((userId, index) => {
      const [error, hash] = results[index] ?? [null, {}];
      if (error) throw error;
      const items = Object.entries(hash as Record<string, string>)
        .map(([productId, value]) => parseLine(productId, value))
        .filter((line): line is CartLine => line !== null)
        .sort((a, b) => a.addedAt - b.addedAt || a.productId.localeCompare(b.productId));
      return { userId, items };
    });
  }

  async findCart(userId: string): Promise<CartView> {
    const [cart] = await this.findCarts([userId]);
    return cart ?? { userId, items: [] };
  }

  /**
   * Atomically adds `quantity` to a line (`add`, creating it) or sets it (`set`, existing lines
   * only), provided the result stays within 1..limit; refreshes the cart's TTL when written.
   */
  async writeLine(
    userId: string,
    productId: string,
    mode: 'add' | 'set',
    quantity: number,
    limit: number,
  ): Promise<LineWriteOutcome> {
    const [status, resulting] = await this.redis.cartWriteLine(
      cartKey(userId),
      productId,
      mode,
      quantity,
      limit,
      Date.now(),
      this.ttlMs,
    );
    if (status === 0) return { kind: 'written', quantity: resulting };
    if (status === 1) return { kind: 'outOfBounds', quantity: resulting };
    return { kind: 'noSuchLine' };
  }

  /** Removes a line (a no-op when absent) and refreshes the TTL of what is left. */
  async removeLine(userId: string, productId: string): Promise<void> {
    const results = await this.redis
      .multi()
      .hdel(cartKey(userId), productId)
      .pexpire(cartKey(userId), this.ttlMs)
      .exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async clear(userId: string): Promise<void> {
    await this.redis.del(cartKey(userId));
  }

  /** Subtracts an order's lines from the cart once per order id; false when already applied. */
  async removeOrdered(
    userId: string,
    orderId: string,
    lines: readonly { productId: string; quantity: number }[],
  ): Promise<boolean> {
    const pairs = lines.flatMap((line) => [line.productId, line.quantity]);
    const applied = await this.redis.cartRemoveOrdered(
      cartKey(userId),
      orderMarkerKey(userId, orderId),
      this.ttlMs,
      ...pairs,
    );
    return applied === 1;
  }
}
