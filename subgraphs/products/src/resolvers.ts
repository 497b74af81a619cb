import { ProductStatus } from '@minishop/db';
import {
  checkPageSize,
  DateTimeScalar,
  requireViewer,
  type BaseContext,
  type SubgraphResolvers,
} from '@minishop/runtime';
import type { ProductLoaders } from './loaders';
import type { CategoryRow, ProductRow, StockAdjustmentRow } from './rows';
import type { ProductService } from './service';
import type { StockService } from './stock-service';
import type { CreateProductInput, ProductFilterInput, StockLineInput, UpdateProductInput } from './validation';

export interface ProductsContext extends BaseContext {
  catalog: ProductService;
  stock: StockService;
  loaders: ProductLoaders;
}

export const resolvers: SubgraphResolvers<ProductsContext> = {
  DateTime: DateTimeScalar,
  Query: {
    product: async (_: unknown, args: { id: string }, { loaders }: ProductsContext) => {
      const product = await loaders.product.load(args.id);
      return product?.status === ProductStatus.ACTIVE ? product : null;
    },
    products: (
      _: unknown,
      args: { filter?: ProductFilterInput | null; first: number; after?: string | null },
      { catalog }: ProductsContext,
    ) => catalog.listProducts(args.filter, args.first, args.after),
    categories: (_: unknown, __: unknown, { catalog }: ProductsContext) => catalog.topLevelCategories(),
    lowStockProducts: (_: unknown, args: { threshold: number; first: number }, { stock, viewer }: ProductsContext) =>
      stock.lowStockProducts(viewer, args.threshold, args.first),
  },
  Mutation: {
    createProduct: (_: unknown, args: { input: CreateProductInput }, { catalog, viewer }: ProductsContext) =>
      catalog.createProduct(viewer, args.input),
    updateProduct: (
      _: unknown,
      args: { id: string; input: UpdateProductInput },
      { catalog, viewer }: ProductsContext,
    ) => catalog.updateProduct(viewer, args.id, args.input),
    archiveProduct: (_: unknown, args: { id: string }, { catalog, viewer }: ProductsContext) =>
      catalog.archiveProduct(viewer, args.id),
    adjustStock: (
      _: unknown,
      args: { productId: string; delta: number; reason: string },
      { stock, viewer }: ProductsContext,
    ) => stock.adjustStock(viewer, args.productId, args.delta, args.reason),
    reserveStock: (_: unknown, args: { orderId: string; lines: StockLineInput[] }, context: ProductsContext) => {
      const viewer = requireViewer(context);
      return context.stock.reserveForOrder(args.orderId, args.lines, viewer.userId);
    },
    releaseStock: (_: unknown, args: { orderId: string }, context: ProductsContext) =>
      context.stock.releaseForOrder(args.orderId, requireViewer(context)),
    commitStock: (_: unknown, args: { orderId: string }, { stock, viewer }: ProductsContext) =>
      stock.commitForOrder(args.orderId, viewer),
  },
  Product: {
    // References must resolve archived products too: past orders and carts still point at them.
    __resolveReference: (ref: { id: string }, { loaders }: ProductsContext) => loaders.product.load(ref.id),
    price: (product: ProductRow) => ({ amount: product.priceAmount, currency: product.currency }),
    available: (product: ProductRow) => product.stock - product.reserved,
    inStock: (product: ProductRow) => product.stock - product.reserved > 0,
    category: (product: ProductRow, _: unknown, { loaders }: ProductsContext) =>
      loaders.category.load(product.categoryId),
    stockHistory: (product: ProductRow, args: { first: number }, { loaders, stock, viewer }: ProductsContext) => {
      stock.requireStockAccess(viewer);
      return loaders.stockHistory(checkPageSize(args.first)).load(product.id);
    },
  },
  StockAdjustment: {
    product: (adjustment: StockAdjustmentRow, _: unknown, { loaders }: ProductsContext) =>
      loaders.product.load(adjustment.productId),
    actor: (adjustment: StockAdjustmentRow) => ({ id: adjustment.actorId }),
  },
  Category: {
    __resolveReference: (ref: { id: string }, { loaders }: ProductsContext) => loaders.category.load(ref.id),
    parent: (category: CategoryRow, _: unknown, { loaders }: ProductsContext) =>
      category.parentId ? loaders.category.load(category.parentId) : null,
    children: (category: CategoryRow, _: unknown, { loaders }: ProductsContext) =>
      loaders.childCategories.load(category.id),
  },
};
