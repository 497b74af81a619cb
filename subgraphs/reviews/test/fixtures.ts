import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '@minishop/db';

// Shared by the reviews integration tests (not shipped code): fresh products in a fresh category,
// purchases recorded as the order-event consumer would, and exact cleanup of everything created.

/** Products to review, verified purchases of them, and cleanup of both plus any reviews and aggregates. */
export function reviewsFixture(prisma: PrismaClient) {
  let categoryId: string | null = null;
  const productIds: string[] = [];
  const userIds: string[] = [];
  return {
    async product(): Promise<string> {
      categoryId ??= (
        await prisma.category.create({ data: { slug: `test-${randomBytes(6).toString('hex')}`, name: 'Review tests' } })
      ).id;
      const { id } = await prisma.product.create({
        data: {
          sku: `REV-${randomBytes(6).toString('hex').toUpperCase()}`,
          name: 'Reviewed product',
          description: '',
          priceAmount: 1000,
          currency: 'EUR',
          stock: 10,
          categoryId,
        },
      });
      productIds.push(id);
      return id;
    },
    /** Records that `userId` bought `productId` (what the order-paid consumer does). */
    async purchase(userId: string, productId: string): Promise<void> {
      await prisma.verifiedPurchase.create({ data: { userId, productId, orderId: randomUUID() } });
    },
    /** Users registered through the API, removed at cleanup. */
    track(userId: string): void {
      userIds.push(userId);
    },
    async cleanup(): Promise<void> {
      await prisma.review.deleteMany({ where: { productId: { in: productIds } } });
      await prisma.productRating.deleteMany({ where: { productId: { in: productIds } } });
      await prisma.verifiedPurchase.deleteMany({ where: { productId: { in: productIds } } });
      await prisma.product.deleteMany({ where: { id: { in: productIds } } });
      if (categoryId) await prisma.category.delete({ where: { id: categoryId } });
      await prisma.user.deleteMany({ where: { id: { in: userIds } } });
    },
  };
}

/** The aggregate row and a fresh count/sum/avg over the reviews of a product. */
export async function ratingState(prisma: PrismaClient, productId: string) {
  const [fresh] = await prisma.$queryRaw<{ count: number; sum: number; average: number | null }[]>`
    SELECT count(*)::int AS count, coalesce(sum(rating), 0)::int AS sum, round(avg(rating), 2)::float8 AS average
    FROM reviews.reviews WHERE product_id = ${productId}::uuid`;
  const aggregate = await prisma.productRating.findUnique({ where: { productId } });
  return { fresh, aggregate };
}
