import { GraphQLError } from 'graphql';
import { parseCreateCouponInput, parseMoney, type CreateCouponInput } from './coupon-input';

const now = new Date('2026-11-21T12:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);

const input = (overrides: Partial<CreateCouponInput> = {}): CreateCouponInput => ({
  code: 'spring-26',
  description: '  10% off  ',
  kind: 'PERCENT',
  value: 10,
  minSubtotal: 0,
  perUserLimit: 1,
  active: true,
  ...overrides,
});

/** The `field` extension of the BAD_USER_INPUT `parse` throws. */
function rejectedField(parse: () => unknown): unknown {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    expect(error.extensions['code']).toBe('BAD_USER_INPUT');
    return error.extensions['field'];
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('parseCreateCouponInput', () => {
  it('normalises the code and description and fills the defaults', () => {
    expect(parseCreateCouponInput(input(), now)).toEqual({
      code: 'SPRING-26',
      description: '10% off',
      kind: 'PERCENT',
      value: 10,
      currency: null,
      minSubtotalAmount: 0,
      maxRedemptions: null,
      perUserLimit: 1,
      startsAt: null,
      expiresAt: null,
      disabledAt: null,
    });
  });

  it('creates an inactive coupon disabled from now', () => {
    expect(parseCreateCouponInput(input({ active: false }), now).disabledAt).toEqual(now);
  });

  it('accepts a fixed amount with currency, limits and a window', () => {
    const parsed = parseCreateCouponInput(
      input({
        kind: 'FIXED',
        value: 500,
        currency: 'EUR',
        minSubtotal: 2500,
        maxRedemptions: 10,
        perUserLimit: 2,
        startsAt: later(-1000),
        expiresAt: later(1),
      }),
      now,
    );
    expect(parsed).toMatchObject({
      kind: 'FIXED',
      value: 500,
      currency: 'EUR',
      minSubtotalAmount: 2500,
      maxRedemptions: 10,
    });
  });

  it.each([
    ['ab', 'code'],
    ['x'.repeat(33), 'code'],
    ['no spaces', 'code'],
    ['ümlaut', 'code'],
  ])('rejects the code %j', (code, field) => {
    expect(rejectedField(() => parseCreateCouponInput(input({ code }), now))).toBe(field);
  });

  it('keeps a percentage within 1..100', () => {
    expect(rejectedField(() => parseCreateCouponInput(input({ value: 0 }), now))).toBe('value');
    expect(rejectedField(() => parseCreateCouponInput(input({ value: 101 }), now))).toBe('value');
    expect(parseCreateCouponInput(input({ value: 1 }), now).value).toBe(1);
    expect(parseCreateCouponInput(input({ value: 100 }), now).value).toBe(100);
  });

  it('needs a positive fixed amount with a currency', () => {
    expect(rejectedField(() => parseCreateCouponInput(input({ kind: 'FIXED', value: 0, currency: 'EUR' }), now))).toBe(
      'value',
    );
    expect(rejectedField(() => parseCreateCouponInput(input({ kind: 'FIXED', value: 500 }), now))).toBe('currency');
    expect(rejectedField(() => parseCreateCouponInput(input({ kind: 'FIXED', value: 5, currency: 'eur' }), now))).toBe(
      'currency',
    );
  });

  it('checks the minimum subtotal and the limits', () => {
    expect(rejectedField(() => parseCreateCouponInput(input({ minSubtotal: -1 }), now))).toBe('minSubtotal');
    expect(rejectedField(() => parseCreateCouponInput(input({ minSubtotal: 100 }), now))).toBe('currency');
    expect(rejectedField(() => parseCreateCouponInput(input({ maxRedemptions: 0 }), now))).toBe('maxRedemptions');
    expect(rejectedField(() => parseCreateCouponInput(input({ perUserLimit: 0 }), now))).toBe('perUserLimit');
    expect(rejectedField(() => parseCreateCouponInput(input({ description: 'x'.repeat(501) }), now))).toBe(
      'description',
    );
  });

  it('needs startsAt strictly before a future expiresAt', () => {
    expect(rejectedField(() => parseCreateCouponInput(input({ expiresAt: now }), now))).toBe('expiresAt');
    expect(
      rejectedField(() => parseCreateCouponInput(input({ startsAt: later(5000), expiresAt: later(5000) }), now)),
    ).toBe('expiresAt');
    expect(parseCreateCouponInput(input({ startsAt: later(4999), expiresAt: later(5000) }), now).startsAt).toEqual(
      later(4999),
    );
    expect(parseCreateCouponInput(input({ startsAt: later(5000) }), now).startsAt).toEqual(later(5000));
  });
});

describe('parseMoney', () => {
  it('names the bad part of a MoneyInput', () => {
    expect(parseMoney({ amount: 0, currency: 'EUR' }, 'subtotal')).toEqual({ amount: 0, currency: 'EUR' });
    expect(rejectedField(() => parseMoney({ amount: -1, currency: 'EUR' }, 'subtotal'))).toBe('subtotal.amount');
    expect(rejectedField(() => parseMoney({ amount: 1, currency: 'euro' }, 'subtotal'))).toBe('subtotal.currency');
  });
});
