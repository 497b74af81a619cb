import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@minishop/db';

// Shared by the orders integration tests (not shipped code). Products and coupons get random
// SKUs/codes; `cleanup` removes exactly what the tests created, including the orders of `userIds`.

const suffix = () => randomBytes(5).toString('hex').toUpperCase();

export function ordersFixture(prisma: PrismaClient) {
  const productIds: string[] = [];
  const couponCodes: string[] = [];
  const userIds: string[] = [];
  let categoryId: string | null = null;

  return {
    /** Registers a user id whose orders (and their events) cleanup removes. */
    trackUser(userId: string): void {
      userIds.push(userId);
    },
    async product(fields: { price: number; stock: number }): Promise<string> {
      categoryId ??= (await prisma.category.create({ data: { slug: `orders-test-${suffix()}`, name: 'Orders tests' } }))
        .id;
      const { id } = await prisma.product.create({
        data: {
          sku: `ORD-${suffix()}`,
          name: `Orders test product ${suffix()}`,
          priceAmount: fields.price,
          currency: 'EUR',
          stock: fields.stock,
          categoryId,
        },
      });
      productIds.push(id);
      return id;
    },
    async coupon(fields: { kind: 'PERCENT' | 'FIXED'; value: number; maxRedemptions?: number }): Promise<string> {
      const code = `ORD${suffix()}`;
      await prisma.coupon.create({
        data: {
          code,
          kind: fields.kind,
          value: fields.value,
          currency: fields.kind === 'FIXED' ? 'EUR' : null,
          maxRedemptions: fields.maxRedemptions ?? null,
          perUserLimit: 100,
        },
      });
      couponCodes.push(code);
      return code;
    },
    async cleanup(): Promise<void> {
      const orders = await prisma.order.findMany({ where: { userId: { in: userIds } }, select: { id: true } });
      const orderIds = orders.map((order) => order.id);
      await prisma.outboxEvent.deleteMany({ where: { aggregateId: { in: orderIds } } });
      await prisma.order.deleteMany({ where: { id: { in: orderIds } } });
      await prisma.couponRedemption.deleteMany({ where: { couponCode: { in: couponCodes } } });
      await prisma.coupon.deleteMany({ where: { code: { in: couponCodes } } });
      await prisma.stockReservation.deleteMany({ where: { productId: { in: productIds } } });
      // A seed run by a concurrent test process records an initial adjustment for every product.
      await prisma.stockAdjustment.deleteMany({ where: { productId: { in: productIds } } });
      await prisma.product.deleteMany({ where: { id: { in: productIds } } });
      if (categoryId) await prisma.category.delete({ where: { id: categoryId } });
      await prisma.user.deleteMany({ where: { id: { in: userIds } } });
    },
  };
}
