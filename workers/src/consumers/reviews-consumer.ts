import type { Consumer } from './consumer';

/** Records who bought what on order.paid: only verified purchasers may review a product. */
export function reviewsConsumer(): Consumer<'order.paid'> {
  return {
    name: 'reviews',
    events: ['order.paid'],

    async markProcessed(tx, meta) {
      const { count } = await tx.reviewsProcessedEvent.createMany({
        data: [{ eventId: meta.eventId, consumer: 'reviews' }],
        skipDuplicates: true,
      });
      return count === 1;
    },

    async handle(tx, event) {
      const { userId, orderId, items } = event.payload;
      const productIds = [...new Set(items.map((item) => item.productId))];
      await tx.verifiedPurchase.createMany({
        data: productIds.map((productId) => ({ userId, productId, orderId })),
        skipDuplicates: true,
      });
    },
  };
}
