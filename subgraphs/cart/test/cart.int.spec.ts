// The cart as clients see it: through the router, with every subgraph running and real logins.
import { ProductStatus } from '@minishop/db';
import { graphql, registerCustomer, startStack } from '../../../router/test/harness';
import { cartKey } from '../src/cart-store';

type Stack = Awaited<ReturnType<typeof startStack>>;

const ME_CART = `{ me { cart {
  items { quantity product { name price { amount currency } rating { average } } }
  subtotal { amount currency }
} } }`;
const ADD = 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }';

describe('cart through the router', () => {
  let stack: Stack;
  const userIds: string[] = [];

  const shopper = async () => {
    const customer = await registerCustomer(stack.router);
    userIds.push(customer.userId);
    return customer;
  };

  /** Two seeded products with plenty of stock. */
  const seededProducts = () =>
    stack.prisma.product.findMany({
      where: { status: ProductStatus.ACTIVE, currency: 'EUR', stock: { gte: 50 } },
      orderBy: { sku: 'asc' },
      take: 2,
    });

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    if (stack) {
      if (userIds.length > 0) {
        await stack.redis.del(...userIds.map(cartKey));
        await stack.prisma.user.deleteMany({ where: { id: { in: userIds } } });
      }
      await stack.stop();
    }
  });

  it('answers me { cart } with products, prices and ratings from their own subgraphs', async () => {
    const { token } = await shopper();
    const [first, second] = await seededProducts();
    if (!first || !second) throw new Error('the seed has no products with stock');
    for (const [product, quantity] of [
      [first, 2],
      [second, 1],
    ] as const) {
      const { body } = await graphql(stack.router, ADD, { p: product.id, q: quantity }, token);
      expect(body.errors).toBeUndefined();
    }

    // Ratings come from the reviews subgraph: the cart path must resolve them as the product path does.
    const ratingOf = async (id: string) => {
      const { body } = await graphql(stack.router, 'query($id: ID!) { product(id: $id) { rating { average } } }', {
        id,
      });
      return (body.data?.product as { rating: unknown }).rating;
    };

    const { body } = await graphql(stack.router, ME_CART, {}, token);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      me: {
        cart: {
          items: [
            {
              quantity: 2,
              product: {
                name: first.name,
                price: { amount: first.priceAmount, currency: 'EUR' },
                rating: await ratingOf(first.id),
              },
            },
            {
              quantity: 1,
              product: {
                name: second.name,
                price: { amount: second.priceAmount, currency: 'EUR' },
                rating: await ratingOf(second.id),
              },
            },
          ],
          subtotal: { amount: first.priceAmount * 2 + second.priceAmount, currency: 'EUR' },
        },
      },
    });
  });

  it("refuses another user's cart at its path and anonymous changes", async () => {
    const owner = await shopper();
    const other = await shopper();
    const { body } = await graphql(
      stack.router,
      'query($id: ID!) { user(id: $id) { name cart { itemCount } } }',
      { id: owner.userId },
      other.token,
    );
    expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['user', 'cart'], 'FORBIDDEN'],
    ]);

    const [product] = await seededProducts();
    const anonymous = await graphql(stack.router, ADD, { p: product?.id, q: 1 });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('passes input errors through with the offending field', async () => {
    const { token } = await shopper();
    const [product] = await seededProducts();
    const { body } = await graphql(stack.router, ADD, { p: product?.id, q: 100 }, token);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      message: 'A cart line holds at most 99 units; this would make 100',
      extensions: { code: 'BAD_USER_INPUT', field: 'quantity' },
    });
  });
});
