import type { CouponKind, Prisma } from '@minishop/db';
import { badUserInput } from '@minishop/runtime';
import { isWellFormedCode, normalizeCode, type Money } from './rules';

/** `CreateCouponInput` as GraphQL hands it over (defaults applied). */
export interface CreateCouponInput {
  code: string;
  description: string;
  kind: CouponKind;
  value: number;
  currency?: string | null;
  minSubtotal: number;
  maxRedemptions?: number | null;
  perUserLimit: number;
  startsAt?: Date | null;
  expiresAt?: Date | null;
  active: boolean;
}

const CURRENCY_FORMAT = /^[A-Z]{3}$/;
const MAX_DESCRIPTION_LENGTH = 500;

/** A `MoneyInput`: a non-negative amount and an ISO-4217 code, or BAD_USER_INPUT naming the bad part. */
export function parseMoney(money: Money, field: string): Money {
  if (!Number.isInteger(money.amount) || money.amount < 0) {
    throw badUserInput('Amount must be a non-negative integer of minor units', { field: `${field}.amount` });
  }
  if (!CURRENCY_FORMAT.test(money.currency)) {
    throw badUserInput('Currency must be an ISO-4217 code such as EUR', { field: `${field}.currency` });
  }
  return money;
}

/** Validates `createCoupon`'s input into the row to insert; every violation is BAD_USER_INPUT naming its field. */
export function parseCreateCouponInput(input: CreateCouponInput, now: Date): Prisma.CouponCreateInput {
  const code = normalizeCode(input.code);
  if (!isWellFormedCode(code))
    throw badUserInput('A coupon code has 3 to 32 letters, digits, "_" or "-"', { field: 'code' });
  const description = input.description.trim();
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw badUserInput(`Description is limited to ${MAX_DESCRIPTION_LENGTH} characters`, { field: 'description' });
  }
  const currency = input.currency ?? null;
  if (currency !== null && !CURRENCY_FORMAT.test(currency)) {
    throw badUserInput('Currency must be an ISO-4217 code such as EUR', { field: 'currency' });
  }
  if (input.kind === 'PERCENT' && (input.value < 1 || input.value > 100)) {
    throw badUserInput('A percentage is 1 to 100', { field: 'value' });
  }
  if (input.kind === 'FIXED') {
    if (input.value < 1) throw badUserInput('A fixed amount is at least 1 minor unit', { field: 'value' });
    if (currency === null) throw badUserInput('A fixed amount needs a currency', { field: 'currency' });
  }
  if (input.minSubtotal < 0) throw badUserInput('Minimum subtotal cannot be negative', { field: 'minSubtotal' });
  if (input.minSubtotal > 0 && currency === null) {
    throw badUserInput('A minimum subtotal needs a currency', { field: 'currency' });
  }
  const maxRedemptions = input.maxRedemptions ?? null;
  if (maxRedemptions !== null && maxRedemptions < 1) {
    throw badUserInput('Redemption limit must be at least 1 (omit it for no limit)', { field: 'maxRedemptions' });
  }
  if (input.perUserLimit < 1) throw badUserInput('Per-user limit must be at least 1', { field: 'perUserLimit' });
  const startsAt = input.startsAt ?? null;
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && expiresAt <= now)
    throw badUserInput('Expiry must be in the future', { field: 'expiresAt' });
  if (startsAt !== null && expiresAt !== null && startsAt >= expiresAt) {
    throw badUserInput('Expiry must come after the start', { field: 'expiresAt' });
  }
  return {
    code,
    description,
    kind: input.kind,
    value: input.value,
    currency,
    minSubtotalAmount: input.minSubtotal,
    maxRedemptions,
    perUserLimit: input.perUserLimit,
    startsAt,
    expiresAt,
    disabledAt: input.active ? null : now,
  };
}
