import { createHash } from 'node:crypto';
import { badUserInput, isUuid } from '@minishop/runtime';
import type { OrderLine } from './products-client';

export const MAX_LINES = 50;
export const MAX_QUANTITY = 99;
const MAX_KEY_LENGTH = 100;
const MAX_REASON_LENGTH = 500;

/** placeOrder's `input`: exactly one of `fromCart: true` or `items`. */
export interface PlaceOrderInput {
  fromCart?: boolean | null;
  items?: OrderLine[] | null;
}

/** Where the lines of an order come from, as checked by checkPlaceOrderInput. */
export type LineSource = { fromCart: true } | { fromCart: false; items: OrderLine[] };

/** Throws BAD_USER_INPUT (field `input`) unless exactly one source of lines is given. */
export function checkPlaceOrderInput(input: PlaceOrderInput): LineSource {
  const hasItems = input.items !== undefined && input.items !== null;
  if (input.fromCart === true && !hasItems) return { fromCart: true };
  if (!input.fromCart && hasItems) return { fromCart: false, items: input.items ?? [] };
  throw badUserInput('Give either `fromCart: true` or `items`', { field: 'input' });
}

/**
 * Validates and normalises an order's lines: 1..99 units per product, at least one and at most 50
 * products; a product listed twice becomes one line with the summed quantity. Sorted by product
 * id so equal orders look equal. BAD_USER_INPUT names the field (`<field>.quantity`, ...).
 */
export function normalizeLines(lines: readonly OrderLine[], field: string): OrderLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) {
    if (!isUuid(line.productId)) {
      throw badUserInput(`Product ${line.productId} does not exist`, { field: `${field}.productId` });
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw badUserInput(`Quantity must be 1..${MAX_QUANTITY}`, { field: `${field}.quantity` });
    }
    const id = line.productId.toLowerCase();
    merged.set(id, (merged.get(id) ?? 0) + line.quantity);
  }
  if (merged.size === 0) throw badUserInput('An order needs at least one item', { field });
  if (merged.size > MAX_LINES) throw badUserInput(`An order has at most ${MAX_LINES} products`, { field });
  const normalized = [...merged].map(([productId, quantity]) => ({ productId, quantity }));
  if (normalized.some((line) => line.quantity > MAX_QUANTITY)) {
    throw badUserInput(`Quantity must be 1..${MAX_QUANTITY} per product`, { field: `${field}.quantity` });
  }
  return normalized.sort((a, b) => (a.productId < b.productId ? -1 : 1));
}

/** Throws BAD_USER_INPUT (field `idempotencyKey`) unless the key is 1..100 printable characters. */
export function checkIdempotencyKey(key: string): string {
  if (key.length < 1 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw badUserInput(`The idempotency key must be 1..${MAX_KEY_LENGTH} printable ASCII characters`, {
      field: 'idempotencyKey',
    });
  }
  return key;
}

/** Trims a coupon code; an empty one means none. Coupons decides whether it exists. */
export function normalizeCouponCode(code: string | null | undefined): string | null {
  const trimmed = code?.trim().toUpperCase() ?? '';
  return trimmed === '' ? null : trimmed;
}

/**
 * SHA-256 of the normalised request, stored with the order: a retry under the same idempotency key
 * must carry the same hash. An order from the cart hashes as "from cart" (the cart changes when
 * the order is placed, so its lines cannot be compared on a retry).
 */
export function requestHash(source: LineSource, couponCode: string | null): string {
  const lines = source.fromCart ? 'cart' : normalizeLines(source.items, 'input.items');
  return createHash('sha256').update(JSON.stringify({ lines, couponCode })).digest('hex');
}

/** Throws BAD_USER_INPUT (field `reason`) unless the reason is 1..500 characters; returns it trimmed. */
export function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_REASON_LENGTH) {
    throw badUserInput(`The reason must be 1..${MAX_REASON_LENGTH} characters`, { field: 'reason' });
  }
  return trimmed;
}
