import type { ProductStatus } from '@minishop/db';
import { badUserInput, isUuid } from '@minishop/runtime';

// Input rules of the products API. Pure functions: each returns normalized values or throws
// BAD_USER_INPUT naming the offending field (`extensions.field`).

export const MAX_SEARCH_LENGTH = 200;
/** Largest single stock change (adjustment or initial stock): a typo guard, not a business limit. */
export const MAX_STOCK_CHANGE = 1_000_000;
export const MAX_LINE_QUANTITY = 10_000;
export const MAX_RESERVATION_LINES = 100;

const SKU = /^[A-Z0-9-]{3,64}$/;
const CURRENCY = /^[A-Z]{3}$/;

export interface PriceRangeInput {
  min?: number | null;
  max?: number | null;
}

export interface ProductFilterInput {
  search?: string | null;
  categoryId?: string | null;
  priceRange?: PriceRangeInput | null;
  inStock?: boolean | null;
}

export interface MoneyInput {
  amount: number;
  currency: string;
}

export interface CreateProductInput {
  sku: string;
  name: string;
  description?: string | null;
  price: MoneyInput;
  categoryId: string;
  initialStock?: number | null;
}

export interface UpdateProductInput {
  sku?: string | null;
  name?: string | null;
  description?: string | null;
  price?: MoneyInput | null;
  categoryId?: string | null;
  status?: ProductStatus | null;
}

export interface StockLineInput {
  productId: string;
  quantity: number;
}

/** A validated `products` filter; absent criteria are undefined. */
export interface ProductQuery {
  search?: string;
  categoryId?: string;
  priceMin?: number;
  priceMax?: number;
  inStock?: boolean;
}

/** Catalog columns an admin sets. */
export interface ProductData {
  sku: string;
  name: string;
  description: string;
  priceAmount: number;
  currency: string;
  categoryId: string;
}

export function productQueryFrom(filter: ProductFilterInput | null | undefined): ProductQuery {
  const query: ProductQuery = {};
  const search = filter?.search?.trim();
  if (search) {
    if (search.length > MAX_SEARCH_LENGTH) {
      throw badUserInput(`Search must be at most ${MAX_SEARCH_LENGTH} characters`, { field: 'search' });
    }
    query.search = search;
  }
  if (filter?.categoryId) query.categoryId = filter.categoryId;
  const min = filter?.priceRange?.min;
  const max = filter?.priceRange?.max;
  if (min != null) query.priceMin = nonNegative(min, 'priceRange.min');
  if (max != null) query.priceMax = nonNegative(max, 'priceRange.max');
  if (min != null && max != null && min > max) {
    throw badUserInput('Price range minimum must not exceed its maximum', { field: 'priceRange' });
  }
  if (filter?.inStock != null) query.inStock = filter.inStock;
  return query;
}

export function createProductData(input: CreateProductInput): ProductData & { initialStock: number } {
  const initialStock = input.initialStock ?? 0;
  if (!Number.isInteger(initialStock) || initialStock < 0 || initialStock > MAX_STOCK_CHANGE) {
    throw badUserInput(`Initial stock must be between 0 and ${MAX_STOCK_CHANGE}`, { field: 'initialStock' });
  }
  return {
    sku: sku(input.sku),
    name: name(input.name),
    description: description(input.description ?? ''),
    ...price(input.price),
    categoryId: input.categoryId,
    initialStock,
  };
}

/** The changed columns only; at least one is required. */
export function updateProductData(input: UpdateProductInput): Partial<ProductData> & { status?: ProductStatus } {
  const data: Partial<ProductData> & { status?: ProductStatus } = {};
  if (input.sku != null) data.sku = sku(input.sku);
  if (input.name != null) data.name = name(input.name);
  if (input.description != null) data.description = description(input.description);
  if (input.price != null) Object.assign(data, price(input.price));
  if (input.categoryId != null) data.categoryId = input.categoryId;
  if (input.status != null) data.status = input.status;
  if (Object.keys(data).length === 0) throw badUserInput('Nothing to update', { field: 'input' });
  return data;
}

export function checkStockAdjustment(delta: number, reason: string): { delta: number; reason: string } {
  if (!Number.isInteger(delta) || delta === 0 || Math.abs(delta) > MAX_STOCK_CHANGE) {
    throw badUserInput(`Delta must be a non-zero integer between -${MAX_STOCK_CHANGE} and ${MAX_STOCK_CHANGE}`, {
      field: 'delta',
    });
  }
  const trimmed = reason.trim();
  if (trimmed.length < 1 || trimmed.length > 500) {
    throw badUserInput('Reason must be 1 to 500 characters', { field: 'reason' });
  }
  return { delta, reason: trimmed };
}

export function checkThreshold(threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_STOCK_CHANGE) {
    throw badUserInput(`Threshold must be between 0 and ${MAX_STOCK_CHANGE}`, { field: 'threshold' });
  }
  return threshold;
}

/** Orders product lines the way rows are locked: by product id (lowercase hex sorts like uuid). */
export const byProductId = (a: { productId: string }, b: { productId: string }) =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

/**
 * A reservation request, normalized: lowercase ids, one line per product (quantities of a
 * repeated product are summed), lines sorted by product id.
 */
export function reservationRequest(
  orderId: string,
  lines: StockLineInput[],
): { orderId: string; lines: StockLineInput[] } {
  if (!isUuid(orderId)) throw badUserInput('Order id must be a UUID', { field: 'orderId' });
  if (lines.length < 1 || lines.length > MAX_RESERVATION_LINES) {
    throw badUserInput(`An order needs 1 to ${MAX_RESERVATION_LINES} lines`, { field: 'lines' });
  }
  const merged = new Map<string, number>();
  for (const { productId, quantity } of lines) {
    if (!isUuid(productId)) {
      throw badUserInput(`Product ${productId} does not exist`, { field: 'lines.productId', productId });
    }
    if (!Number.isInteger(quantity) || quantity < 1) throw quantityError(productId);
    const id = productId.toLowerCase();
    merged.set(id, (merged.get(id) ?? 0) + quantity);
  }
  const result = [...merged].map(([productId, quantity]) => ({ productId, quantity }));
  const tooMany = result.find((line) => line.quantity > MAX_LINE_QUANTITY);
  if (tooMany) throw quantityError(tooMany.productId);
  return { orderId: orderId.toLowerCase(), lines: result.sort(byProductId) };
}

function quantityError(productId: string) {
  return badUserInput(`Quantity must be between 1 and ${MAX_LINE_QUANTITY}`, { field: 'lines.quantity', productId });
}

function sku(value: string): string {
  const trimmed = value.trim();
  if (!SKU.test(trimmed)) {
    throw badUserInput('SKU must be 3 to 64 upper-case letters, digits or dashes', { field: 'sku' });
  }
  return trimmed;
}

function name(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > 200)
    throw badUserInput('Name must be 1 to 200 characters', { field: 'name' });
  return trimmed;
}

function description(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length > 5000)
    throw badUserInput('Description must be at most 5000 characters', { field: 'description' });
  return trimmed;
}

function price(value: MoneyInput): { priceAmount: number; currency: string } {
  const amount = nonNegative(value.amount, 'price.amount');
  if (!CURRENCY.test(value.currency)) {
    throw badUserInput('Currency must be an ISO-4217 code of three upper-case letters', { field: 'price.currency' });
  }
  return { priceAmount: amount, currency: value.currency };
}

function nonNegative(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw badUserInput(`\`${field}\` must be an integer >= 0`, { field });
  return value;
}
