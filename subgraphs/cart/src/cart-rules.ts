import { badUserInput } from '@minishop/runtime';

/** Most units of one product a cart line may hold. */
export const MAX_LINE_QUANTITY = 99;

/** The shop sells in one currency: every cart line is priced in it, and an empty cart's subtotal is 0 in it. */
export const CART_CURRENCY = 'EUR';

/** How long an untouched cart is kept; every write restarts the clock. */
export const DEFAULT_CART_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface Money {
  /** Minor units (cents). */
  amount: number;
  currency: string;
}

/** A requested quantity (the amount to add, or the new line quantity) must be a whole number >= 1. */
export function assertQuantityArgument(quantity: number, hint = ''): void {
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw badUserInput(`Quantity must be at least 1${hint}`, { field: 'quantity' });
  }
}

/** The largest quantity a line may reach given the product's available units. */
export function lineQuantityLimit(available: number): number {
  return Math.max(0, Math.min(MAX_LINE_QUANTITY, available));
}

/** Why a line cannot hold `quantity` units when `available` can still be bought, or null when it can. */
export function lineQuantityProblem(quantity: number, available: number): string | null {
  if (quantity < 1) return 'Quantity must be at least 1';
  if (quantity > MAX_LINE_QUANTITY) {
    return `A cart line holds at most ${MAX_LINE_QUANTITY} units; this would make ${quantity}`;
  }
  if (quantity > available) {
    return available <= 0
      ? 'The product is out of stock'
      : `Only ${available} units are available; this would make ${quantity}`;
  }
  return null;
}

/** Unit price times quantity. */
export function lineTotal(unitPrice: Money, quantity: number): Money {
  return { amount: unitPrice.amount * quantity, currency: unitPrice.currency };
}

/**
 * The sum of the line totals; 0 in CART_CURRENCY for an empty cart. A line priced in another
 * currency is a data error (adding such a product is refused), so it throws rather than mixing.
 */
export function subtotal(lines: readonly { unitPrice: Money; quantity: number }[]): Money {
  let amount = 0;
  for (const line of lines) {
    if (line.unitPrice.currency !== CART_CURRENCY) {
      throw new Error(`cart line priced in ${line.unitPrice.currency}, expected ${CART_CURRENCY}`);
    }
    amount += lineTotal(line.unitPrice, line.quantity).amount;
  }
  return { amount, currency: CART_CURRENCY };
}
