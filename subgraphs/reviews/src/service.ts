import type { PrismaClient } from '@minishop/db';
import { createByIdLoader, createGroupLoader, isUuid } from '@minishop/runtime';
import DataLoader from 'dataloader';

export interface ReviewRow {
  id: string;
  userId: string;
  productId: string;
  rating: number;
  body: string;
  createdAt: Date;
}

export interface RatingSummary {
  average: number | null;
  count: number;
}

/** Reviews rules and data access (Postgres schema `reviews`). */
export class ReviewService {
  constructor(private readonly prisma: PrismaClient) {}

  private newestFirst(where: { userId: { in: string[] } } | { productId: { in: string[] } }): Promise<ReviewRow[]> {
    return this.prisma.review.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
  }

  /** Average and count per product, in one grouped query. */
  async ratings(productIds: string[]): Promise<Map<string, RatingSummary>> {
    const groups = await this.prisma.review.groupBy({
      by: ['productId'],
      where: { productId: { in: productIds } },
      _avg: { rating: true },
      _count: { _all: true },
    });
    return new Map(
      groups.map((group) => [
        group.productId,
        {
          average: group._avg.rating === null ? null : Math.round(group._avg.rating * 100) / 100,
          count: group._count._all,
        },
      ]),
    );
  }

  /** Per-request loaders, so N references in one request cost one query. */
  createLoaders() {
    return {
      review: createByIdLoader((ids) => this.prisma.review.findMany({ where: { id: { in: ids } } })),
      byProduct: createGroupLoader(
        (ids) => this.newestFirst({ productId: { in: ids } }),
        (row) => row.productId,
      ),
      byAuthor: createGroupLoader(
        (ids) => this.newestFirst({ userId: { in: ids } }),
        (row) => row.userId,
      ),
      rating: new DataLoader<string, RatingSummary>(async (productIds) => {
        const summaries = await this.ratings(productIds.filter(isUuid));
        return productIds.map((id) => summaries.get(id) ?? { average: null, count: 0 });
      }),
    };
  }
}

export type ReviewLoaders = ReturnType<ReviewService['createLoaders']>;
