import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '@minishop/db';
import { badUserInput, conflict, requireViewer, type BaseContext, type Viewer } from '@minishop/runtime';
import type { CartClient } from './cart-client';
import type { CouponRedemption, CouponsClient } from './coupons-client';
import {
  checkIdempotencyKey,
  checkPlaceOrderInput,
  normalizeCouponCode,
  normalizeLines,
  requestHash,
  type LineSource,
  type PlaceOrderInput,
} from './order-input';
import { writeOutboxEvent } from './outbox';
import type { PlacementLock } from './placement-lock';
import type { OrderLine, ProductsClient } from './products-client';
import { ORDER_INCLUDE, type OrderWithItems } from './order-rows';

export interface PlaceOrderRequest {
  input: PlaceOrderInput;
  couponCode?: string | null;
  idempotencyKey: string;
}

// Under a burst of orders a transaction may wait for a pooled connection longer than Prisma's
// defaults (2 s / 5 s) allow.
const WRITE_TRANSACTION = { maxWait: 15_000, timeout: 15_000 } as const;

interface PricedLine extends OrderLine {
  unitPriceAmount: number;
  currency: string;
}

interface Attempt {
  viewer: Viewer;
  orderId: string;
  key: string;
  hash: string;
}

/**
 * Places orders. The other domains own stock, coupons and carts; they are reached over HTTP with
 * the customer's token, and what they hold for an order is keyed by the order id generated here,
 * so every step can be retried or undone idempotently.
 */
