import type { EventPayload } from '@minishop/runtime';
import type { Consumer, ConsumedEvent, Tx } from './consumer';
import type { NotificationChannel, OutgoingNotification } from './notification-channels';

type Handled = 'order.created' | 'order.paid' | 'order.status_changed' | 'order.cancelled';

interface Rendered {
  title: string;
  body: string;
}

/**
 * In-app notification (and email/SMS per the user's preferences) for the order events a customer
 * cares about. Email and SMS are sent after the commit and only for newly processed events:
 * at most once, since the in-app row is the durable record.
 */
export function notificationsConsumer(channels: readonly NotificationChannel[]): Consumer<Handled> {
  return {
    name: 'notifications',
    events: ['order.created', 'order.paid', 'order.status_changed', 'order.cancelled'],

    async markProcessed(tx, meta) {
      const { count } = await tx.notificationsProcessedEvent.createMany({
        data: [{ eventId: meta.eventId, consumer: 'notifications' }],
        skipDuplicates: true,
      });
      return count === 1;
    },

    async handle(tx, event) {
      const rendered = renderNotification(event);
      if (!rendered) return;
      const { userId } = event.payload;
      await tx.notification.create({
        data: { userId, kind: event.type, title: rendered.title, body: rendered.body, eventId: event.meta.eventId },
      });
      const wanted = await wantedChannels(tx, userId, channels);
      if (wanted.length === 0) return;
      const outgoing: OutgoingNotification = { userId, eventId: event.meta.eventId, ...rendered };
      return async () => {
        await Promise.all(wanted.map((channel) => channel.send(outgoing)));
      };
    },
  };
}

/** The text for an event, or null when it does not concern the customer (e.g. PENDING -> PAID as a status change). */
export function renderNotification(event: ConsumedEvent<Handled>): Rendered | null {
  switch (event.type) {
    case 'order.created': {
      const { orderId, totalAmount, currency } = event.payload;
      return {
        title: 'Order received',
        body: `We received your order ${orderRef(orderId)} for ${formatMoney(totalAmount, currency)}.`,
      };
    }
    case 'order.paid': {
      const { orderId, totalAmount, currency } = event.payload;
      return {
        title: 'Payment received',
        body: `Your payment of ${formatMoney(totalAmount, currency)} for order ${orderRef(orderId)} went through.`,
      };
    }
    case 'order.status_changed':
      return renderStatusChange(event.payload);
    case 'order.cancelled':
      return {
        title: 'Order cancelled',
        body: `Order ${orderRef(event.payload.orderId)} was cancelled.`,
      };
  }
}

function renderStatusChange(payload: EventPayload<'order.status_changed'>): Rendered | null {
  if (payload.to === 'SHIPPED') {
    return { title: 'Your order has shipped', body: `Order ${orderRef(payload.orderId)} is on its way.` };
  }
  if (payload.to === 'DELIVERED') {
    return { title: 'Your order was delivered', body: `Order ${orderRef(payload.orderId)} was delivered.` };
  }
  return null;
}

/** Email on, SMS off unless the user saved a preference. */
async function wantedChannels(
  tx: Tx,
  userId: string,
  channels: readonly NotificationChannel[],
): Promise<NotificationChannel[]> {
  const preference = await tx.notificationPreference.findUnique({ where: { userId } });
  const enabled = { email: preference?.email ?? true, sms: preference?.sms ?? false };
  return channels.filter((channel) => enabled[channel.name]);
}

/** The short order reference customers see: the first block of its id. */
function orderRef(orderId: string): string {
  return `#${orderId.slice(0, 8).toUpperCase()}`;
}

/** Minor units to a display amount, using the currency's own number of decimals. */
export function formatMoney(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}
