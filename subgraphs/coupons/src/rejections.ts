import { DomainError, ErrorCode } from '@minishop/runtime';
import type { CouponRejection } from './rules';

const MESSAGES: Record<CouponRejection, string> = {
  NOT_FOUND: 'No coupon has this code',
  INACTIVE: 'This coupon has been disabled',
  NOT_STARTED: 'This coupon is not valid yet',
  EXPIRED: 'This coupon has expired',
  CURRENCY_MISMATCH: 'This coupon does not apply to this currency',
  MIN_SUBTOTAL_NOT_MET: 'The subtotal is below the minimum for this coupon',
  USAGE_LIMIT_REACHED: 'This coupon has been used up',
  USER_LIMIT_REACHED: 'You have already used this coupon as often as allowed',
};

/** NOT_FOUND for a code no coupon has (with `reason` NOT_FOUND, like every rejection). */
export function couponNotFound(): DomainError {
  return new DomainError(ErrorCode.NotFound, MESSAGES.NOT_FOUND, { reason: 'NOT_FOUND' });
}

/**
 * The error for a coupon that cannot be used, carrying `reason` (a CouponRejection) in its
 * extensions: NOT_FOUND for an unknown code, otherwise `code` (CONFLICT when redeeming,
 * BAD_USER_INPUT with `field` when claiming).
 */
export function rejectionError(
  reason: CouponRejection,
  code: typeof ErrorCode.Conflict | typeof ErrorCode.BadUserInput,
  extensions: Record<string, unknown> = {},
): DomainError {
  if (reason === 'NOT_FOUND') return couponNotFound();
  return new DomainError(code, MESSAGES[reason], { ...extensions, reason });
}
