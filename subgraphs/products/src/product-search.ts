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

type PageRow = ProductRow & { sortKey: string; totalCount: number };

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
  const rows = await pageWithTotal(prisma, query, filterSql(query), first, cursor);
  // An empty page (a cursor past the end) carries no total: count separately then.
  const totalCount =
    rows[0]?.totalCount ??
    (
      await prisma.$queryRaw<
        { total: number }[]
      >`SELECT count(*)::int AS total FROM products.products p WHERE ${filterSql(query)}`
    )[0]?.total ??
    0;
  const edges = rows.slice(0, first).map(({ sortKey, totalCount: _total, ...node }) => ({
    node,
    cursor: encodeCursor(
      order === 'rank' ? { by: 'rank', rank: sortKey, id: node.id } : { by: 'name', name: sortKey, id: node.id },
    ),
  }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
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

/**
 * The page and the number of all matches in one round trip: the matches are a CTE that the page
 * reads after the cursor and the total counts. Ranked by relevance when searching, else by name.
 */
function pageWithTotal(
  prisma: PrismaClient,
  query: ProductQuery,
  where: Prisma.Sql,
  first: number,
  cursor?: ProductCursor,
): Promise<PageRow[]> {
  if (query.search) {
    // The rank travels as text and is cast back to `real`, so the comparison is exact.
    const after =
      cursor?.by === 'rank'
        ? Prisma.sql`WHERE m.rank < ${cursor.rank}::real OR (m.rank = ${cursor.rank}::real AND m.id > ${cursor.id}::uuid)`
        : Prisma.empty;
    return prisma.$queryRaw<PageRow[]>`
      WITH matches AS (
        SELECT ${PRODUCT_COLUMNS}, ts_rank(p.search_vector, websearch_to_tsquery('english', ${query.search})) AS rank
        FROM products.products p WHERE ${where}
      )
      SELECT m.*, m.rank::text AS "sortKey", (SELECT count(*)::int FROM matches) AS "totalCount"
      FROM matches m ${after}
      ORDER BY m.rank DESC, m.id
      LIMIT ${first + 1}`.then(withoutRank);
  }
  const after =
    cursor?.by === 'name' ? Prisma.sql`WHERE (m.name, m.id) > (${cursor.name}, ${cursor.id}::uuid)` : Prisma.empty;
  return prisma.$queryRaw<PageRow[]>`
    WITH matches AS (SELECT ${PRODUCT_COLUMNS} FROM products.products p WHERE ${where})
    SELECT m.*, m.name AS "sortKey", (SELECT count(*)::int FROM matches) AS "totalCount"
    FROM matches m ${after}
    ORDER BY m.name, m.id
    LIMIT ${first + 1}`;
}

function withoutRank(rows: (PageRow & { rank?: number })[]): PageRow[] {
  return rows.map(({ rank: _rank, ...row }) => row);
}
