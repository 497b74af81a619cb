// The cart subgraph on its own (no router) against the test Redis and a real products subgraph,
// both verifying tokens of a users TokenIssuer whose key lives in a scratch folder.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createPrismaClient, ProductStatus, type PrismaClient } from '@minishop/db';
import { createProductsSubgraph } from '@minishop/products';
import { serveSubgraph, type RunningSubgraph } from '@minishop/runtime';
import { TokenIssuer } from '@minishop/users';
import { Redis } from 'ioredis';
import { graphql, JWT, logger, scratchDir, userTokenIdentity, type GraphQLBody } from '../../../router/test/harness';
import { createCartSubgraph } from '../src';
import { cartKey } from '../src/cart-store';

const TTL_SECONDS = 3600;
const TTL_MS = TTL_SECONDS * 1000;

const CART_FIELDS = `userId itemCount
  items { product { id } quantity unitPrice { amount currency } lineTotal { amount currency } }
  subtotal { amount currency }`;
const VIEWER_CART = `{ viewerCart { ${CART_FIELDS} } }`;
const ADD = `mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { ${CART_FIELDS} } }`;
const UPDATE = `mutation($p: ID!, $q: Int!) { updateCartItem(productId: $p, quantity: $q) { ${CART_FIELDS} } }`;
const REMOVE = `mutation($p: ID!) { removeFromCart(productId: $p) { ${CART_FIELDS} } }`;
const CLEAR = `mutation { clearCart { ${CART_FIELDS} } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on User { cart { userId itemCount } }
  ... on Cart { userId itemCount }
} }`;

interface CartResult {
  userId: string;
  itemCount: number;
  items: {
    product: { id: string };
    quantity: number;
    unitPrice: { amount: number; currency: string };
    lineTotal: { amount: number; currency: string };
  }[];
  subtotal: { amount: number; currency: string };
}

interface TestProduct {
  id: string;
  priceAmount: number;
}

const tag = randomUUID().slice(0, 8).toUpperCase();
const scratch = scratchDir();
let prisma: PrismaClient;
let redis: Redis;
let tokens: TokenIssuer;
let products: RunningSubgraph;
let cart: RunningSubgraph;
let categoryId: string;
const userIds: string[] = [];
/** Every request the products subgraph served, with the user id it verified from the forwarded token. */
const productsRequests: (string | null)[] = [];

type ProductFields = { stock?: number; priceAmount?: number; currency?: string; status?: ProductStatus };

let skuCounter = 0;
/** Test products (in one insert), SKUs tagged for this run and deleted afterwards. */
async function createProducts(count: number, fields: ProductFields = {}): Promise<TestProduct[]> {
  const data = Array.from({ length: count }, () => {
    skuCounter += 1;
    return {
      sku: `CART-${tag}-${skuCounter}`,
      name: `Cart test product ${skuCounter}`,
      priceAmount: fields.priceAmount ?? 1000 + skuCounter,
      currency: fields.currency ?? 'EUR',
      status: fields.status ?? ProductStatus.ACTIVE,
      stock: fields.stock ?? 500,
      categoryId,
    };
  });
  return prisma.product.createManyAndReturn({ data, select: { id: true, priceAmount: true } });
}

async function createProduct(fields: ProductFields = {}): Promise<TestProduct> {
  const [product] = await createProducts(1, fields);
  if (!product) throw new Error('no product created');
  return product;
}

/** A fresh customer: their token and id. */
async function newCustomer() {
  const id = randomUUID();
  userIds.push(id);
  const { token } = await tokens.issue({ id, roles: ['customer'] });
  return { id, token };
}

async function call(token: string | undefined, query: string, variables?: Record<string, unknown>, url = cart.url) {
  const { status, body } = await graphql(url, query, variables, token);
  expect(status).toBe(200);
  return body;
}

function dataOf<T>(body: GraphQLBody, field: string): T {
  expect(body.errors).toBeUndefined();
  return body.data?.[field] as T;
}

