import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { checkPageSize } from '@minishop/runtime';
import {
  checkStockAdjustment,
  checkThreshold,
  createProductData,
  productQueryFrom,
  reservationRequest,
  updateProductData,
  type CreateProductInput,
} from './validation';

/** The `extensions` of the BAD_USER_INPUT error `run` throws. */
function inputErrorOf(run: () => unknown): Record<string, unknown> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions['code']).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

const fieldOf = (run: () => unknown) => inputErrorOf(run)['field'];

const validProduct: CreateProductInput = {
  sku: 'ABC-123',
  name: 'Travel Mug',
  description: 'Keeps coffee hot.',
  price: { amount: 1999, currency: 'EUR' },
  categoryId: randomUUID(),
};

describe('checkPageSize', () => {
  it('accepts 1..100', () => {
    expect(checkPageSize(1)).toBe(1);
    expect(checkPageSize(100)).toBe(100);
  });

  it.each([0, -1, 101, 2.5])('rejects %p naming the field', (first) => {
    expect(fieldOf(() => checkPageSize(first))).toBe('first');
  });
});

describe('productQueryFrom', () => {
  it('keeps given criteria, trims the search and drops a blank one', () => {
    expect(productQueryFrom(null)).toEqual({});
    expect(productQueryFrom({ search: '   ' })).toEqual({});
    const categoryId = randomUUID();
    expect(
      productQueryFrom({ search: ' coffee -tea ', categoryId, priceRange: { min: 0, max: 500 }, inStock: false }),
    ).toEqual({ search: 'coffee -tea', categoryId, priceMin: 0, priceMax: 500, inStock: false });
    expect(productQueryFrom({ priceRange: { max: 10 } })).toEqual({ priceMax: 10 });
    expect(productQueryFrom({ priceRange: { min: 7, max: 7 } })).toEqual({ priceMin: 7, priceMax: 7 });
  });

  it('rejects bad price ranges and overlong searches', () => {
    expect(fieldOf(() => productQueryFrom({ priceRange: { min: -1 } }))).toBe('priceRange.min');
    expect(fieldOf(() => productQueryFrom({ priceRange: { max: -5 } }))).toBe('priceRange.max');
    expect(fieldOf(() => productQueryFrom({ priceRange: { min: 10, max: 9 } }))).toBe('priceRange');
    expect(fieldOf(() => productQueryFrom({ search: 'x'.repeat(201) }))).toBe('search');
  });
});

describe('createProductData', () => {
  it('normalizes a valid product', () => {
    expect(createProductData({ ...validProduct, name: '  Travel Mug  ', initialStock: 5 })).toEqual({
      sku: 'ABC-123',
      name: 'Travel Mug',
      description: 'Keeps coffee hot.',
      priceAmount: 1999,
      currency: 'EUR',
      categoryId: validProduct.categoryId,
      initialStock: 5,
    });
    expect(createProductData({ ...validProduct, description: null })).toMatchObject({
      description: '',
      initialStock: 0,
    });
  });

  it.each<[string, Partial<CreateProductInput>]>([
    ['sku', { sku: 'ab-123' }],
    ['sku', { sku: 'AB' }],
    ['sku', { sku: 'A'.repeat(65) }],
    ['sku', { sku: 'ABC 123' }],
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(201) }],
    ['description', { description: 'x'.repeat(5001) }],
    ['price.amount', { price: { amount: -1, currency: 'EUR' } }],
    ['price.amount', { price: { amount: 1.5, currency: 'EUR' } }],
    ['price.currency', { price: { amount: 100, currency: 'eur' } }],
    ['price.currency', { price: { amount: 100, currency: 'EURO' } }],
    ['initialStock', { initialStock: -1 }],
    ['initialStock', { initialStock: 1_000_001 }],
  ])('rejects a bad %s', (field, change) => {
    expect(fieldOf(() => createProductData({ ...validProduct, ...change }))).toBe(field);
  });
});

describe('updateProductData', () => {
  it('returns only the changed columns', () => {
    expect(updateProductData({ name: 'New', price: { amount: 0, currency: 'USD' }, sku: null })).toEqual({
      name: 'New',
      priceAmount: 0,
      currency: 'USD',
    });
    expect(updateProductData({ status: 'ACTIVE' })).toEqual({ status: 'ACTIVE' });
  });

  it('rejects an empty change and bad values', () => {
    expect(fieldOf(() => updateProductData({}))).toBe('input');
    expect(fieldOf(() => updateProductData({ sku: 'lower' }))).toBe('sku');
    expect(fieldOf(() => updateProductData({ description: 'x'.repeat(5001) }))).toBe('description');
  });
});

describe('checkStockAdjustment and checkThreshold', () => {
  it('accepts non-zero deltas with a reason', () => {
    expect(checkStockAdjustment(-3, '  broken in transit ')).toEqual({ delta: -3, reason: 'broken in transit' });
    expect(checkStockAdjustment(1_000_000, 'delivery')).toEqual({ delta: 1_000_000, reason: 'delivery' });
  });

  it('rejects zero, fractional or huge deltas and blank or long reasons', () => {
    for (const delta of [0, 0.5, 1_000_001, -1_000_001]) {
      expect(fieldOf(() => checkStockAdjustment(delta, 'why'))).toBe('delta');
    }
    expect(fieldOf(() => checkStockAdjustment(1, ' '))).toBe('reason');
    expect(fieldOf(() => checkStockAdjustment(1, 'x'.repeat(501)))).toBe('reason');
  });

  it('accepts thresholds >= 0', () => {
    expect(checkThreshold(0)).toBe(0);
    expect(fieldOf(() => checkThreshold(-1))).toBe('threshold');
  });
});

describe('reservationRequest', () => {
  const orderId = randomUUID();
  const [a, b] = [randomUUID(), randomUUID()].sort();

  it('merges repeated products, lowercases ids and sorts lines by product id', () => {
    const request = reservationRequest(orderId.toUpperCase(), [
      { productId: String(b), quantity: 1 },
      { productId: String(a).toUpperCase(), quantity: 2 },
      { productId: String(b), quantity: 3 },
    ]);
    expect(request).toEqual({
      orderId,
      lines: [
        { productId: a, quantity: 2 },
        { productId: b, quantity: 4 },
      ],
    });
  });

  it('rejects bad orders, products and quantities naming the field', () => {
    expect(fieldOf(() => reservationRequest('order-1', [{ productId: String(a), quantity: 1 }]))).toBe('orderId');
    expect(fieldOf(() => reservationRequest(orderId, []))).toBe('lines');
    expect(inputErrorOf(() => reservationRequest(orderId, [{ productId: 'nope', quantity: 1 }]))).toMatchObject({
      field: 'lines.productId',
      productId: 'nope',
    });
    expect(fieldOf(() => reservationRequest(orderId, [{ productId: String(a), quantity: 0 }]))).toBe('lines.quantity');
    expect(
      fieldOf(() =>
        reservationRequest(orderId, [
          { productId: String(a), quantity: 6000 },
          { productId: String(a), quantity: 6000 },
        ]),
      ),
    ).toBe('lines.quantity');
  });
});
