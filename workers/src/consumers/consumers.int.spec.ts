import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@minishop/db';
import type { EventType } from '@minishop/runtime';
import { Broker, eventually, payloadFor, runnerOptions, testPrisma, uniqueName } from '../../test/fixtures';
import type { Consumer } from './consumer';
import { ConsumerRunner } from './consumer-runner';
import type { NotificationChannel, OutgoingNotification } from './notification-channels';
import { notificationsConsumer } from './notifications-consumer';
import { productsConsumer } from './products-consumer';
import { reviewsConsumer } from './reviews-consumer';

/** A channel that records what it would send. */
function recordingChannel(name: NotificationChannel['name']): NotificationChannel & { sent: OutgoingNotification[] } {
  const sent: OutgoingNotification[] = [];
  return { name, sent, send: async (notification) => void sent.push(notification) };
}

describe('consumers', () => {
  let prisma: PrismaClient;
  let broker: Broker;
  let runner: ConsumerRunner | undefined;

  const start = async (consumer: Consumer) => {
    runner = new ConsumerRunner(consumer, runnerOptions(prisma, broker.exchange));
    runner.start();
    await eventually('runner connected', () => runner?.ready ?? false);
  };
  let published: string[] = [];
  const publish = (type: EventType, payload: unknown, id = randomUUID()) => {
    broker.publish(type, id, payload);
    published.push(id);
    return id;
  };

  beforeAll(() => {
    prisma = testPrisma();
  });
  beforeEach(async () => {
    broker = await Broker.create(uniqueName('events'));
  });
  afterEach(async () => {
    await runner?.stop();
    await prisma.notificationsProcessedEvent.deleteMany({ where: { eventId: { in: published } } });
    await prisma.reviewsProcessedEvent.deleteMany({ where: { eventId: { in: published } } });
    published = [];
    await broker.dispose(runner ? [runner.queues] : []);
    runner = undefined;
  });
  afterAll(() => prisma.$disconnect());

  describe('notifications', () => {
    const email = recordingChannel('email');
    const sms = recordingChannel('sms');
    let userId: string;
    const notifications = () => prisma.notification.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });

    beforeEach(async () => {
      userId = randomUUID();
      email.sent.length = 0;
      sms.sent.length = 0;
      await start(notificationsConsumer([email, sms]));
    });
    afterEach(async () => {
      await prisma.notification.deleteMany({ where: { userId } });
      await prisma.notificationPreference.deleteMany({ where: { userId } });
    });

    it('creates one in-app notification per event, even when the event is delivered twice', async () => {
      const orderId = randomUUID();
      const created = payloadFor('order.created', { orderId, userId }, { totalAmount: 4990 });
      const id = publish('order.created', created);
      publish('order.created', created, id);
      const cancelled = publish('order.cancelled', payloadFor('order.cancelled', { orderId, userId }));

      // prefetch 1: once the last event is in, both deliveries of the first were handled.
      await eventually('the cancellation', async () => (await notifications()).length === 2);
      const rows = await notifications();
      expect(rows.map((row) => [row.eventId, row.kind, row.title])).toEqual([
        [id, 'order.created', 'Order received'],
        [cancelled, 'order.cancelled', 'Order cancelled'],
      ]);
      expect(rows[0]?.body).toBe(`We received your order #${orderId.slice(0, 8).toUpperCase()} for €49.90.`);
      expect(await prisma.notificationsProcessedEvent.count({ where: { eventId: { in: [id, cancelled] } } })).toBe(2);
      // Email is on and SMS off by default; the duplicate sent nothing.
      await eventually('the emails', () => email.sent.length === 2);
      expect(email.sent.map((sent) => sent.eventId)).toEqual([id, cancelled]);
      expect(sms.sent).toEqual([]);
    });

    it('notifies on paid, shipped and delivered, skips other status changes, and respects preferences', async () => {
      await prisma.notificationPreference.create({ data: { userId, email: false, sms: true } });
      const orderId = randomUUID();
      const ids = { orderId, userId };
      publish('order.paid', payloadFor('order.paid', ids));
      const toPaid = publish(
        'order.status_changed',
        payloadFor('order.status_changed', ids, { from: 'PENDING', to: 'PAID' }),
      );
      publish('order.status_changed', payloadFor('order.status_changed', ids, { from: 'PAID', to: 'SHIPPED' }));
      const last = publish(
        'order.status_changed',
        payloadFor('order.status_changed', ids, { from: 'SHIPPED', to: 'DELIVERED' }),
      );

      await eventually('the delivery notification', async () =>
        (await notifications()).some((row) => row.eventId === last),
      );
      expect((await notifications()).map((row) => row.title)).toEqual([
        'Payment received',
        'Your order has shipped',
        'Your order was delivered',
      ]);
      // The skipped status change still counts as processed.
      expect(await prisma.notificationsProcessedEvent.count({ where: { eventId: toPaid } })).toBe(1);
      await eventually('the text messages', () => sms.sent.length === 3);
      expect(email.sent).toEqual([]);
      expect(sms.sent.map((sent) => sent.title)).toEqual([
        'Payment received',
        'Your order has shipped',
        'Your order was delivered',
      ]);
    });
  });

  it('reviews: records a verified purchase per product of a paid order, once', async () => {
    await start(reviewsConsumer());
    const [orderId, userId, first, second] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const payload = payloadFor('order.paid', { orderId, userId, productIds: [first, second, first] });
    const id = publish('order.paid', payload);
    publish('order.paid', payload, id);
    const marker = publish('order.paid', payloadFor('order.paid', { orderId: randomUUID(), userId }));
    try {
      await eventually(
        'both events processed',
        async () => (await prisma.reviewsProcessedEvent.count({ where: { eventId: { in: [id, marker] } } })) === 2,
      );
      const rows = await prisma.verifiedPurchase.findMany({ where: { orderId } });
      expect(rows.map((row) => [row.userId, row.productId]).sort()).toEqual(
        [
          [userId, first],
          [userId, second],
        ].sort(),
      );
    } finally {
      await prisma.verifiedPurchase.deleteMany({ where: { userId } });
    }
  });

  it('products: releases the stock a cancelled order held, once, even when the event comes twice', async () => {
    await start(productsConsumer());
    const category = await prisma.category.findFirstOrThrow();
    const sku = uniqueName('sku');
    const make = (suffix: string, reserved: number) =>
      prisma.product.create({
        data: {
          sku: `${sku}-${suffix}`,
          name: 'Relay test product',
          priceAmount: 100,
          currency: 'EUR',
          stock: 10,
          reserved,
          categoryId: category.id,
        },
      });
    const [held, alreadyReleased] = [await make('a', 3), await make('b', 0)];
    const orderId = randomUUID();
    await prisma.stockReservation.createMany({
      data: [
        { orderId, productId: held.id, quantity: 3, status: 'RESERVED' },
        { orderId, productId: alreadyReleased.id, quantity: 2, status: 'RELEASED', releasedAt: new Date() },
      ],
    });
    try {
      const payload = payloadFor('order.cancelled', { orderId, userId: randomUUID(), productIds: [held.id] });
      const id = publish('order.cancelled', payload);
      publish('order.cancelled', payload, id);
      // Another order's cancellation as a marker: prefetch 1 means both deliveries came before it.
      const markerOrder = randomUUID();
      await prisma.stockReservation.create({
        data: { orderId: markerOrder, productId: alreadyReleased.id, quantity: 1 },
      });
      await prisma.product.update({ where: { id: alreadyReleased.id }, data: { reserved: 1 } });
      publish('order.cancelled', payloadFor('order.cancelled', { orderId: markerOrder, userId: randomUUID() }));

      await eventually(
        'the marker released',
        async () =>
          (
            await prisma.stockReservation.findUniqueOrThrow({
              where: { orderId_productId: { orderId: markerOrder, productId: alreadyReleased.id } },
            })
          ).status === 'RELEASED',
      );
      const reservations = await prisma.stockReservation.findMany({
        where: { orderId },
        orderBy: { quantity: 'desc' },
      });
      expect(reservations.map((row) => row.status)).toEqual(['RELEASED', 'RELEASED']);
      expect(reservations[0]?.releasedAt).not.toBeNull();
      const products = await prisma.product.findMany({ where: { id: { in: [held.id, alreadyReleased.id] } } });
      expect(products.map((product) => [product.id, product.stock, product.reserved]).sort()).toEqual(
        [
          [held.id, 10, 0],
          [alreadyReleased.id, 10, 0],
        ].sort(),
      );
    } finally {
      await prisma.stockReservation.deleteMany({ where: { productId: { in: [held.id, alreadyReleased.id] } } });
      await prisma.product.deleteMany({ where: { id: { in: [held.id, alreadyReleased.id] } } });
    }
  });
});
