import type { Redis } from 'ioredis';
import { isUuid } from '@minishop/runtime';
import DataLoader from 'dataloader';

export interface CartLine {
  productId: string;
  quantity: number;
  addedAt: number;
}

export interface CartView {
  userId: string;
  items: CartLine[];
}

/** A cart is one Redis hash per user: field = product id, value = JSON {quantity, addedAt}. */
export function cartKey(userId: string): string {
  return `cart:${userId}`;
}

function parseLine(productId: string, value: string): CartLine | null {
  try {
    const parsed = JSON.parse(value) as Partial<CartLine>;
    if (typeof parsed.quantity === 'number' && typeof parsed.addedAt === 'number') {
      return { productId, quantity: parsed.quantity, addedAt: parsed.addedAt };
    }
  } catch {
    // an unreadable line is skipped rather than failing the whole cart
  }
  return null;
}

/** Cart rules and data access (Redis). */
export class CartService {
  constructor(private readonly redis: Redis) {}

  /** The carts of the given users, lines in the order they were first added; empty when none. */
  async findCarts(userIds: readonly string[]): Promise<CartView[]> {
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) pipeline.hgetall(cartKey(userId));
    const results = (await pipeline.exec()) ?? [];
    return userIds.map((userId, index) => {
      const [error, hash] = results[index] ?? [null, {}];
      if (error) throw error;
      const items = Object.entries(hash as Record<string, string>)
        .map(([productId, value]) => parseLine(productId, value))
        .filter((line): line is CartLine => line !== null)
        .sort((a, b) => a.addedAt - b.addedAt);
      return { userId, items };
    });
  }

  /** Per-request loaders, so N references in one request cost one Redis round trip. */
  createLoaders() {
    return {
      cart: new DataLoader<string, CartView | null>(async (userIds) => {
        const valid = userIds.filter(isUuid);
        const carts = new Map((await this.findCarts(valid)).map((cart) => [cart.userId, cart]));
        return userIds.map((userId) => carts.get(userId) ?? null);
      }),
    };
  }
}

export type CartLoaders = ReturnType<CartService['createLoaders']>;
