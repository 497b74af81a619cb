import { badUserInput, createKeyLoader, forbidden, isUuid, requireViewer, type Viewer } from '@minishop/runtime';
import type DataLoader from 'dataloader';
import {
  assertQuantityArgument,
  CART_CURRENCY,
  lineQuantityLimit,
  lineQuantityProblem,
  lineTotal,
  subtotal,
  type Money,
} from './cart-rules';
import type { CartStore, CartView, LineWriteOutcome } from './cart-store';
import type { CatalogRequest, ProductCatalog, ProductFacts } from './product-catalog';

export type { CartView } from './cart-store';

/** A cart line joined with its product's current price. */
export interface CartItemView {
  productId: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

/** Per-request loaders: all carts of a request cost one Redis round trip, all their products one products call. */
export interface CartLoaders {
  cart: DataLoader<string, CartView | null>;
  product: DataLoader<string, ProductFacts | null>;
}

/** Cart rules: who may see which cart, what may be added, and cart totals at current prices. */
export class CartService {
  constructor(
    private readonly store: CartStore,
    private readonly catalog: ProductCatalog,
  ) {}

  createLoaders(request: CatalogRequest): CartLoaders {
    return {
      cart: createKeyLoader(
        (userIds) => this.store.findCarts(userIds),
        (cart) => cart.userId,
      ),
      product: createKeyLoader(
        (ids) => this.catalog.findProducts(ids, request),
        (product) => product.id,
      ),
    };
  }

  /** `userId`'s cart, for that user only: UNAUTHENTICATED when anonymous, FORBIDDEN for anyone else. */
  async cartOf(viewer: Viewer | null, userId: string, loaders: CartLoaders): Promise<CartView> {
    if (requireViewer({ viewer }).userId !== userId) throw forbidden('You can only access your own cart');
    return (await loaders.cart.load(userId)) ?? { userId, items: [] };
  }

  /** Adds `quantity` units to the viewer's line for the product (creating it); the line must stay within 1..99 and stock. */
  async addItem(viewer: Viewer, productId: string, quantity: number, loaders: CartLoaders): Promise<CartView> {
    assertQuantityArgument(quantity);
    const product = await this.purchasableProduct(productId, loaders);
    const limit = lineQuantityLimit(product.available);
    assertWritten(await this.store.writeLine(viewer.userId, product.id, 'add', quantity, limit), product);
    return this.store.findCart(viewer.userId);
  }

  /** Sets the quantity of a line already in the viewer's cart (1..99 and within stock). */
  async updateItem(viewer: Viewer, productId: string, quantity: number, loaders: CartLoaders): Promise<CartView> {
    assertQuantityArgument(quantity, '; use removeFromCart to remove a line');
    const product = await this.purchasableProduct(productId, loaders);
    const limit = lineQuantityLimit(product.available);
    assertWritten(await this.store.writeLine(viewer.userId, product.id, 'set', quantity, limit), product);
    return this.store.findCart(viewer.userId);
  }

  /** Removes the product's line; removing a product that is not in the cart changes nothing. */
  async removeItem(viewer: Viewer, productId: string): Promise<CartView> {
    if (isUuid(productId)) await this.store.removeLine(viewer.userId, productId);
    return this.store.findCart(viewer.userId);
  }

  async clear(viewer: Viewer): Promise<CartView> {
    await this.store.clear(viewer.userId);
    return { userId: viewer.userId, items: [] };
  }

  /**
   * For the orders subgraph, after an order commits: subtracts the ordered quantities from the
   * viewer's cart once per order id (a retry changes nothing); units added meanwhile stay.
   */
  async removeOrderedItems(
    viewer: Viewer,
    orderId: string,
    items: readonly { productId: string; quantity: number }[],
  ): Promise<CartView> {
    if (!isUuid(orderId)) throw badUserInput('orderId must be a UUID', { field: 'orderId' });
    for (const item of items) assertQuantityArgument(item.quantity);
    await this.store.removeOrdered(viewer.userId, orderId, items);
    return this.store.findCart(viewer.userId);
  }

  /**
   * The cart's lines with current prices. Lines whose product no longer resolves are left out
   * (products are archived, never deleted, so this only hides ids the API could never have added).
   */
  async items(cart: CartView, loaders: CartLoaders): Promise<CartItemView[]> {
    const products = await Promise.all(cart.items.map((line) => loaders.product.load(line.productId)));
    return cart.items.flatMap((line, index) => {
      const product = products[index];
      if (!product) return [];
      return [
        {
          productId: line.productId,
          quantity: line.quantity,
          unitPrice: product.price,
          lineTotal: lineTotal(product.price, line.quantity),
        },
      ];
    });
  }

  async subtotal(cart: CartView, loaders: CartLoaders): Promise<Money> {
    return subtotal(await this.items(cart, loaders));
  }

  /** The product if it exists, is ACTIVE and is priced in the cart's currency; BAD_USER_INPUT (productId) otherwise. */
  private async purchasableProduct(productId: string, loaders: CartLoaders): Promise<ProductFacts> {
    const product = await loaders.product.load(productId);
    if (!product) throw badUserInput(`No product with id ${productId}`, { field: 'productId' });
    if (product.status !== 'ACTIVE') throw badUserInput('The product is no longer sold', { field: 'productId' });
    if (product.price.currency !== CART_CURRENCY) {
      throw badUserInput(`The product is priced in ${product.price.currency}; carts hold ${CART_CURRENCY} only`, {
        field: 'productId',
      });
    }
    return product;
  }
}

function assertWritten(outcome: LineWriteOutcome, product: ProductFacts): void {
  if (outcome.kind === 'noSuchLine') {
    throw badUserInput('The product is not in the cart; use addToCart', { field: 'productId' });
  }
  if (outcome.kind === 'outOfBounds') {
    const problem = lineQuantityProblem(outcome.quantity, product.available) ?? 'Quantity is out of bounds';
    throw badUserInput(problem, { field: 'quantity' });
  }
}
