import {
  availabilityRejection,
  computeDiscount,
  couponStatus,
  evaluateCoupon,
  isWellFormedCode,
  normalizeCode,
  remainingRedemptions,
  type CouponTerms,
  type Money,
} from './rules';

const now = new Date('2026-11-21T12:00:00.000Z');
const ms = (offset: number) => new Date(now.getTime() + offset);
const eur = (amount: number) => ({ amount, currency: 'EUR' });

const percent = (value: number, overrides: Partial<CouponTerms> = {}): CouponTerms => ({
  kind: 'PERCENT',
  value,
  currency: null,
  minSubtotalAmount: 0,
  maxRedemptions: null,
  perUserLimit: 1,
  redemptionCount: 0,
  startsAt: null,
  expiresAt: null,
  disabledAt: null,
  ...overrides,
});
const fixed = (value: number, overrides: Partial<CouponTerms> = {}): CouponTerms =>
  percent(value, { kind: 'FIXED', currency: 'EUR', ...overrides });

describe('codes', () => {
  it('are matched case-insensitively and trimmed', () => {
    expect(normalizeCode('  welcome10 ')).toBe('WELCOME10');
  });

  it('have 3..32 of A-Z, 0-9, _ and -', () => {
    expect(isWellFormedCode('AB1')).toBe(true);
    expect(isWellFormedCode('SUMMER_SALE-2026')).toBe(true);
    expect(isWellFormedCode('X'.repeat(32))).toBe(true);
    expect(isWellFormedCode('AB')).toBe(false);
    expect(isWellFormedCode('X'.repeat(33))).toBe(false);
    expect(isWellFormedCode('save5')).toBe(false);
    expect(isWellFormedCode('SAVE 5')).toBe(false);
    expect(isWellFormedCode('')).toBe(false);
  });
});

describe('computeDiscount', () => {
  it('rounds a percentage down to the minor unit', () => {
    expect(computeDiscount(percent(10), eur(1999))).toEqual(eur(199));
    expect(computeDiscount(percent(15), eur(333))).toEqual(eur(49));
    expect(computeDiscount(percent(33), eur(1))).toEqual(eur(0));
    expect(computeDiscount(percent(10), eur(1000))).toEqual(eur(100));
  });

  it('takes 1% and 100% at the bounds', () => {
    expect(computeDiscount(percent(1), eur(99))).toEqual(eur(0));
    expect(computeDiscount(percent(1), eur(100))).toEqual(eur(1));
    expect(computeDiscount(percent(100), eur(4321))).toEqual(eur(4321));
    expect(computeDiscount(percent(50), eur(0))).toEqual(eur(0));
  });

  it('stays exact for the largest GraphQL Int subtotal', () => {
    expect(computeDiscount(percent(99), eur(2_147_483_647))).toEqual(eur(2_126_008_810));
  });

  it('caps a fixed amount at the subtotal', () => {
    expect(computeDiscount(fixed(500), eur(2500))).toEqual(eur(500));
    expect(computeDiscount(fixed(500), eur(500))).toEqual(eur(500));
    expect(computeDiscount(fixed(500), eur(499))).toEqual(eur(499));
    expect(computeDiscount(fixed(500), eur(0))).toEqual(eur(0));
  });

  it('answers in the subtotal currency', () => {
    expect(computeDiscount(percent(10), { amount: 1000, currency: 'USD' })).toEqual({ amount: 100, currency: 'USD' });
  });
});

describe('couponStatus and the validity window', () => {
  it('applies from startsAt inclusive to expiresAt exclusive', () => {
    const window = { startsAt: now, expiresAt: ms(1000), disabledAt: null };
    expect(couponStatus(window, ms(-1))).toBe('SCHEDULED');
    expect(couponStatus(window, now)).toBe('ACTIVE');
    expect(couponStatus(window, ms(999))).toBe('ACTIVE');
    expect(couponStatus(window, ms(1000))).toBe('EXPIRED');
  });

  it('is open-ended without bounds', () => {
    expect(couponStatus({ startsAt: null, expiresAt: null, disabledAt: null }, now)).toBe('ACTIVE');
  });

  it('reports a disabled coupon as disabled whatever its window', () => {
    expect(couponStatus({ startsAt: null, expiresAt: ms(-1), disabledAt: ms(-5) }, now)).toBe('DISABLED');
    expect(couponStatus({ startsAt: ms(5), expiresAt: null, disabledAt: ms(-5) }, now)).toBe('DISABLED');
  });

  it('maps each status to its rejection', () => {
    expect(availabilityRejection({ startsAt: null, expiresAt: null, disabledAt: now }, now)).toBe('INACTIVE');
    expect(availabilityRejection({ startsAt: ms(1), expiresAt: null, disabledAt: null }, now)).toBe('NOT_STARTED');
    expect(availabilityRejection({ startsAt: null, expiresAt: now, disabledAt: null }, now)).toBe('EXPIRED');
    expect(availabilityRejection({ startsAt: now, expiresAt: ms(1), disabledAt: null }, now)).toBeNull();
  });
});

