import { Prisma, type ProductStatus, type ReservationStatus } from '@minishop/db';

/** A product as the resolvers see it (the Prisma model minus bookkeeping columns). */
export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceAmount: number;
  currency: string;
  status: ProductStatus;
  stock: number;
  reserved: number;
  categoryId: string;
}

export interface CategoryRow {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
}

export interface StockAdjustmentRow {
  id: string;
  productId: string;
  delta: number;
  reason: string;
  stockAfter: number;
  actorId: string;
  createdAt: Date;
}

export interface StockReservationLine {
  productId: string;
  quantity: number;
  status: ReservationStatus;
}

export interface StockReservationResult {
  orderId: string;
  /** Ordered by product id. */
  lines: StockReservationLine[];
}

/** The ProductRow columns of `products.products p`, for raw queries. */
export const PRODUCT_COLUMNS = Prisma.sql`p.id, p.sku, p.name, p.description, p.price_amount AS "priceAmount",
  p.currency, p.status::text AS status, p.stock, p.reserved, p.category_id AS "categoryId"`;

/** A list of ids as a parameterized uuid[] (one bind parameter, whatever the length). */
export const uuidArray = (ids: string[]) => Prisma.sql`${ids}::uuid[]`;