export class OrderPlacement {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clients: { products: ProductsClient; coupons: CouponsClient; cart: CartClient },
    private readonly lock: PlacementLock,
  ) {}

  /**
   * placeOrder, in this order:
   * (1) idempotency: an order under (user, key) is answered again if the request hash matches, else CONFLICT;
   * (2) lines from the cart or the input (validated, merged) and their current prices;
   * (3) a fresh order id; reserve stock for it (idempotent per order id);
   * (4) redeem the coupon for it (idempotent per order id);
   * (5) one transaction: order (with key + hash), items, first history row, order.created outbox row.
   *     A racing request with the same key loses on the unique (user_id, idempotency_key): it
   *     undoes its own reservation/redemption and answers the winner's order;
   * (6) any failure after (3) releases the coupon and the stock of this attempt, then rethrows
   *     (or answers the winner, when a racing request with the same key committed meanwhile);
   * (7) after commit, the ordered items leave the cart: best effort, a failure is only logged.
   */
  async placeOrder(context: BaseContext, request: PlaceOrderRequest): Promise<OrderWithItems> {
    const viewer = requireViewer(context);
    const key = checkIdempotencyKey(request.idempotencyKey);
    const source = checkPlaceOrderInput(request.input);
    const couponCode = normalizeCouponCode(request.couponCode);
    const hash = requestHash(source, couponCode);

    const existing = await this.findByKey(viewer.userId, key, hash);
    if (existing) return existing;
    return this.lock.run(viewer.userId, key, async () => {
      // A request with the same key may have committed while this one waited for the lock.
      const placedMeanwhile = await this.findByKey(viewer.userId, key, hash);
      return placedMeanwhile ?? this.placeNew(context, viewer, key, hash, source, couponCode);
    });
  }

  private async placeNew(
    context: BaseContext,
    viewer: Viewer,
    key: string,
    hash: string,
    source: LineSource,
    couponCode: string | null,
  ): Promise<OrderWithItems> {
    const lines = await this.resolveLines(context, source);
    const attempt: Attempt = { viewer, orderId: randomUUID(), key, hash };
    let order: OrderWithItems | null;
    try {
      await this.clients.products.reserveStock(attempt.orderId, lines, context);
      const redemption = couponCode
        ? await this.clients.coupons.redeemCoupon(couponCode, attempt.orderId, subtotalOf(lines), context)
        : null;
      order = await this.write(context, attempt, lines, redemption);
    } catch (error) {
      await this.compensate(context, attempt.orderId);
      const winner = await this.findByKey(viewer.userId, key, hash);
      if (winner) return winner;
      throw error;
    }
    if (!order) {
      // Lost the race for the key: a different order id always, so this attempt's holds go back.
      await this.compensate(context, attempt.orderId);
      const winner = await this.findByKey(viewer.userId, key, hash);
      if (!winner) throw conflict('This idempotency key is being used by another request; retry');
      return winner;
    }
    if (source.fromCart) await this.removeFromCart(context, order);
    return order;
  }

  /** The order placed under (user, key); CONFLICT when it was placed with another request. */
  private async findByKey(userId: string, key: string, hash: string): Promise<OrderWithItems | null> {
    const order = await this.prisma.order.findUnique({
      where: { userId_idempotencyKey: { userId, idempotencyKey: key } },
      include: ORDER_INCLUDE,
    });
    if (order && order.requestHash !== hash) {
      throw conflict('This idempotency key was already used for a different order');
    }
    return order;
  }

  /** The order's lines with their current unit prices; unknown products are BAD_USER_INPUT. */
  private async resolveLines(context: BaseContext, source: LineSource): Promise<PricedLine[]> {
    const field = source.fromCart ? 'input.fromCart' : 'input.items';
    const raw = source.fromCart ? await this.clients.cart.viewerCartLines(context) : source.items;
    if (source.fromCart && raw.length === 0) throw badUserInput('The cart is empty', { field });
    const lines = normalizeLines(raw, field);
    const products = await this.clients.products.findProducts(
      lines.map((line) => line.productId),
      context,
    );
    const byId = new Map(products.map((product) => [product.id, product]));
    const currencies = new Set(products.map((product) => product.price.currency));
    if (currencies.size > 1) throw badUserInput('All items of an order must share one currency', { field });
    return lines.map((line) => {
      const product = byId.get(line.productId);
      if (!product) throw badUserInput(`Product ${line.productId} does not exist`, { field: `${field}.productId` });
      return { ...line, unitPriceAmount: product.price.amount, currency: product.price.currency };
    });
  }

  /** Step (5); null when a racing request under the same key committed first. */
  private async write(
    context: BaseContext,
    attempt: Attempt,
    lines: PricedLine[],
    redemption: CouponRedemption | null,
  ): Promise<OrderWithItems | null> {
    const { viewer, orderId } = attempt;
    const subtotal = subtotalOf(lines);
    const discountAmount = Math.min(redemption?.discount.amount ?? 0, subtotal.amount);
    const totalAmount = subtotal.amount - discountAmount;
    const placedAt = new Date();
    try {
      return await this.prisma.$transaction(async (tx) => {
        const order = await tx.order.create({
          data: {
            id: orderId,
            userId: viewer.userId,
            subtotalAmount: subtotal.amount,
            discountAmount,
            totalAmount,
            currency: subtotal.currency,
            couponCode: redemption?.code ?? null,
            idempotencyKey: attempt.key,
            requestHash: attempt.hash,
            createdAt: placedAt,
            items: {
              create: lines.map(({ productId, quantity, unitPriceAmount }) => ({
                productId,
                quantity,
                unitPriceAmount,
              })),
            },
            history: { create: { fromStatus: null, toStatus: 'PENDING', actorId: viewer.userId, createdAt: placedAt } },
          },
          include: ORDER_INCLUDE,
        });
        await writeOutboxEvent(tx, {
          type: 'order.created',
          aggregateId: orderId,
          traceparent: context.traceparent,
          payload: {
            version: 1,
            orderId,
            userId: viewer.userId,
            items: lines.map(({ productId, quantity, unitPriceAmount }) => ({ productId, quantity, unitPriceAmount })),
            subtotalAmount: subtotal.amount,
            discountAmount,
            totalAmount,
            currency: subtotal.currency,
            couponCode: order.couponCode,
            placedAt: placedAt.toISOString(),
          },
        });
        return order;
      }, WRITE_TRANSACTION);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
  }

  /** Gives back what an attempt holds (both calls are idempotent); failures are logged, never thrown. */
  private async compensate(context: BaseContext, orderId: string): Promise<void> {
    const results = await Promise.allSettled([
      this.clients.coupons.releaseCoupon(orderId, context),
      this.clients.products.releaseStock(orderId, context),
    ]);
    for (const result of results) {
      if (result.status === 'rejected') {
        context.logger.error({ err: result.reason, orderId }, 'could not undo a failed order attempt');
      }
    }
  }

  private async removeFromCart(context: BaseContext, order: OrderWithItems): Promise<void> {
    const items = order.items.map(({ productId, quantity }) => ({ productId, quantity }));
    try {
      await this.clients.cart.removeOrderedItems(order.id, items, context);
    } catch (error) {
      context.logger.warn({ err: error, orderId: order.id }, 'ordered items stay in the cart');
    }
  }
}

/** Lines are non-empty and share one currency (checked by resolveLines). */
function subtotalOf(lines: PricedLine[]) {
  return {
    amount: lines.reduce((sum, line) => sum + line.unitPriceAmount * line.quantity, 0),
    currency: lines[0]?.currency ?? '',
  };
}
