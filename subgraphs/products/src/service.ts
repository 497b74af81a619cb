import { Prisma, ProductStatus, type PrismaClient } from '@minishop/db';
import { badUserInput, checkPageSize, conflict, isUuid, notFound, requireScopes, type Viewer } from '@minishop/runtime';
import { productNotFound } from './errors';
import { searchProducts, type ProductConnection } from './product-search';
import type { CategoryRow, ProductRow } from './rows';
import {
  createProductData,
  productQueryFrom,
  updateProductData,
  type CreateProductInput,
  type ProductFilterInput,
  type UpdateProductInput,
} from './validation';

export const CATALOG_WRITE = 'catalog:write';

type Tx = Prisma.TransactionClient;

/** Catalog reads and the admin's catalog writes (Postgres schema `products`). */
export class ProductService {
  constructor(private readonly prisma: PrismaClient) {}

  /** A page of active products; see searchProducts for the order. `first` must be 1..100. */
  async listProducts(
    filter: ProductFilterInput | null | undefined,
    first: number,
    after?: string | null,
  ): Promise<ProductConnection> {
    return searchProducts(this.prisma, productQueryFrom(filter), checkPageSize(first), after);
  }

  topLevelCategories(): Promise<CategoryRow[]> {
    return this.prisma.category.findMany({ where: { parentId: null }, orderBy: { name: 'asc' } });
  }

  /**
   * Creates an active product (catalog:write). A positive initial stock is recorded as the first
   * stock adjustment, in the same transaction. Duplicate SKU → CONFLICT.
   */
  async createProduct(viewer: Viewer | null, input: CreateProductInput): Promise<ProductRow> {
    const actor = requireScopes({ viewer }, CATALOG_WRITE);
    const { initialStock, ...data } = createProductData(input);
    return this.write(async (tx) => {
      await requireCategory(tx, data.categoryId);
      const product = await tx.product.create({ data: { ...data, stock: initialStock } });
      if (initialStock > 0) {
        await tx.stockAdjustment.create({
          data: {
            productId: product.id,
            delta: initialStock,
            reason: 'Initial stock',
            stockAfter: initialStock,
            actorId: actor.userId,
          },
        });
      }
      return product;
    });
  }

  /** Changes catalog fields (catalog:write). Unknown product → NOT_FOUND; duplicate SKU → CONFLICT. */
  async updateProduct(viewer: Viewer | null, id: string, input: UpdateProductInput): Promise<ProductRow> {
    requireScopes({ viewer }, CATALOG_WRITE);
    const data = updateProductData(input);
    if (!isUuid(id)) throw productNotFound(id);
    return this.write(async (tx) => {
      if (data.categoryId) await requireCategory(tx, data.categoryId);
      return tx.product.update({ where: { id }, data });
    });
  }

  /** Withdraws a product from sale (catalog:write); archiving an archived product changes nothing. */
  async archiveProduct(viewer: Viewer | null, id: string): Promise<ProductRow> {
    requireScopes({ viewer }, CATALOG_WRITE);
    if (!isUuid(id)) throw productNotFound(id);
    return this.write((tx) => tx.product.update({ where: { id }, data: { status: ProductStatus.ARCHIVED } }));
  }

  /** Runs a catalog write in a transaction, turning Prisma's known failures into client errors. */
  private async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.prisma.$transaction(work);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError) {
        if (error.code === 'P2002') throw conflict('A product with this SKU already exists');
        if (error.code === 'P2025') throw notFound('Product not found');
      }
      throw error;
    }
  }
}

async function requireCategory(tx: Tx, categoryId: string): Promise<void> {
  const exists = isUuid(categoryId) && (await tx.category.count({ where: { id: categoryId } })) > 0;
  if (!exists) throw badUserInput(`Category ${categoryId} does not exist`, { field: 'categoryId' });
}
