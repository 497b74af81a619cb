import { Prisma, type PrismaClient } from '@minishop/db';
import {
  checkPageSize,
  createByIdLoader,
  createGroupLoader,
  decodeTimeCursor,
  encodeTimeCursor,
  isUuid,
  type TimeCursor,
} from '@minishop/runtime';
import DataLoader from 'dataloader';
import { REVIEW_COLUMNS, ratingSummary, uuidArray, type RatingSummary, type ReviewRow } from './rows';

/** One product's page request; products asking for the same page shape share one statement. */
interface PageKey {
  productId: string;
  first: number;
  after: TimeCursor | null;
}

/** Per-request loaders, so N products or references in one request cost one query per kind. */
export function createReviewLoaders(prisma: PrismaClient) {
  return {
    review: createByIdLoader<ReviewRow>((ids) => prisma.review.findMany({ where: { id: { in: ids } } })),
    byAuthor: createGroupLoader<ReviewRow>(
      (ids) =>
        prisma.review.findMany({ where: { userId: { in: ids } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
      (row) => row.userId,
    ),
    rating: new DataLoader<string, RatingSummary>(async (productIds) => {
      const valid = productIds.filter(isUuid);
      const rows = valid.length > 0 ? await prisma.productRating.findMany({ where: { productId: { in: valid } } }) : [];
      const byProduct = new Map(rows.map((row) => [row.productId, row]));
      return productIds.map((id) => ratingSummary(byProduct.get(id)));
    }),
    /** Up to `first + 1` reviews per product after the cursor (the extra one tells whether more follow). */
    page: new DataLoader<PageKey, ReviewRow[], string>(
      async (keys) => {
        const shapes = new Map<string, { first: number; after: TimeCursor | null; ids: Set<string> }>();
        for (const key of keys.filter((candidate) => isUuid(candidate.productId))) {
          let shape = shapes.get(shapeOf(key));
          if (!shape) shapes.set(shapeOf(key), (shape = { first: key.first, after: key.after, ids: new Set() }));
          shape.ids.add(key.productId);
        }
        const pages = new Map<string, ReviewRow[]>();
        for (const { first, after, ids } of shapes.values()) {
          for (const row of await latestReviews(prisma, [...ids], first + 1, after)) {
            const key = pageKeyOf({ productId: row.productId, first, after });
            pages.set(key, [...(pages.get(key) ?? []), row]);
          }
        }
        return keys.map((key) => pages.get(pageKeyOf(key)) ?? []);
      },
      { cacheKeyFn: pageKeyOf },
    ),
  };
}

export type ReviewLoaders = ReturnType<typeof createReviewLoaders>;

const shapeOf = (key: Pick<PageKey, 'first' | 'after'>) =>
  `${key.first}|${key.after ? encodeTimeCursor(key.after) : ''}`;
const pageKeyOf = (key: PageKey) => `${key.productId}|${shapeOf(key)}`;

function latestReviews(prisma: PrismaClient, productIds: string[], limit: number, after: TimeCursor | null) {
  const afterCursor = after
    ? Prisma.sql`AND (r.created_at, r.id) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
    : Prisma.empty;
  return prisma.$queryRaw<ReviewRow[]>`
    SELECT ${REVIEW_COLUMNS}
    FROM (
      SELECT r.*, row_number() OVER (PARTITION BY r.product_id ORDER BY r.created_at DESC, r.id DESC) AS position
      FROM reviews.reviews r
      WHERE r.product_id = ANY(${uuidArray(productIds)}) ${afterCursor}
    ) numbered
    WHERE position <= ${limit}
    ORDER BY product_id, created_at DESC, id DESC`;
}

/**
 * `Product.reviews(first, after)`: a page newest first. `totalCount` is the product's review count
 * from the rating aggregate (kept in step with every review write), so it costs no extra query.
 */
export async function productReviews(loaders: ReviewLoaders, productId: string, first: number, after?: string | null) {
  const pageSize = checkPageSize(first);
  const cursor = after ? decodeTimeCursor(after) : null;
  const rows = await loaders.page.load({ productId, first: pageSize, after: cursor });
  const edges = rows
    .slice(0, pageSize)
    .map((node) => ({ cursor: encodeTimeCursor({ at: node.createdAt, id: node.id }), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > pageSize, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: async () => (await loaders.rating.load(productId)).count,
  };
}
