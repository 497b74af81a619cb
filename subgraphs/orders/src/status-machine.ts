import type { OrderStatus } from '@minishop/db';
import { conflict } from '@minishop/runtime';

/**
 * The order life cycle: PENDING -> PAID -> SHIPPED -> DELIVERED, and PENDING/PAID -> CANCELLED.
 * DELIVERED and CANCELLED are final.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['PAID', 'CANCELLED'],
  PAID: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
};

/** True when an order in `from` may move to `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Throws CONFLICT (naming both statuses) unless an order in `from` may move to `to`. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw conflict(`An order that is ${from} cannot become ${to}`);
}
