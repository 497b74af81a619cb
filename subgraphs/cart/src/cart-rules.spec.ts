import { GraphQLError } from 'graphql';
import {
  assertQuantityArgument,
  lineQuantityLimit,
  lineQuantityProblem,
  lineTotal,
  MAX_LINE_QUANTITY,
  subtotal,
} from './cart-rules';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('quantity bounds', () => {
  it('accepts whole quantities from 1 and refuses 0, negatives and fractions on `quantity`', () => {
    expect(() => assertQuantityArgument(1)).not.toThrow();
    expect(() => assertQuantityArgument(250)).not.toThrow();
    for (const quantity of [0, -3, 1.5]) {
      let thrown: unknown;
      try {
        assertQuantityArgument(quantity, '; use removeFromCart to remove a line');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GraphQLError);
      expect((thrown as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'quantity' });
      expect((thrown as GraphQLError).message).toBe('Quantity must be at least 1; use removeFromCart to remove a line');
    }
  });

  it('limits a line to 99 units and to what is available, never below 0', () => {
    expect(MAX_LINE_QUANTITY).toBe(99);
    expect(lineQuantityLimit(500)).toBe(99);
    expect(lineQuantityLimit(99)).toBe(99);
    expect(lineQuantityLimit(7)).toBe(7);
    expect(lineQuantityLimit(0)).toBe(0);
    expect(lineQuantityLimit(-2)).toBe(0);
  });

  it('explains which bound a resulting quantity breaks', () => {
    expect(lineQuantityProblem(1, 1)).toBeNull();
    expect(lineQuantityProblem(99, 1000)).toBeNull();
    expect(lineQuantityProblem(0, 10)).toBe('Quantity must be at least 1');
    expect(lineQuantityProblem(100, 1000)).toBe('A cart line holds at most 99 units; this would make 100');
    expect(lineQuantityProblem(6, 5)).toBe('Only 5 units are available; this would make 6');
    expect(lineQuantityProblem(1, 0)).toBe('The product is out of stock');
  });
});

describe('totals', () => {
  it('multiplies the unit price by the quantity, in minor units', () => {
    expect(lineTotal(eur(1999), 3)).toEqual(eur(5997));
  });

  it('sums line totals and is 0 EUR for an empty cart', () => {
    expect(subtotal([])).toEqual(eur(0));
    expect(
      subtotal([
        { unitPrice: eur(1999), quantity: 3 },
        { unitPrice: eur(5), quantity: 99 },
        { unitPrice: eur(0), quantity: 2 },
      ]),
    ).toEqual(eur(5997 + 495));
  });

  it('refuses to add up different currencies', () => {
    expect(() =>
      subtotal([
        { unitPrice: eur(100), quantity: 1 },
        { unitPrice: { amount: 100, currency: 'USD' }, quantity: 1 },
      ]),
    ).toThrow('cart line priced in USD, expected EUR');
  });
});
