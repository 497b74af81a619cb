import type { OrderStatus, PaymentAttempt, Prisma, PrismaClient } from '@minishop/db';
import { conflict, requireScopes, requireViewer, type BaseContext, type Viewer } from '@minishop/runtime';
import type { CouponsClient } from './coupons-client';
import { checkReason } from './order-input';
import { ORDER_INCLUDE, type OrderWithItems } from './order-rows';
import { writeOutboxEvent } from './outbox';
import { checkCard, type CardInput, type SimulatedPaymentProvider } from './payment-provider';
import type { ProductsClient } from './products-client';
import { ORDERS_MANAGE, OrderReader } from './service';
import { assertTransition } from './status-machine';

type Tx = Prisma.TransactionClient;

/** The answer to payOrder: the order (PAID on success, still PENDING otherwise) and the attempt. */
export interface PaymentResult {
  order: OrderWithItems;
  payment: PaymentAttempt;
}

/**
 * Status changes run in one transaction that first locks the order row, so concurrent changes of
 * one order queue; the calls to other domains (charge, release, commit) happen while it is held,
 * so they only happen for a valid transition, and a failing call rolls the change back (they are
 * idempotent: the change can simply be retried). The payment and dependency timeouts stay well
 * below this transaction's own timeout.
 */
const TRANSITION_TX = { maxWait: 10_000, timeout: 30_000 } as const;

interface Change {
  to: OrderStatus;
  reason: string | null;
}

/** Paying, cancelling and moving orders through their life cycle (see status-machine.ts). */
export class OrderLifecycle {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly reader: OrderReader,
    private readonly deps: { products: ProductsClient; coupons: CouponsClient; payments: SimulatedPaymentProvider },
  ) {}

  /**
   * Charges the order's total to a card. Only the owner of a PENDING order may pay (others:
   * NOT_FOUND, a non-PENDING order: CONFLICT). Every attempt is recorded; a success moves the order
   * to PAID and writes order.paid in the same transaction; a failure leaves it PENDING and payable.
   */
  async payOrder(context: BaseContext, orderId: string, card: CardInput): Promise<PaymentResult> {
    const viewer = requireViewer(context);
    const digits = checkCard(card, new Date());
    const order = await this.reader.requireOwnOrder(viewer, orderId);
    return this.prisma.$transaction(async (tx) => {
      const locked = await lockOrder(tx, order.id);
      if (locked.status !== 'PENDING') throw conflict(`Only a PENDING order can be paid; this one is ${locked.status}`);
      const charge = await this.deps.payments.charge(digits, locked.totalAmount);
      const payment = await tx.paymentAttempt.create({
        data: { orderId: order.id, amount: locked.totalAmount, ...charge },
      });
      if (charge.outcome !== 'SUCCEEDED') return { order: locked, payment };
      const paid = await this.apply(tx, context, viewer, locked, { to: 'PAID', reason: null });
      return { order: paid, payment };
    }, TRANSITION_TX);
  }

  /**
   * Cancels an order: its owner or an orders:manage holder (others: NOT_FOUND), while it is
   * PENDING or PAID (otherwise CONFLICT). Releases its stock and coupon and writes order.cancelled.
   */
  async cancelOrder(context: BaseContext, orderId: string, reason: string): Promise<OrderWithItems> {
    const viewer = requireViewer(context);
    const why = checkReason(reason);
    const order = await this.reader.requireVisibleOrder(viewer, orderId);
    return this.change(context, viewer, order.id, { to: 'CANCELLED', reason: why });
  }

  /**
   * Moves an order to `status` (orders:manage) if the state machine allows it (else CONFLICT);
   * SHIPPED commits the order's stock, CANCELLED releases stock and coupon.
   */
  async updateOrderStatus(context: BaseContext, orderId: string, status: OrderStatus): Promise<OrderWithItems> {
    const viewer = requireScopes(context, ORDERS_MANAGE);
    const order = await this.reader.requireVisibleOrder(viewer, orderId);
    return this.change(context, viewer, order.id, { to: status, reason: null });
  }

  private change(context: BaseContext, viewer: Viewer, orderId: string, change: Change): Promise<OrderWithItems> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await lockOrder(tx, orderId);
      return this.apply(tx, context, viewer, locked, change);
    }, TRANSITION_TX);
  }

  /**
   * One checked transition of a locked order: the other domains' side, the row, history and events.
   * Every transition writes order.status_changed (what live subscriptions deliver); PAID also
   * writes order.paid and CANCELLED order.cancelled, for the consumers of those facts.
   */
  private async apply(
    tx: Tx,
    context: BaseContext,
    viewer: Viewer,
    order: OrderWithItems,
    change: Change,
  ): Promise<OrderWithItems> {
    const from = order.status;
    assertTransition(from, change.to);
    if (change.to === 'CANCELLED') {
      await Promise.all([
        this.deps.coupons.releaseCoupon(order.id, context),
        this.deps.products.releaseStock(order.id, context),
      ]);
    }
    if (change.to === 'SHIPPED') await this.deps.products.commitStock(order.id, context);

    const now = new Date();
    const updated = await tx.order.update({
      where: { id: order.id },
      data: { status: change.to },
      include: ORDER_INCLUDE,
    });
    await tx.orderStatusChange.create({
      data: {
        orderId: order.id,
        fromStatus: from,
        toStatus: change.to,
        actorId: viewer.userId,
        reason: change.reason,
        createdAt: now,
      },
    });
    // The order row is locked, so the history count is this change's stable position.
    const sequence = await tx.orderStatusChange.count({ where: { orderId: order.id } });
    const common = { aggregateId: order.id, traceparent: context.traceparent };
    const items = order.items.map(({ productId, quantity }) => ({ productId, quantity }));
    const base = { version: 1 as const, orderId: order.id, userId: order.userId };
    await writeOutboxEvent(tx, {
      ...common,
      type: 'order.status_changed',
      payload: { ...base, from, to: change.to, actorId: viewer.userId, changedAt: now.toISOString(), sequence },
    });
    if (change.to === 'PAID') {
      await writeOutboxEvent(tx, {
        ...common,
        type: 'order.paid',
        payload: {
          ...base,
          items,
          totalAmount: order.totalAmount,
          currency: order.currency,
          paidAt: now.toISOString(),
        },
      });
    }
    if (change.to === 'CANCELLED') {
      await writeOutboxEvent(tx, {
        ...common,
        type: 'order.cancelled',
        payload: {
          ...base,
          from,
          items,
          couponCode: order.couponCode,
          actorId: viewer.userId,
          cancelledAt: now.toISOString(),
        },
      });
    }
    return updated;
  }
}

/** SELECT ... FOR UPDATE on the order, then the order with its items (read under the lock). */
async function lockOrder(tx: Tx, orderId: string): Promise<OrderWithItems> {
  await tx.$queryRaw`SELECT id FROM orders.orders WHERE id = ${orderId}::uuid FOR UPDATE`;
  return tx.order.findUniqueOrThrow({ where: { id: orderId }, include: ORDER_INCLUDE });
}
