import { ProductStatus, type PrismaClient } from '@minishop/db';
import { badUserInput, createByIdLoader, createGroupLoader } from '@minishop/runtime';

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceAmount: number;
  currency: string;
  status: ProductStatus;
  stock: number;
  reserved: number;
  categoryId: string;
}

export interface CategoryRow {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
}

export interface ProductPage {
  rows: ProductRow[];
  hasNextPage: boolean;
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

/** Products are paged by (name, id); the cursor carries both, opaque to clients. */
export function encodeCursor(row: Pick<ProductRow, 'name' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.name, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { name: value[0], id: value[1] };
    }
  } catch {
    // fall through to the input error below
  }
  throw badUserInput('`after` is not a cursor returned by this API', { argumentName: 'after' });
}

/** Catalog rules and data access (Postgres schema `products`). */
export class ProductService {
  constructor(private readonly prisma: PrismaClient) {}

  /** A page of active products ordered by name; `first` must be 1..100. */
  async listActive(first: number, after?: string | null): Promise<ProductPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}`, { argumentName: 'first' });
    }
    const where = { status: ProductStatus.ACTIVE };
    const cursor = after ? decodeCursor(after) : undefined;
    const [rows, totalCount] = await Promise.all([
      this.prisma.product.findMany({
        where: cursor
          ? { ...where, OR: [{ name: { gt: cursor.name } }, { name: cursor.name, id: { gt: cursor.id } }] }
          : where,
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: first + 1,
      }),
      this.prisma.product.count({ where }),
    ]);
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  topLevelCategories(): Promise<CategoryRow[]> {
    return this.prisma.category.findMany({ where: { parentId: null }, orderBy: { name: 'asc' } });
  }

  /** Per-request loaders, so N references in one request cost one query. */
  createLoaders() {
    return {
      product: createByIdLoader((ids) => this.prisma.product.findMany({ where: { id: { in: ids } } })),
      category: createByIdLoader((ids) => this.prisma.category.findMany({ where: { id: { in: ids } } })),
      childCategories: createGroupLoader(
        (parentIds) =>
          this.prisma.category.findMany({ where: { parentId: { in: parentIds } }, orderBy: { name: 'asc' } }),
        (category) => category.parentId ?? '',
      ),
    };
  }
}

export type ProductLoaders = ReturnType<ProductService['createLoaders']>;
