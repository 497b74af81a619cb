import type { PrismaClient } from '@minishop/db';
import { createKeyLoader } from '@minishop/runtime';

const COUPON_CODE = /^[A-Z0-9_-]{3,32}$/;

/** Coupon codes are matched case-insensitively: customers type them by hand. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

export interface CouponState {
  expiresAt: Date | null;
  disabledAt: Date | null;
}

/** A coupon applies while it is neither disabled nor past its expiry. */
export function isActive(coupon: CouponState, now = new Date()): boolean {
  return coupon.disabledAt === null && (coupon.expiresAt === null || coupon.expiresAt > now);
}

/** Coupons rules and data access (Postgres schema `coupons`). */
export class CouponService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Per-request loaders, so N references in one request cost one query. */
  createLoaders() {
    return {
      coupon: createKeyLoader(
        (codes) => this.prisma.coupon.findMany({ where: { code: { in: codes } } }),
        (coupon) => coupon.code,
        (code) => COUPON_CODE.test(code),
      ),
    };
  }
}

export type CouponLoaders = ReturnType<CouponService['createLoaders']>;
