import { Prisma, type PrismaClient } from '@minishop/db';
import { isUuid } from '@minishop/runtime';
import { decodeCursor, encodeCursor, type ProductCursor } from './cursor';
import { PRODUCT_COLUMNS, type ProductRow } from './rows';
import type { ProductQuery } from './validation';

export interface ProductEdge {
  cursor: string;
  node: ProductRow;
}

export interface ProductConnection {
  edges: ProductEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

type SortedRow = ProductRow & { sortKey: string };

/**
 * One page of active products matching `query`: by full-text rank (desc) then id when searching,
 * by name then id otherwise. Keyset pagination on that order, so pages never skip or repeat rows
 * while the data stands still. Two statements: the page and the total.
 */
export async function searchProducts(
  prisma: PrismaClient,
  query: ProductQuery,
  first: number,
  after: string | null | undefined,
): Promise<ProductConnection> {
  const order = query.search ? 'rank' : 'name';
  const cursor = after ? decodeCursor(after, order) : undefined;
  // A category id that cannot exist matches nothing (and must not reach a ::uuid cast).
  if (query.categoryId && !isUuid(query.categoryId)) {
    return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
  }
  const where = filterSql(query);
  const [rows, [count]] = await Promise.all([
    query.search ? rankedPage(prisma, query.search, where, first, cursor) : namedPage(prisma, where, first, cursor),
    prisma.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM products.products p WHERE ${where}`,
  ]);
  const edges = rows.slice(0, first).map(({ sortKey, ...node }) => ({
    node,
    cursor: encodeCursor(
      order === 'rank' ? { by: 'rank', rank: sortKey, id: node.id } : { by: 'name', name: sortKey, id: node.id },
    ),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: count?.total ?? 0,
  };
}

function filterSql(query: ProductQuery): Prisma.Sql {
  const conditions = [Prisma.sql`p.status = 'ACTIVE'`];
  if (query.search) conditions.push(Prisma.sql`p.search_vector @@ websearch_to_tsquery('english', ${query.search})`);
  if (query.categoryId) {
    conditions.push(Prisma.sql`p.category_id IN (
      WITH RECURSIVE subtree(id) AS (
        SELECT id FROM products.categories WHERE id = ${query.categoryId}::uuid
        UNION
        SELECT c.id FROM products.categories c JOIN subtree s ON c.parent_id = s.id
      )
      SELECT id FROM subtree)`);
  }
  if (query.priceMin !== undefined) conditions.push(Prisma.sql`p.price_amount >= ${query.priceMin}`);
  if (query.priceMax !== undefined) conditions.push(Prisma.sql`p.price_amount <= ${query.priceMax}`);
  if (query.inStock !== undefined) {
    conditions.push(query.inStock ? Prisma.sql`p.stock - p.reserved > 0` : Prisma.sql`p.stock - p.reserved <= 0`);
  }
  return Prisma.join(conditions, ' AND ');
}

function namedPage(prisma: PrismaClient, where: Prisma.Sql, first: number, cursor?: ProductCursor) {
  const after =
    cursor?.by === 'name' ? Prisma.sql`AND (p.name, p.id) > (${cursor.name}, ${cursor.id}::uuid)` : Prisma.empty;
  return prisma.$queryRaw<SortedRow[]>`
    SELECT ${PRODUCT_COLUMNS}, p.name AS "sortKey"
    FROM products.products p
    WHERE ${where} ${after}
    ORDER BY p.name, p.id
    LIMIT ${first + 1}`;
}

function rankedPage(prisma: PrismaClient, search: string, where: Prisma.Sql, first: number, cursor?: ProductCursor) {
  // The rank travels as text and is cast back to `real`, so the comparison is exact.
  const after =
    cursor?.by === 'rank'
      ? Prisma.sql`AND (r.rank < ${cursor.rank}::real OR (r.rank = ${cursor.rank}::real AND p.id > ${cursor.id}::uuid))`
      : Prisma.empty;
  return prisma.$queryRaw<SortedRow[]>`
    SELECT ${PRODUCT_COLUMNS}, r.rank::text AS "sortKey"
    FROM products.products p
    CROSS JOIN LATERAL (SELECT ts_rank(p.search_vector, websearch_to_tsquery('english', ${search})) AS rank) r
    WHERE ${where} ${after}
    ORDER BY r.rank DESC, p.id
    LIMIT ${first + 1}`;
}
