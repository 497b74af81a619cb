import { randomUUID } from 'node:crypto';
import { payloadFor } from '../../test/fixtures';
import type { EventMeta } from './consumer';
import { formatMoney, renderNotification } from './notifications-consumer';

const ids = { orderId: 'a1b2c3d4-0000-4000-8000-000000000000', userId: randomUUID() };
const meta = (type: EventMeta['type']): EventMeta => ({ eventId: randomUUID(), type, traceparent: null, attempt: 1 });

describe('renderNotification', () => {
  it('names the order and the amount', () => {
    const payload = payloadFor('order.created', ids, { totalAmount: 12345 });
    expect(renderNotification({ type: 'order.created', payload, meta: meta('order.created') })).toEqual({
      title: 'Order received',
      body: 'We received your order #A1B2C3D4 for €123.45.',
    });
  });

  it('only speaks up for the status changes a customer waits for', () => {
    const change = (from: string, to: string) =>
      renderNotification({
        type: 'order.status_changed',
        payload: payloadFor('order.status_changed', ids, { from, to }),
        meta: meta('order.status_changed'),
      })?.title ?? null;
    expect(change('PAID', 'SHIPPED')).toBe('Your order has shipped');
    expect(change('SHIPPED', 'DELIVERED')).toBe('Your order was delivered');
    expect(change('PENDING', 'PAID')).toBeNull();
    expect(change('PENDING', 'CANCELLED')).toBeNull();
  });
});

describe('formatMoney', () => {
  it('uses the currency’s own minor units', () => {
    expect(formatMoney(4990, 'EUR')).toBe('€49.90');
    expect(formatMoney(500, 'JPY')).toBe('¥500');
  });
});
