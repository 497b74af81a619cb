import { Badge } from '@mantine/core';
import type { OrderStatus } from '../graphql/generated';

const STATUSES: Record<OrderStatus, { label: string; color: string }> = {
  PENDING: { label: 'Pending', color: 'yellow' },
  PAID: { label: 'Paid', color: 'blue' },
  SHIPPED: { label: 'Shipped', color: 'indigo' },
  DELIVERED: { label: 'Delivered', color: 'teal' },
  CANCELLED: { label: 'Cancelled', color: 'gray' },
};

/** Every status in lifecycle order, as options of a filter. */
export const ORDER_STATUSES = Object.entries(STATUSES).map(([value, { label }]) => ({
  value: value as OrderStatus,
  label,
}));

export function statusLabel(status: OrderStatus): string {
  return STATUSES[status].label;
}

/** The status exactly as its enum value (what support quotes), coloured by stage. */
export function OrderStatusBadge({ status, testId }: { status: OrderStatus; testId?: string }) {
  return (
    <Badge color={STATUSES[status].color} variant="light" miw="max-content" data-testid={testId}>
      {status}
    </Badge>
  );
}

/** The short form of an order's UUID that customers see, e.g. #B0A707A4. */
export function orderNumber(id: string): string {
  return `#${id.slice(0, 8).toUpperCase()}`;
}