describe('remainingRedemptions', () => {
  it('is null without a limit and never negative', () => {
    expect(remainingRedemptions({ maxRedemptions: null, redemptionCount: 7 })).toBeNull();
    expect(remainingRedemptions({ maxRedemptions: 10, redemptionCount: 3 })).toBe(7);
    expect(remainingRedemptions({ maxRedemptions: 10, redemptionCount: 10 })).toBe(0);
  });
});

describe('evaluateCoupon', () => {
  const request: { subtotal: Money; now: Date; userRedemptions: number | null } = {
    subtotal: eur(3000),
    now,
    userRedemptions: 0,
  };
  const rejection = (coupon: CouponTerms | null, overrides: Partial<typeof request> = {}) => {
    const decision = evaluateCoupon(coupon, { ...request, ...overrides });
    return decision.valid ? null : decision.reason;
  };

  it('grants the discount when every rule passes', () => {
    expect(evaluateCoupon(fixed(500, { minSubtotalAmount: 2500 }), request)).toEqual({
      valid: true,
      discount: eur(500),
    });
  });

  it('names each reason', () => {
    expect(rejection(null)).toBe('NOT_FOUND');
    expect(rejection(percent(10, { disabledAt: ms(-1) }))).toBe('INACTIVE');
    expect(rejection(percent(10, { startsAt: ms(1) }))).toBe('NOT_STARTED');
    expect(rejection(percent(10, { expiresAt: now }))).toBe('EXPIRED');
    expect(rejection(fixed(500), { subtotal: { amount: 3000, currency: 'USD' } })).toBe('CURRENCY_MISMATCH');
    expect(rejection(fixed(500, { minSubtotalAmount: 3001 }))).toBe('MIN_SUBTOTAL_NOT_MET');
    expect(rejection(percent(10, { maxRedemptions: 5, redemptionCount: 5 }))).toBe('USAGE_LIMIT_REACHED');
    expect(rejection(percent(10, { perUserLimit: 2 }), { userRedemptions: 2 })).toBe('USER_LIMIT_REACHED');
  });

  it('accepts the bounds of each limit', () => {
    expect(rejection(fixed(500, { minSubtotalAmount: 3000 }))).toBeNull();
    expect(rejection(percent(10, { maxRedemptions: 5, redemptionCount: 4 }))).toBeNull();
    expect(rejection(percent(10, { perUserLimit: 2 }), { userRedemptions: 1 })).toBeNull();
  });

  it('applies a coupon without currency to any currency', () => {
    expect(rejection(percent(10), { subtotal: { amount: 3000, currency: 'USD' } })).toBeNull();
  });

  it('skips the per-user limit when no user is known', () => {
    expect(rejection(percent(10, { perUserLimit: 1 }), { userRedemptions: null })).toBeNull();
  });

  it('reports the first failing rule in the documented order', () => {
    const everythingWrong = fixed(500, {
      disabledAt: ms(-1),
      expiresAt: ms(-1),
      minSubtotalAmount: 10_000,
      maxRedemptions: 1,
      redemptionCount: 1,
    });
    expect(rejection(everythingWrong, { subtotal: { amount: 1, currency: 'USD' }, userRedemptions: 9 })).toBe(
      'INACTIVE',
    );
    expect(rejection({ ...everythingWrong, disabledAt: null }, { subtotal: { amount: 1, currency: 'USD' } })).toBe(
      'EXPIRED',
    );
    expect(
      rejection(
        { ...everythingWrong, disabledAt: null, expiresAt: null },
        { subtotal: { amount: 1, currency: 'USD' } },
      ),
    ).toBe('CURRENCY_MISMATCH');
    expect(rejection({ ...everythingWrong, disabledAt: null, expiresAt: null }, { subtotal: eur(1) })).toBe(
      'MIN_SUBTOTAL_NOT_MET',
    );
    expect(
      rejection(
        { ...everythingWrong, disabledAt: null, expiresAt: null, minSubtotalAmount: 0 },
        { userRedemptions: 9 },
      ),
    ).toBe('USAGE_LIMIT_REACHED');
  });
});
