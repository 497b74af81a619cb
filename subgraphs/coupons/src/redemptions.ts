import { Prisma, type CouponRedemption, type PrismaClient } from '@minishop/db';
import { badUserInput, conflict, ErrorCode, forbidden, isUuid, type Viewer } from '@minishop/runtime';
import { parseMoney } from './coupon-input';
import { rejectionError } from './rejections';
import { evaluateCoupon, isWellFormedCode, normalizeCode, type Money } from './rules';

export interface RedeemRequest {
  code: string;
  /** The customer placing the order (the viewer). */
  userId: string;
  orderId: string;
  subtotal: Money;
}

/** A redemption with its discount as Money (the row keeps only the amount). */
export type Redemption = CouponRedemption & { discount: Money };

/** Releasing another customer's order's coupon (e.g. when an admin cancels it). */
const ORDERS_MANAGE = 'orders:manage';

// Redemptions of one coupon queue on its row lock; under a burst a transaction may wait for a pooled
// connection and for the lock longer than Prisma's defaults (2 s / 5 s) allow.
const REDEEM_TRANSACTION = { maxWait: 15_000, timeout: 15_000 } as const;

/**
 * Redeeming and releasing coupons for orders (called by the orders subgraph). Postgres is the
 * source of truth: the coupon row is locked while the limits are checked and the count changes,
 * and `order_id` is unique, so the limits hold under any concurrency and each order redeems once.
 */
export class RedemptionService {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Holds one redemption of `code` for the order. The same order and code again return the
   * existing redemption; another code (or another user) for the order is CONFLICT. A coupon that
   * does not apply is CONFLICT with `reason`, an unknown one NOT_FOUND.
   */
  async redeem(request: RedeemRequest): Promise<Redemption> {
    if (!isUuid(request.orderId)) throw badUserInput('orderId must be a UUID', { field: 'orderId' });
    const subtotal = parseMoney(request.subtotal, 'subtotal');
    const redeem = { ...request, code: normalizeCode(request.code), subtotal };
    try {
      return await this.prisma.$transaction((tx) => this.redeemWithin(tx, redeem), REDEEM_TRANSACTION);
    } catch (error) {
      // A concurrent redeem of the same order under another code (another row lock) inserted first.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const existing = await this.prisma.couponRedemption.findUnique({ where: { orderId: request.orderId } });
        if (existing) return replay(existing, redeem);
      }
      throw error;
    }
  }

  private async redeemWithin(tx: Prisma.TransactionClient, request: RedeemRequest): Promise<Redemption> {
    const { code, userId, orderId, subtotal } = request;
    const coupon = isWellFormedCode(code) ? await lockCoupon(tx, code) : null;
    // Read after the lock: a redeem of the same order and code that committed meanwhile is seen here.
    const existing = await tx.couponRedemption.findUnique({ where: { orderId } });
    if (existing) return replay(existing, request);
    const userRedemptions = coupon
      ? await tx.couponRedemption.count({ where: { couponCode: code, userId, status: 'REDEEMED' } })
      : 0;
    const decision = evaluateCoupon(coupon, { subtotal, now: new Date(), userRedemptions });
    if (!decision.valid) throw rejectionError(decision.reason, ErrorCode.Conflict);
    const redemption = await tx.couponRedemption.create({
      data: { couponCode: code, userId, orderId, discountAmount: decision.discount.amount },
    });
    await tx.coupon.update({ where: { code }, data: { redemptionCount: { increment: 1 } } });
    return { ...redemption, discount: decision.discount };
  }

  /**
   * Gives the order's coupon back: marks the redemption RELEASED and frees its global and
   * per-user slot. Idempotent: true when the order has a redemption (released now or before),
   * false when it has none. Only the redeeming user or an orders:manage holder may release.
   */
  async release(viewer: Viewer, orderId: string): Promise<boolean> {
    if (!isUuid(orderId)) return false;
    const redemption = await this.prisma.couponRedemption.findUnique({ where: { orderId } });
    if (!redemption) return false;
    if (redemption.userId !== viewer.userId && !viewer.scopes.includes(ORDERS_MANAGE)) {
      throw forbidden('Only the customer who placed the order can release its coupon');
    }
    await this.prisma.$transaction(async (tx) => {
      // The status guard makes concurrent releases decrement once: only one of them flips the row.
      const flipped = await tx.couponRedemption.updateMany({
        where: { orderId, status: 'REDEEMED' },
        data: { status: 'RELEASED', releasedAt: new Date() },
      });
      if (flipped.count === 1) {
        await tx.coupon.update({ where: { code: redemption.couponCode }, data: { redemptionCount: { decrement: 1 } } });
      }
    });
    return true;
  }
}

/** SELECT ... FOR UPDATE: every redemption of this coupon waits here until the previous one commits. */
async function lockCoupon(tx: Prisma.TransactionClient, code: string) {
  const locked = await tx.$queryRaw<{ code: string }[]>`
    SELECT code FROM coupons.coupons WHERE code = ${code} FOR UPDATE`;
  return locked.length > 0 ? tx.coupon.findUnique({ where: { code } }) : null;
}

/** The answer to a repeated redeem of an order: the same redemption, or CONFLICT when it differs. */
function replay(existing: CouponRedemption, request: RedeemRequest): Redemption {
  if (existing.couponCode !== request.code || existing.userId !== request.userId) {
    throw conflict('This order already has another coupon');
  }
  if (existing.status === 'RELEASED') throw conflict("This order's coupon was released; it cannot be redeemed again");
  return { ...existing, discount: { amount: existing.discountAmount, currency: request.subtotal.currency } };
}
