import { Prisma, ReservationStatus, type PrismaClient } from '@minishop/db';
import {
  DomainError,
  ErrorCode,
  badUserInput,
  checkPageSize,
  forbidden,
  isUuid,
  requireScopes,
  type Viewer,
} from '@minishop/runtime';
import { productConflict, productNotFound } from './errors';
import {
  PRODUCT_COLUMNS,
  uuidArray,
  type ProductRow,
  type StockAdjustmentRow,
  type StockReservationLine,
  type StockReservationResult,
} from './rows';
import {
  checkStockAdjustment,
  checkThreshold,
  byProductId,
  reservationRequest,
  type StockLineInput,
} from './validation';

export const STOCK_WRITE = 'stock:write';
/** Releasing another customer's reservation (an admin cancelling an order) and committing shipped stock. */
export const ORDERS_MANAGE = 'orders:manage';

type Tx = Prisma.TransactionClient;

interface LockedProduct {
  id: string;
  sku: string;
  name: string;
  status: string;
  stock: number;
  reserved: number;
}

/**
 * Stock on hand and reservations. Invariants (backed by CHECK constraints): 0 <= reserved <= stock.
 * Every write locks product rows in product-id order, so concurrent writers queue instead of
 * deadlocking, and checks availability on the locked rows, so nothing is ever oversold.
 */
export class StockService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Throws unless the viewer may see and change stock (FORBIDDEN / UNAUTHENTICATED). */
  requireStockAccess(viewer: Viewer | null): Viewer {
    return requireScopes({ viewer }, STOCK_WRITE);
  }

  /**
   * Adds or removes units on hand (stock:write) and records the audited adjustment in the same
   * transaction. One conditional UPDATE does the check and the change, so concurrent adjustments
   * and reservations cannot push stock below the reserved units. CONFLICT when they would.
   */
  async adjustStock(viewer: Viewer | null, productId: string, delta: number, reason: string) {
    const actor = this.requireStockAccess(viewer);
    const change = checkStockAdjustment(delta, reason);
    if (!isUuid(productId)) throw productNotFound(productId);
    return this.prisma.$transaction(async (tx): Promise<StockAdjustmentRow> => {
      const [updated] = await tx.$queryRaw<{ stock: number }[]>`
        UPDATE products.products SET stock = stock + ${change.delta}, updated_at = now()
        WHERE id = ${productId}::uuid AND stock + ${change.delta} >= reserved
        RETURNING stock`;
      if (!updated) {
        const product = await tx.product.findUnique({ where: { id: productId } });
        if (!product) throw productNotFound(productId);
        throw productConflict(
          productId,
          `Cannot remove ${-change.delta} units of ${product.sku}: ${product.stock} on hand, ` +
            `${product.reserved} of them reserved by open orders`,
        );
      }
      return tx.stockAdjustment.create({
        data: { productId, ...change, stockAfter: updated.stock, actorId: actor.userId },
      });
    });
  }

  /** Active products with at most `threshold` units available, fewest first (stock:write). */
  async lowStockProducts(viewer: Viewer | null, threshold: number, first: number): Promise<ProductRow[]> {
    this.requireStockAccess(viewer);
    const limit = checkPageSize(first);
    return this.prisma.$queryRaw<ProductRow[]>`
      SELECT ${PRODUCT_COLUMNS}
      FROM products.products p
      WHERE p.status = 'ACTIVE' AND p.stock - p.reserved <= ${checkThreshold(threshold)}
      ORDER BY p.stock - p.reserved, p.name, p.id
      LIMIT ${limit}`;
  }

  /**
   * Holds stock for every line of an order, all or nothing, in one transaction. Idempotent per
   * (order, product): a line already held with the same quantity is left alone, so retries never
   * hold units twice. Unknown product → BAD_USER_INPUT; archived product, too few units, a line
   * held with another quantity, or an order already released → CONFLICT naming the product/order.
   * The caller must be signed in (checked at the GraphQL boundary); `userId` (the customer) is
   * recorded on new lines so only they, or an orders:manage holder, can release them.
   */
  async reserveForOrder(
    orderId: string,
    lines: StockLineInput[],
    userId: string | null = null,
  ): Promise<StockReservationResult> {
    const request = reservationRequest(orderId, lines);
    return this.prisma.$transaction(async (tx) => {
      await lockOrder(tx, request.orderId);
      const existing = await tx.stockReservation.findMany({ where: { orderId: request.orderId } });
      if (existing.some((line) => line.status === ReservationStatus.RELEASED)) {
        throw new DomainError(ErrorCode.Conflict, `Stock for order ${request.orderId} was already released`, {
          orderId: request.orderId,
        });
      }
      const held = new Map(existing.map((line) => [line.productId, line.quantity]));
      const missing: StockLineInput[] = [];
      for (const line of request.lines) {
        const quantity = held.get(line.productId);
        if (quantity === undefined) missing.push(line);
        else if (quantity !== line.quantity) {
          throw productConflict(
            line.productId,
            `Order ${request.orderId} already holds ${quantity} units of product ${line.productId}, not ${line.quantity}`,
          );
        }
      }
      if (missing.length > 0) await holdUnits(tx, request.orderId, userId, missing);
      const reserved = missing.map((line) => ({ ...line, status: ReservationStatus.RESERVED }));
      return { orderId: request.orderId, lines: [...existing, ...reserved].map(reservationLine).sort(byProductId) };
    });
  }

  /**
   * Gives back every unit held for an order in one transaction. Idempotent: an order released
   * before, or never reserved (including ids that are not UUIDs), is a successful no-op. Lines
   * held for another customer are FORBIDDEN unless the viewer holds orders:manage.
   */
  async releaseForOrder(orderId: string, viewer: Viewer): Promise<boolean> {
    if (!isUuid(orderId)) return true;
    const order = orderId.toLowerCase();
    await this.prisma.$transaction(async (tx) => {
      await lockOrder(tx, order);
      const held = await tx.stockReservation.findMany({
        where: { orderId: order, status: ReservationStatus.RESERVED },
        orderBy: { productId: 'asc' },
      });
      if (held.length === 0) return;
      requireOwnerOrManager(held, viewer);
      const ids = held.map((line) => line.productId);
      await tx.$queryRaw`SELECT id FROM products.products WHERE id = ANY(${uuidArray(ids)}) ORDER BY id FOR UPDATE`;
      await tx.$executeRaw`
        UPDATE products.products p SET reserved = p.reserved - v.quantity
        FROM unnest(${uuidArray(ids)}, ${held.map((line) => line.quantity)}::int[]) AS v(id, quantity)
        WHERE p.id = v.id`;
      await tx.stockReservation.updateMany({
        where: { orderId: order, status: ReservationStatus.RESERVED },
        data: { status: ReservationStatus.RELEASED, releasedAt: new Date() },
      });
    });
    return true;
  }

  /**
   * The order shipped: its held units leave stock for good (stock and reserved both go down, the
   * lines become COMMITTED) in one transaction. Idempotent: committed or absent lines change
   * nothing; an order whose stock was released is CONFLICT. Requires orders:manage.
   */
  async commitForOrder(orderId: string, viewer: Viewer | null): Promise<boolean> {
    requireScopes({ viewer }, ORDERS_MANAGE);
    if (!isUuid(orderId)) return true;
    const order = orderId.toLowerCase();
    await this.prisma.$transaction(async (tx) => {
      await lockOrder(tx, order);
      const lines = await tx.stockReservation.findMany({ where: { orderId: order }, orderBy: { productId: 'asc' } });
      if (lines.some((line) => line.status === ReservationStatus.RELEASED)) {
        throw new DomainError(ErrorCode.Conflict, `Stock for order ${order} was released; it cannot be committed`, {
          orderId: order,
        });
      }
      const held = lines.filter((line) => line.status === ReservationStatus.RESERVED);
      if (held.length === 0) return;
      const ids = held.map((line) => line.productId);
      await tx.$queryRaw`SELECT id FROM products.products WHERE id = ANY(${uuidArray(ids)}) ORDER BY id FOR UPDATE`;
      await tx.$executeRaw`
        UPDATE products.products p
        SET stock = p.stock - v.quantity, reserved = p.reserved - v.quantity, updated_at = now()
        FROM unnest(${uuidArray(ids)}, ${held.map((line) => line.quantity)}::int[]) AS v(id, quantity)
        WHERE p.id = v.id`;
      await tx.stockReservation.updateMany({
        where: { orderId: order, status: ReservationStatus.RESERVED },
        data: { status: ReservationStatus.COMMITTED },
      });
    });
    return true;
  }
}

