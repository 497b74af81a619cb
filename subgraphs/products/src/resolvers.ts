import { ProductStatus } from '@minishop/db';
import { type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import { encodeCursor, type CategoryRow, type ProductLoaders, type ProductRow, type ProductService } from './service';

export interface ProductsContext extends BaseContext {
  service: ProductService;
  loaders: ProductLoaders;
}

export const resolvers: SubgraphResolvers<ProductsContext> = {
  Query: {
    product: async (_: unknown, args: { id: string }, { loaders }: ProductsContext) => {
      const product = await loaders.product.load(args.id);
      return product?.status === ProductStatus.ACTIVE ? product : null;
    },
    products: async (_: unknown, args: { first: number; after?: string | null }, { service }: ProductsContext) => {
      const page = await service.listActive(args.first, args.after);
      const edges = page.rows.map((node) => ({ cursor: encodeCursor(node), node }));
      return {
        edges,
        totalCount: page.totalCount,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
    categories: (_: unknown, __: unknown, { service }: ProductsContext) => service.topLevelCategories(),
  },
  Product: {
    // References must resolve archived products too: past orders still point at them.
    __resolveReference: (ref: { id: string }, { loaders }: ProductsContext) => loaders.product.load(ref.id),
    price: (product: ProductRow) => ({ amount: product.priceAmount, currency: product.currency }),
    available: (product: ProductRow) => product.stock - product.reserved,
    inStock: (product: ProductRow) => product.stock - product.reserved > 0,
    category: (product: ProductRow, _: unknown, { loaders }: ProductsContext) =>
      loaders.category.load(product.categoryId),
  },
  Category: {
    __resolveReference: (ref: { id: string }, { loaders }: ProductsContext) => loaders.category.load(ref.id),
    parent: (category: CategoryRow, _: unknown, { loaders }: ProductsContext) =>
      category.parentId ? loaders.category.load(category.parentId) : null,
    children: (category: CategoryRow, _: unknown, { loaders }: ProductsContext) =>
      loaders.childCategories.load(category.id),
  },
};
