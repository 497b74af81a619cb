import { Prisma, type PrismaClient } from '@minishop/db';
import { conflict, forbidden, isUuid, notFound, type Viewer } from '@minishop/runtime';
import { createReviewLoaders } from './loaders';
import { REVIEW_COLUMNS, type ReviewRow } from './rows';
import { checkCreateInput, checkUpdateInput, type CreateReviewInput, type UpdateReviewInput } from './validation';

type Tx = Prisma.TransactionClient;

/** Scope that lets staff delete any review (moderation). */
const MODERATE_SCOPE = 'catalog:write';

/**
 * Reviews rules and data access (Postgres schema `reviews`). Every write adjusts the product's
 * rating aggregate (`product_ratings`) in the same transaction, so the average is never stale.
 */
export class ReviewService {
  constructor(private readonly prisma: PrismaClient) {}

  createLoaders() {
    return createReviewLoaders(this.prisma);
  }

  /** Verified purchasers only, one review per user and product (the unique index settles races). */
  async createReview(viewer: Viewer, input: CreateReviewInput): Promise<ReviewRow> {
    const fields = checkCreateInput(input);
    const { productId } = input;
    if (!isUuid(productId) || !(await this.hasBought(viewer.userId, productId))) {
      throw forbidden('Only customers who bought this product can review it');
    }
    try {
      return await this.prisma.$transaction(async (tx) => {
        const review = await tx.review.create({ data: { userId: viewer.userId, productId, ...fields } });
        await addToRating(tx, productId, fields.rating);
        return review;
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw conflict('You have already reviewed this product; edit your review instead');
      }
      throw error;
    }
  }

  /** The author edits their review; a rating change moves the aggregate by the difference. */
  async updateReview(viewer: Viewer, id: string, input: UpdateReviewInput): Promise<ReviewRow> {
    const changes = checkUpdateInput(input);
    return this.prisma.$transaction(async (tx) => {
      const current = await lockReview(tx, id);
      if (current.userId !== viewer.userId) throw forbidden('You can only edit your own reviews');
      const review = await tx.review.update({ where: { id }, data: changes });
      await adjustRating(tx, review.productId, 0, review.rating - current.rating);
      return review;
    });
  }

  /** The author, or staff with catalog:write, deletes a review; returns its id. */
  async deleteReview(viewer: Viewer, id: string): Promise<string> {
    return this.prisma.$transaction(async (tx) => {
      const current = await lockReview(tx, id);
      if (current.userId !== viewer.userId && !viewer.scopes.includes(MODERATE_SCOPE)) {
        throw forbidden(`You can only delete your own reviews (or need ${MODERATE_SCOPE})`);
      }
      await tx.review.delete({ where: { id } });
      await adjustRating(tx, current.productId, -1, -current.rating);
      return id;
    });
  }

  private async hasBought(userId: string, productId: string): Promise<boolean> {
    const purchase = await this.prisma.verifiedPurchase.findFirst({
      where: { userId, productId },
      select: { userId: true },
    });
    return purchase !== null;
  }
}

/** Locks the review row for the rest of the transaction (concurrent edits of it queue up); NOT_FOUND if absent. */
async function lockReview(tx: Tx, id: string): Promise<ReviewRow> {
  const [row] = isUuid(id)
    ? await tx.$queryRaw<ReviewRow[]>`SELECT ${REVIEW_COLUMNS} FROM reviews.reviews WHERE id = ${id}::uuid FOR UPDATE`
    : [];
  if (!row) throw notFound('No review with this id');
  return row;
}

/** The first review of a product creates its aggregate row; later ones add to it (one atomic statement). */
async function addToRating(tx: Tx, productId: string, rating: number): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO reviews.product_ratings (product_id, review_count, rating_sum)
    VALUES (${productId}::uuid, 1, ${rating})
    ON CONFLICT (product_id) DO UPDATE
      SET review_count = product_ratings.review_count + 1, rating_sum = product_ratings.rating_sum + ${rating}`;
}

/**
 * Moves a product's aggregate by the given deltas in one atomic statement. A missing row (never
 * expected: the migration backfilled them) is rebuilt from the reviews instead of silently skipped.
 */
async function adjustRating(tx: Tx, productId: string, countDelta: number, sumDelta: number): Promise<void> {
  if (countDelta === 0 && sumDelta === 0) return;
  const updated = await tx.$executeRaw`
    UPDATE reviews.product_ratings
    SET review_count = review_count + ${countDelta}, rating_sum = rating_sum + ${sumDelta}
    WHERE product_id = ${productId}::uuid`;
  if (updated === 0) {
    await tx.$executeRaw`
      INSERT INTO reviews.product_ratings (product_id, review_count, rating_sum)
      SELECT ${productId}::uuid, count(*), coalesce(sum(rating), 0) FROM reviews.reviews WHERE product_id = ${productId}::uuid
      ON CONFLICT (product_id) DO UPDATE
        SET review_count = EXCLUDED.review_count, rating_sum = EXCLUDED.rating_sum`;
  }
}
