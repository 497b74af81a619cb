import type { CouponKind } from '@minishop/db';

/** An amount in integer minor units with its ISO-4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** Why a coupon does not apply; the values of the `CouponRejection` enum. */
export type CouponRejection =
  | 'NOT_FOUND'
  | 'INACTIVE'
  | 'NOT_STARTED'
  | 'EXPIRED'
  | 'MIN_SUBTOTAL_NOT_MET'
  | 'CURRENCY_MISMATCH'
  | 'USAGE_LIMIT_REACHED'
  | 'USER_LIMIT_REACHED';

/** Where a coupon is in its life; the values of the `CouponStatus` enum. */
export type CouponStatus = 'ACTIVE' | 'DISABLED' | 'SCHEDULED' | 'EXPIRED';

/** The columns the rules read (a `coupons.coupons` row has them all). */
export interface CouponTerms {
  kind: CouponKind;
  value: number;
  currency: string | null;
  minSubtotalAmount: number;
  maxRedemptions: number | null;
  perUserLimit: number;
  redemptionCount: number;
  startsAt: Date | null;
  expiresAt: Date | null;
  disabledAt: Date | null;
}

export type CouponDecision = { valid: true; discount: Money } | { valid: false; reason: CouponRejection };

const CODE_FORMAT = /^[A-Z0-9_-]{3,32}$/;

/** Coupon codes are matched case-insensitively: customers type them by hand. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/** True for a normalised code that can exist (3..32 of A-Z, 0-9, `_`, `-`). */
export function isWellFormedCode(code: string): boolean {
  return CODE_FORMAT.test(code);
}

/** Disabled wins over the window; the window is [startsAt, expiresAt): it expires at `expiresAt` exactly. */
export function couponStatus(
  coupon: Pick<CouponTerms, 'startsAt' | 'expiresAt' | 'disabledAt'>,
  now: Date,
): CouponStatus {
  if (coupon.disabledAt !== null) return 'DISABLED';
  if (coupon.startsAt !== null && now < coupon.startsAt) return 'SCHEDULED';
  if (coupon.expiresAt !== null && now >= coupon.expiresAt) return 'EXPIRED';
  return 'ACTIVE';
}

const STATUS_REJECTION: Record<Exclude<CouponStatus, 'ACTIVE'>, CouponRejection> = {
  DISABLED: 'INACTIVE',
  SCHEDULED: 'NOT_STARTED',
  EXPIRED: 'EXPIRED',
};

/** Why the coupon cannot be used at `now` regardless of the order (claiming checks only this), or null. */
export function availabilityRejection(
  coupon: Pick<CouponTerms, 'startsAt' | 'expiresAt' | 'disabledAt'>,
  now: Date,
): CouponRejection | null {
  const status = couponStatus(coupon, now);
  return status === 'ACTIVE' ? null : STATUS_REJECTION[status];
}

/**
 * The discount on `subtotal`: PERCENT rounds down to the minor unit; FIXED never exceeds the
 * subtotal. Assumes the currencies match (checked by `evaluateCoupon`).
 */
export function computeDiscount(coupon: Pick<CouponTerms, 'kind' | 'value'>, subtotal: Money): Money {
  const amount =
    coupon.kind === 'PERCENT'
      ? Math.floor((subtotal.amount * coupon.value) / 100)
      : Math.min(coupon.value, subtotal.amount);
  return { amount, currency: subtotal.currency };
}

/** Redemptions still possible under the global limit; null when unlimited. */
export function remainingRedemptions(coupon: Pick<CouponTerms, 'maxRedemptions' | 'redemptionCount'>): number | null {
  return coupon.maxRedemptions === null ? null : Math.max(coupon.maxRedemptions - coupon.redemptionCount, 0);
}

/**
 * Whether `coupon` applies to `subtotal` at `now`, checked in the order of the `CouponRejection`
 * enum's documentation. `userRedemptions` is how many held redemptions the user already has
 * (null skips the per-user limit, e.g. for an anonymous caller).
 */
export function evaluateCoupon(
  coupon: CouponTerms | null,
  request: { subtotal: Money; now: Date; userRedemptions: number | null },
): CouponDecision {
  if (coupon === null) return { valid: false, reason: 'NOT_FOUND' };
  const reason = rejectionOf(coupon, request);
  return reason === null
    ? { valid: true, discount: computeDiscount(coupon, request.subtotal) }
    : { valid: false, reason };
}

function rejectionOf(
  coupon: CouponTerms,
  { subtotal, now, userRedemptions }: { subtotal: Money; now: Date; userRedemptions: number | null },
): CouponRejection | null {
  const unavailable = availabilityRejection(coupon, now);
  if (unavailable !== null) return unavailable;
  // A coupon without a currency (PERCENT) applies to subtotals in any currency.
  if (coupon.currency !== null && coupon.currency !== subtotal.currency) return 'CURRENCY_MISMATCH';
  if (subtotal.amount < coupon.minSubtotalAmount) return 'MIN_SUBTOTAL_NOT_MET';
  if (remainingRedemptions(coupon) === 0) return 'USAGE_LIMIT_REACHED';
  if (userRedemptions !== null && userRedemptions >= coupon.perUserLimit) return 'USER_LIMIT_REACHED';
  return null;
}
