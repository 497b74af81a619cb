import { randomBytes, randomUUID } from 'node:crypto';
import { createPrismaClient, type Prisma, type PrismaClient } from '@minishop/db';
import type { Viewer } from '@minishop/runtime';

/** A Prisma client on the test database (DATABASE_URL from the jest global setup). */
export function testPrisma(): PrismaClient {
  return createPrismaClient(String(process.env.DATABASE_URL));
}

/**
 * Coupons made by one test file, each with a fresh code, removed (with their redemptions and
 * claims) by `cleanup`, so tests never touch the seeded coupons or each other's.
 */
export function couponFixtures(prisma: PrismaClient) {
  const codes: string[] = [];
  return {
    /** A fresh code that is remembered for cleanup (whoever ends up creating the coupon). */
    code(): string {
      const code = `IT-${randomBytes(6).toString('hex').toUpperCase()}`;
      codes.push(code);
      return code;
    },
    /** Inserts a coupon directly (any state, e.g. already expired): 10% off, no limits unless overridden. */
    async insert(overrides: Partial<Prisma.CouponCreateInput> = {}) {
      return prisma.coupon.create({ data: { code: this.code(), kind: 'PERCENT', value: 10, ...overrides } });
    },
    async cleanup(): Promise<void> {
      await prisma.couponRedemption.deleteMany({ where: { couponCode: { in: codes } } });
      await prisma.coupon.deleteMany({ where: { code: { in: codes } } });
    },
  };
}

export const customer = (userId: string = randomUUID()): Viewer => ({ userId, roles: ['customer'], scopes: [] });
export const admin = (userId: string = randomUUID()): Viewer => ({
  userId,
  roles: ['admin'],
  scopes: ['catalog:write', 'stock:write', 'coupons:write', 'orders:manage', 'users:manage'],
});

export const eur = (amount: number) => ({ amount, currency: 'EUR' });
export const HOUR = 3_600_000;

/** Runs `operation` and returns the GraphQL error it throws (extensions included). */
export async function thrown(
  operation: () => Promise<unknown>,
): Promise<{ message: string; extensions: Record<string, unknown> }> {
  try {
    await operation();
  } catch (error) {
    if (error instanceof Error && 'extensions' in error) {
      return { message: error.message, extensions: error.extensions as Record<string, unknown> };
    }
    throw error;
  }
  throw new Error('expected the operation to fail');
}