function errorOf(body: GraphQLBody) {
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors ?? [];
  return { message: error?.message, ...error?.extensions };
}

beforeAll(async () => {
  prisma = createPrismaClient(String(process.env.DATABASE_URL));
  redis = new Redis(String(process.env.REDIS_URL));
  tokens = await TokenIssuer.fromKeyFile(path.join(scratch.dir, 'key.json'), { ...JWT, ttlSeconds: 600 });
  const identity = userTokenIdentity(tokens);
  const productsDefinition = createProductsSubgraph({ prisma });
  products = await serveSubgraph(
    {
      ...productsDefinition,
      createContext: (base) => {
        productsRequests.push(base.viewer?.userId ?? null);
        return productsDefinition.createContext(base);
      },
    },
    { port: 0, logger, identity },
  );
  cart = await serveSubgraph(createCartSubgraph({ redis, productsUrl: products.url, ttlSeconds: TTL_SECONDS }), {
    port: 0,
    logger,
    identity,
  });
  categoryId = (await prisma.category.create({ data: { slug: `cart-test-${tag.toLowerCase()}`, name: 'Cart tests' } }))
    .id;
});

afterAll(async () => {
  await cart?.stop();
  await products?.stop();
  // Carts and the order markers beside them (`cart:{<userId>}:order:<orderId>`).
  const keys = (await Promise.all(userIds.map((id) => redis.keys(`${cartKey(id)}*`)))).flat();
  if (keys.length > 0) await redis.del(...keys);
  await prisma.product.deleteMany({ where: { sku: { startsWith: `CART-${tag}-` } } });
  await prisma.category.deleteMany({ where: { slug: `cart-test-${tag.toLowerCase()}` } });
  await prisma.$disconnect();
  redis.disconnect();
  scratch.dispose();
});

