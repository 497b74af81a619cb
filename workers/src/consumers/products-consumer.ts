import type { Consumer } from './consumer';

/**
 * Gives back the stock an order held when it is cancelled. No processed-events table: the
 * RESERVED -> RELEASED flip is conditional, so a redelivered event finds nothing left to release.
 */
export function productsConsumer(): Consumer<'order.cancelled'> {
  return {
    name: 'products',
    events: ['order.cancelled'],

    async handle(tx, event, logger) {
      // Lower case, as the products subgraph keys its advisory lock.
      const orderId = event.payload.orderId.toLowerCase();
      // Same advisory lock and product lock order as the products subgraph's reserve/release, so
      // they serialize with this and cannot deadlock with it.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`products.stock_reservations:${orderId}`}, 0))`;
      await tx.$queryRaw`
        SELECT p.id FROM products.products p
        JOIN products.stock_reservations r ON r.product_id = p.id
        WHERE r.order_id = ${orderId}::uuid AND r.status = 'RESERVED'
        ORDER BY p.id FOR UPDATE OF p`;
      const released = await tx.$executeRaw`
        WITH released AS (
          UPDATE products.stock_reservations SET status = 'RELEASED', released_at = now()
          WHERE order_id = ${orderId}::uuid AND status = 'RESERVED'
          RETURNING product_id, quantity
        )
        UPDATE products.products p SET reserved = p.reserved - r.quantity, updated_at = now()
        FROM released r WHERE p.id = r.product_id`;
      if (released > 0) logger.info({ orderId, products: released }, 'released reserved stock');
    },
  };
}