/**
 * Lines held for another customer may only be released by an orders:manage holder. Lines reserved
 * before the customer was recorded (userId null) stay releasable by any signed-in viewer.
 */
function requireOwnerOrManager(lines: { userId: string | null }[], viewer: Viewer): void {
  const foreign = lines.some((line) => line.userId !== null && line.userId !== viewer.userId);
  if (foreign && !viewer.scopes.includes(ORDERS_MANAGE)) {
    throw forbidden('Only the customer who placed the order can release its stock');
  }
}

/** Serializes reserve/release calls for one order (a transaction-scoped advisory lock). */
async function lockOrder(tx: Tx, orderId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`products.stock_reservations:${orderId}`}, 0))`;
}

/** Locks the products (by id), checks each line in that order, then holds every line at once. */
async function holdUnits(tx: Tx, orderId: string, userId: string | null, lines: StockLineInput[]): Promise<void> {
  const ids = lines.map((line) => line.productId);
  const locked = await tx.$queryRaw<LockedProduct[]>`
    SELECT id, sku, name, status::text AS status, stock, reserved
    FROM products.products WHERE id = ANY(${uuidArray(ids)}) ORDER BY id FOR UPDATE`;
  const byId = new Map(locked.map((product) => [product.id, product]));
  for (const { productId, quantity } of lines) {
    const product = byId.get(productId);
    if (!product) {
      throw badUserInput(`Product ${productId} does not exist`, { field: 'lines.productId', productId });
    }
    if (product.status !== 'ACTIVE') {
      throw productConflict(productId, `${product.name} (${product.sku}) is no longer sold`);
    }
    const available = product.stock - product.reserved;
    if (available < quantity) {
      throw productConflict(
        productId,
        `Only ${available} units of ${product.name} (${product.sku}) are available, ${quantity} requested`,
        { available, requested: quantity },
      );
    }
  }
  await tx.$executeRaw`
    UPDATE products.products p SET reserved = p.reserved + v.quantity
    FROM unnest(${uuidArray(ids)}, ${lines.map((line) => line.quantity)}::int[]) AS v(id, quantity)
    WHERE p.id = v.id`;
  await tx.stockReservation.createMany({ data: lines.map((line) => ({ orderId, userId, ...line })) });
}

function reservationLine({ productId, quantity, status }: StockReservationLine): StockReservationLine {
  return { productId, quantity, status };
}
