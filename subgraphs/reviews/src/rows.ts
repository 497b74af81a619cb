import { Prisma } from '@minishop/db';

/** A review as the resolvers see it. */
export interface ReviewRow {
  id: string;
  userId: string;
  productId: string;
  rating: number;
  title: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns of ReviewRow, for raw statements on `reviews.reviews`. */
export const REVIEW_COLUMNS = Prisma.sql`id, user_id AS "userId", product_id AS "productId", rating, title, body,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export const uuidArray = (ids: string[]) => Prisma.sql`${ids}::uuid[]`;

export interface RatingSummary {
  average: number | null;
  count: number;
}

/** The public rating from the kept-current aggregate; rounded to two decimals. */
export function ratingSummary(aggregate: { reviewCount: number; ratingSum: number } | undefined): RatingSummary {
  if (!aggregate || aggregate.reviewCount === 0) return { average: null, count: 0 };
  return {
    average: Math.round((aggregate.ratingSum / aggregate.reviewCount) * 100) / 100,
    count: aggregate.reviewCount,
  };
}
