import { GraphQLError } from 'graphql';
import {
  checkIdempotencyKey,
  checkPlaceOrderInput,
  checkReason,
  normalizeCouponCode,
  normalizeLines,
  requestHash,
} from './order-input';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function errorOf(run: () => unknown): Record<string, unknown> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }
  throw new Error('expected an error');
}

describe('placeOrder input', () => {
  it('takes exactly one source of lines', () => {
    expect(checkPlaceOrderInput({ fromCart: true })).toEqual({ fromCart: true });
    expect(checkPlaceOrderInput({ items: [] })).toEqual({ fromCart: false, items: [] });
    for (const input of [{}, { fromCart: false }, { fromCart: true, items: [] }]) {
      expect(errorOf(() => checkPlaceOrderInput(input))).toEqual({ code: 'BAD_USER_INPUT', field: 'input' });
    }
  });

  it('merges duplicate products, sorts by id and checks the limits', () => {
    expect(
      normalizeLines(
        [
          { productId: B, quantity: 1 },
          { productId: A.toUpperCase(), quantity: 2 },
          { productId: A, quantity: 3 },
        ],
        'input.items',
      ),
    ).toEqual([
      { productId: A, quantity: 5 },
      { productId: B, quantity: 1 },
    ]);
    const field = (lines: { productId: string; quantity: number }[]) =>
      errorOf(() => normalizeLines(lines, 'input.items'))['field'];
    expect(field([])).toBe('input.items');
    expect(field([{ productId: A, quantity: 0 }])).toBe('input.items.quantity');
    expect(field([{ productId: A, quantity: 100 }])).toBe('input.items.quantity');
    expect(
      field([
        { productId: A, quantity: 60 },
        { productId: A, quantity: 60 },
      ]),
    ).toBe('input.items.quantity');
    expect(field([{ productId: 'nope', quantity: 1 }])).toBe('input.items.productId');
    const many = Array.from({ length: 51 }, (_, i) => ({
      productId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      quantity: 1,
    }));
    expect(field(many)).toBe('input.items');
    expect(normalizeLines(many.slice(0, 50), 'input.items')).toHaveLength(50);
  });

  it('hashes equal requests equally and different ones differently', () => {
    const items = { fromCart: false as const, items: [{ productId: A, quantity: 2 }] };
    const split = {
      fromCart: false as const,
      items: [
        { productId: A, quantity: 1 },
        { productId: A, quantity: 1 },
      ],
    };
    expect(requestHash(items, null)).toBe(requestHash(split, null));
    expect(requestHash(items, null)).not.toBe(requestHash(items, 'WELCOME10'));
    expect(requestHash({ fromCart: true }, null)).not.toBe(requestHash(items, null));
    expect(normalizeCouponCode(' welcome10 ')).toBe('WELCOME10');
    expect(normalizeCouponCode('  ')).toBeNull();
  });

  it('checks idempotency keys and reasons', () => {
    expect(checkIdempotencyKey('checkout-1')).toBe('checkout-1');
    expect(errorOf(() => checkIdempotencyKey(''))).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(errorOf(() => checkIdempotencyKey('x'.repeat(101)))['field']).toBe('idempotencyKey');
    expect(checkReason('  changed my mind ')).toBe('changed my mind');
    expect(errorOf(() => checkReason(' '))['field']).toBe('reason');
  });
});