describe('who may use a cart', () => {
  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    const product = await createProduct();
    expect(errorOf(await call(undefined, ADD, { p: product.id, q: 1 }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(errorOf(await call(undefined, VIEWER_CART))).toMatchObject({ code: 'UNAUTHENTICATED' });
    const userId = randomUUID();
    const body = await call(undefined, ENTITIES, { r: [{ __typename: 'User', id: userId }] });
    expect(errorOf(body)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it("shows User.cart and the Cart entity to their owner only: another user's is FORBIDDEN", async () => {
    const owner = await newCustomer();
    const other = await newCustomer();
    const product = await createProduct();
    await call(owner.token, ADD, { p: product.id, q: 2 });

    const own = await call(owner.token, ENTITIES, {
      r: [
        { __typename: 'User', id: owner.id },
        { __typename: 'Cart', userId: owner.id },
      ],
    });
    expect(dataOf(own, '_entities')).toEqual([
      { cart: { userId: owner.id, itemCount: 2 } },
      { userId: owner.id, itemCount: 2 },
    ]);

    for (const representation of [
      { __typename: 'User', id: owner.id },
      { __typename: 'Cart', userId: owner.id },
    ]) {
      const body = await call(other.token, ENTITIES, { r: [representation] });
      expect(errorOf(body)).toMatchObject({ code: 'FORBIDDEN', message: 'You can only access your own cart' });
    }
  });
});

describe('changing the cart', () => {
  it('adds to an existing line, lists lines in the order first added, prices them now', async () => {
    const user = await newCustomer();
    const first = await createProduct({ priceAmount: 1999 });
    const second = await createProduct({ priceAmount: 250 });
    await call(user.token, ADD, { p: first.id, q: 2 });
    await call(user.token, ADD, { p: second.id, q: 1 });
    const result = dataOf<CartResult>(await call(user.token, ADD, { p: first.id, q: 3 }), 'addToCart');
    expect(result).toEqual({
      userId: user.id,
      itemCount: 6,
      items: [
        {
          product: { id: first.id },
          quantity: 5,
          unitPrice: { amount: 1999, currency: 'EUR' },
          lineTotal: { amount: 9995, currency: 'EUR' },
        },
        {
          product: { id: second.id },
          quantity: 1,
          unitPrice: { amount: 250, currency: 'EUR' },
          lineTotal: { amount: 250, currency: 'EUR' },
        },
      ],
      subtotal: { amount: 10245, currency: 'EUR' },
    });

    // A price change shows on the next read: prices are never stored in the cart.
    await prisma.product.update({ where: { id: second.id }, data: { priceAmount: 300 } });
    const reread = dataOf<CartResult>(await call(user.token, VIEWER_CART), 'viewerCart');
    expect(reread.subtotal).toEqual({ amount: 9995 + 300, currency: 'EUR' });
  });

  it('defaults addToCart to one unit', async () => {
    const user = await newCustomer();
    const product = await createProduct();
    const body = await call(user.token, 'mutation($p: ID!) { addToCart(productId: $p) { itemCount } }', {
      p: product.id,
    });
    expect(dataOf(body, 'addToCart')).toEqual({ itemCount: 1 });
  });

  it('sets a line with updateCartItem, removes it with removeFromCart, empties with clearCart', async () => {
    const user = await newCustomer();
    const kept = await createProduct({ priceAmount: 100 });
    const removed = await createProduct({ priceAmount: 700 });
    await call(user.token, ADD, { p: kept.id, q: 4 });
    await call(user.token, ADD, { p: removed.id, q: 1 });

    const updated = dataOf<CartResult>(await call(user.token, UPDATE, { p: kept.id, q: 9 }), 'updateCartItem');
    expect(updated.items.map((item) => [item.product.id, item.quantity])).toEqual([
      [kept.id, 9],
      [removed.id, 1],
    ]);

    const afterRemove = dataOf<CartResult>(await call(user.token, REMOVE, { p: removed.id }), 'removeFromCart');
    expect(afterRemove.items.map((item) => [item.product.id, item.quantity])).toEqual([[kept.id, 9]]);
    expect(afterRemove.subtotal).toEqual({ amount: 900, currency: 'EUR' });

    // Removing what is not there (or not an id at all) changes nothing and is not an error.
    const again = dataOf<CartResult>(await call(user.token, REMOVE, { p: removed.id }), 'removeFromCart');
    expect(again.itemCount).toBe(9);
    expect(dataOf<CartResult>(await call(user.token, REMOVE, { p: 'nope' }), 'removeFromCart').itemCount).toBe(9);

    const cleared = dataOf<CartResult>(await call(user.token, CLEAR), 'clearCart');
    expect(cleared).toEqual({ userId: user.id, itemCount: 0, items: [], subtotal: { amount: 0, currency: 'EUR' } });
    expect(await redis.exists(cartKey(user.id))).toBe(0);
  });

  it('answers an empty cart for a user who never had one', async () => {
    const user = await newCustomer();
    expect(dataOf(await call(user.token, VIEWER_CART), 'viewerCart')).toEqual({
      userId: user.id,
      itemCount: 0,
      items: [],
      subtotal: { amount: 0, currency: 'EUR' },
    });
  });
});

describe('validation', () => {
  it('refuses unknown, archived and foreign-currency products on `productId`', async () => {
    const user = await newCustomer();
    const archived = await createProduct({ status: ProductStatus.ARCHIVED });
    const dollars = await createProduct({ currency: 'USD' });
    const unknownId = randomUUID();
    const cases: [string, string][] = [
      [unknownId, `No product with id ${unknownId}`],
      ['not-a-uuid', 'No product with id not-a-uuid'],
      [archived.id, 'The product is no longer sold'],
      [dollars.id, 'The product is priced in USD; carts hold EUR only'],
    ];
    for (const [productId, message] of cases) {
      const body = await call(user.token, ADD, { p: productId, q: 1 });
      expect(errorOf(body)).toEqual({ code: 'BAD_USER_INPUT', field: 'productId', message });
    }
    expect(await redis.exists(cartKey(user.id))).toBe(0);
  });

  it('bounds the resulting line to 1..99 and to the available stock on `quantity`, writing nothing', async () => {
    const user = await newCustomer();
    const plenty = await createProduct({ stock: 500 });
    const few = await createProduct({ stock: 5 });
    const none = await createProduct({ stock: 0 });
    await call(user.token, ADD, { p: plenty.id, q: 60 });
    await call(user.token, ADD, { p: few.id, q: 4 });

    const cases: [string, Record<string, unknown>, string][] = [
      [ADD, { p: plenty.id, q: 0 }, 'Quantity must be at least 1'],
      [ADD, { p: plenty.id, q: 40 }, 'A cart line holds at most 99 units; this would make 100'],
      [ADD, { p: few.id, q: 2 }, 'Only 5 units are available; this would make 6'],
      [ADD, { p: none.id, q: 1 }, 'The product is out of stock'],
      [UPDATE, { p: plenty.id, q: 0 }, 'Quantity must be at least 1; use removeFromCart to remove a line'],
      [UPDATE, { p: plenty.id, q: 100 }, 'A cart line holds at most 99 units; this would make 100'],
      [UPDATE, { p: few.id, q: 6 }, 'Only 5 units are available; this would make 6'],
    ];
    for (const [mutation, variables, message] of cases) {
      const body = await call(user.token, mutation, variables);
      expect(errorOf(body)).toEqual({ code: 'BAD_USER_INPUT', field: 'quantity', message });
    }
    const cartNow = dataOf<CartResult>(await call(user.token, VIEWER_CART), 'viewerCart');
    expect(cartNow.items.map((item) => [item.product.id, item.quantity])).toEqual([
      [plenty.id, 60],
      [few.id, 4],
    ]);
  });

  it('updates only lines already in the cart', async () => {
    const user = await newCustomer();
    const product = await createProduct();
    expect(errorOf(await call(user.token, UPDATE, { p: product.id, q: 2 }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'productId',
      message: 'The product is not in the cart; use addToCart',
    });
    expect(await redis.exists(cartKey(user.id))).toBe(0);
  });
});

describe('storage', () => {
  it('keeps the cart for the configured TTL and restarts it on every write', async () => {
    const user = await newCustomer();
    const first = await createProduct();
    const second = await createProduct();
    await call(user.token, ADD, { p: first.id, q: 1 });
    const ttl = await redis.pttl(cartKey(user.id));
    expect(ttl).toBeGreaterThan(TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);

    for (const [mutation, variables] of [
      [ADD, { p: second.id, q: 1 }],
      [UPDATE, { p: first.id, q: 3 }],
      [REMOVE, { p: second.id }],
    ] as const) {
      await redis.pexpire(cartKey(user.id), 5_000);
      expect((await call(user.token, mutation, variables)).errors).toBeUndefined();
      expect(await redis.pttl(cartKey(user.id))).toBeGreaterThan(TTL_MS - 60_000);
    }
  });

  it('never loses a line or a unit under concurrent writes to one cart', async () => {
    const user = await newCustomer();
    const many = await createProducts(50, { stock: 100 });
    const bodies = await Promise.all(many.map((product) => call(user.token, ADD, { p: product.id, q: 1 })));
    for (const body of bodies) expect(body.errors).toBeUndefined();

    const same = await createProduct({ stock: 1000 });
    const increments = await Promise.all(Array.from({ length: 20 }, () => call(user.token, ADD, { p: same.id, q: 1 })));
    for (const body of increments) expect(body.errors).toBeUndefined();

    const result = dataOf<CartResult>(await call(user.token, VIEWER_CART), 'viewerCart');
    expect(new Set(result.items.map((item) => item.product.id))).toEqual(
      new Set([...many.map((product) => product.id), same.id]),
    );
    expect(result.items.find((item) => item.product.id === same.id)?.quantity).toBe(20);
    expect(result.itemCount).toBe(70);
  }, 30_000);

  it('never exceeds the bound under concurrent adds: the units that do not fit are refused', async () => {
    const user = await newCustomer();
    const scarce = await createProduct({ stock: 7 });
    const bodies = await Promise.all(Array.from({ length: 10 }, () => call(user.token, ADD, { p: scarce.id, q: 1 })));
    expect(bodies.filter((body) => body.errors === undefined)).toHaveLength(7);
    for (const body of bodies.filter((b) => b.errors !== undefined)) {
      expect(errorOf(body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quantity' });
    }
    expect(dataOf<CartResult>(await call(user.token, VIEWER_CART), 'viewerCart').itemCount).toBe(7);
  });
});

describe('products subgraph calls', () => {
  it("reads all of a cart's products in one call, forwarding the caller's credentials", async () => {
    const user = await newCustomer();
    const lines = await createProducts(3);
    for (const product of lines) await call(user.token, ADD, { p: product.id, q: 1 });

    const before = productsRequests.length;
    const result = dataOf<CartResult>(await call(user.token, VIEWER_CART), 'viewerCart');
    expect(result.items).toHaveLength(3);
    expect(productsRequests.slice(before)).toEqual([user.id]);
  });

  it('answers SERVICE_UNAVAILABLE when products fails or does not answer in time', async () => {
    const user = await newCustomer();
    const product = await createProduct();
    const hanging: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/graphql`;
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise((resolve) => closed.close(resolve));

    for (const productsUrl of [hangingUrl, closedUrl]) {
      const broken = await serveSubgraph(createCartSubgraph({ redis, productsUrl, productsTimeoutMs: 300 }), {
        port: 0,
        logger,
        identity: userTokenIdentity(tokens),
      });
      try {
        const body = await call(user.token, ADD, { p: product.id, q: 1 }, broken.url);
        expect(errorOf(body)).toEqual({
          code: 'SERVICE_UNAVAILABLE',
          message: 'The product catalog is unavailable; please try again',
        });
      } finally {
        await broken.stop();
      }
    }
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    expect(await redis.exists(cartKey(user.id))).toBe(0);
  });
});

describe('for the orders subgraph', () => {
  const REMOVE_ORDERED = `mutation($o: ID!, $items: [OrderedItemInput!]!) {
    removeOrderedItems(orderId: $o, items: $items) { ${CART_FIELDS} }
  }`;

  it('subtracts ordered quantities once per order and keeps what was added meanwhile', async () => {
    const user = await newCustomer();
    const partly = await createProduct();
    const fully = await createProduct();
    const untouched = await createProduct();
    await call(user.token, ADD, { p: partly.id, q: 5 });
    await call(user.token, ADD, { p: fully.id, q: 1 });
    await call(user.token, ADD, { p: untouched.id, q: 2 });

    const orderId = randomUUID();
    const items = [
      { productId: partly.id, quantity: 3 },
      { productId: fully.id, quantity: 1 },
    ];
    const expected = [
      [partly.id, 2],
      [untouched.id, 2],
    ];
    const first = dataOf<CartResult>(
      await call(user.token, REMOVE_ORDERED, { o: orderId, items }),
      'removeOrderedItems',
    );
    expect(first.items.map((item) => [item.product.id, item.quantity])).toEqual(expected);
    const retry = dataOf<CartResult>(
      await call(user.token, REMOVE_ORDERED, { o: orderId, items }),
      'removeOrderedItems',
    );
    expect(retry.items.map((item) => [item.product.id, item.quantity])).toEqual(expected);

    expect(errorOf(await call(user.token, REMOVE_ORDERED, { o: 'order-1', items }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'orderId',
      message: 'orderId must be a UUID',
    });
    expect(errorOf(await call(undefined, REMOVE_ORDERED, { o: randomUUID(), items }))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
