import type { PrismaClient } from '@minishop/db';
import { createByIdLoader, createGroupLoader } from '@minishop/runtime';
import type { CategoryCache } from './category-cache';
import { uuidArray, type StockAdjustmentRow } from './rows';

type HistoryLoader = ReturnType<typeof createGroupLoader<StockAdjustmentRow>>;

/**
 * Per-request loaders: N products, categories or stock histories asked for in one request cost
 * one query per kind (and per `first` for histories).
 */
export function createProductLoaders(prisma: PrismaClient, categories: CategoryCache) {
  const histories = new Map<number, HistoryLoader>();
  return {
    product: createByIdLoader((ids) => prisma.product.findMany({ where: { id: { in: ids } } })),
    category: createByIdLoader((ids) => categories.byIds(ids)),
    childCategories: createGroupLoader(
      (parentIds) => prisma.category.findMany({ where: { parentId: { in: parentIds } }, orderBy: { name: 'asc' } }),
      (category) => category.parentId ?? '',
    ),
    /** The newest `first` adjustments of each product. */
    stockHistory(first: number): HistoryLoader {
      let loader = histories.get(first);
      if (!loader) {
        loader = createGroupLoader(
          (productIds) => latestAdjustments(prisma, productIds, first),
          (row) => row.productId,
        );
        histories.set(first, loader);
      }
      return loader;
    },
  };
}

export type ProductLoaders = ReturnType<typeof createProductLoaders>;

function latestAdjustments(prisma: PrismaClient, productIds: string[], first: number) {
  return prisma.$queryRaw<StockAdjustmentRow[]>`
    SELECT id, product_id AS "productId", delta, reason, stock_after AS "stockAfter", actor_id AS "actorId",
           created_at AS "createdAt"
    FROM (
      SELECT a.*, row_number() OVER (PARTITION BY a.product_id ORDER BY a.created_at DESC, a.id DESC) AS position
      FROM products.stock_adjustments a
      WHERE a.product_id = ANY(${uuidArray(productIds)})
    ) numbered
    WHERE position <= ${first}
    ORDER BY product_id, created_at DESC, id DESC`;
}
