import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@minishop/db';
import type { Viewer } from '@minishop/runtime';
import {
  catalogFixture,
  dataOf,
  errorCodes,
  randomSku,
  serveProducts,
  viewers,
  type CatalogFixture,
  type ProductsServer,
} from './fixtures';

const PRODUCT_FIELDS = /* GraphQL */ `
  id
  sku
  name
  description
  status
  available
  inStock
  price {
    amount
    currency
  }
  category {
    id
  }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateProductInput!) {
    createProduct(input: $input) { ${PRODUCT_FIELDS} }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateProductInput!) {
    updateProduct(id: $id, input: $input) { ${PRODUCT_FIELDS} }
  }
`;

const ARCHIVE = /* GraphQL */ `
  mutation Archive($id: ID!) {
    archiveProduct(id: $id) {
      id
      status
    }
  }
`;

const ADJUST = /* GraphQL */ `
  mutation Adjust($productId: ID!, $delta: Int!, $reason: String!) {
    adjustStock(productId: $productId, delta: $delta, reason: $reason) {
      id
      delta
      reason
      stockAfter
      actor {
        id
      }
      createdAt
      product {
        id
        available
      }
    }
  }
`;

const HISTORY = /* GraphQL */ `
  query History($id: ID!, $first: Int!) {
    product(id: $id) {
      name
      stockHistory(first: $first) {
        delta
        reason
        stockAfter
        actor {
          id
        }
      }
    }
  }
`;

const LOW_STOCK = /* GraphQL */ `
  query Low($threshold: Int!) {
    lowStockProducts(threshold: $threshold) {
      id
      available
      status
    }
  }
`;

interface ProductResult {
  id: string;
  sku: string;
  name: string;
  description: string;
  status: string;
  available: number;
  inStock: boolean;
  price: { amount: number; currency: string };
  category: { id: string };
}

interface AdjustmentResult {
  delta: number;
  reason: string;
  stockAfter: number;
  actor: { id: string };
}

describe('products admin API (subgraph over HTTP)', () => {
  let prisma: PrismaClient;
  let fixture: CatalogFixture;
  let server: ProductsServer;
  let categoryId: string;
  let otherCategoryId: string;
  const people: Record<'admin' | 'ops' | 'customer', Viewer> = {
    admin: viewers.admin(),
    ops: viewers.ops(),
    customer: viewers.customer(),
  };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    prisma = createPrismaClient(String(process.env.DATABASE_URL));
    fixture = catalogFixture(prisma);
    server = await serveProducts(prisma);
    for (const [role, viewer] of Object.entries(people)) tokens[role] = server.signIn(viewer);
    categoryId = await fixture.category('Admin tests');
    otherCategoryId = await fixture.category('Admin tests, other', categoryId);
  });

  afterAll(async () => {
    await server?.stop();
    await fixture?.cleanup();
    await prisma?.$disconnect();
  });

  const newProduct = (change: Record<string, unknown> = {}) => ({
    sku: randomSku(),
    name: 'Enamel Camping Mug',
    description: 'Speckled blue enamel, 350 ml.',
    price: { amount: 1290, currency: 'EUR' },
    categoryId,
    ...change,
  });

  /** `token` undefined means anonymous. */
  async function create(change: Record<string, unknown>, token: string | undefined) {
    const result = await server.graphql<{ createProduct: ProductResult }>(CREATE, { input: newProduct(change) }, token);
    if (result.data?.createProduct) fixture.track(result.data.createProduct.id);
    return result;
  }

  async function created(change: Record<string, unknown> = {}): Promise<ProductResult> {
    return dataOf(await create(change, tokens.admin)).createProduct;
  }

  describe('createProduct', () => {
    it('creates an active product and records a positive initial stock as an adjustment', async () => {
      const input = newProduct({ initialStock: 7 });
      const result = await server.graphql<{ createProduct: ProductResult }>(CREATE, { input }, tokens.admin);
      const product = dataOf(result).createProduct;
      fixture.track(product.id);
      expect(product).toEqual({
        id: expect.any(String),
        sku: input.sku,
        name: input.name,
        description: input.description,
        status: 'ACTIVE',
        available: 7,
        inStock: true,
        price: { amount: 1290, currency: 'EUR' },
        category: { id: categoryId },
      });
      const history = await server.graphql<{ product: { stockHistory: AdjustmentResult[] } }>(
        HISTORY,
        { id: product.id, first: 10 },
        tokens.admin,
      );
      expect(history.data?.product.stockHistory).toEqual([
        { delta: 7, reason: 'Initial stock', stockAfter: 7, actor: { id: people.admin.userId } },
      ]);

      const empty = await created({ initialStock: 0 });
      expect(empty.available).toBe(0);
      expect(await prisma.stockAdjustment.count({ where: { productId: empty.id } })).toBe(0);
    });

    it('requires catalog:write: UNAUTHENTICATED when anonymous, FORBIDDEN otherwise, nothing written', async () => {
      for (const [token, code] of [
        [undefined, 'UNAUTHENTICATED'],
        [tokens.customer, 'FORBIDDEN'],
        [tokens.ops, 'FORBIDDEN'],
      ] as const) {
        const sku = randomSku();
        const result = await create({ sku }, token);
        expect(result.data).toBeNull();
        expect(errorCodes(result)).toEqual([code]);
        expect(await prisma.product.count({ where: { sku } })).toBe(0);
      }
    });

    it('validates input, naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ sku: 'lower-case' }, 'sku'],
        [{ name: '' }, 'name'],
        [{ description: 'x'.repeat(5001) }, 'description'],
        [{ price: { amount: -1, currency: 'EUR' } }, 'price.amount'],
        [{ price: { amount: 100, currency: 'Euro' } }, 'price.currency'],
        [{ categoryId: randomUUID() }, 'categoryId'],
        [{ categoryId: 'audio' }, 'categoryId'],
        [{ initialStock: -2 }, 'initialStock'],
      ];
      for (const [change, field] of cases) {
        const result = await create(change, tokens.admin);
        expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      }
    });

    it('answers CONFLICT for a duplicate SKU', async () => {
      const first = await created();
      const result = await create({ sku: first.sku, name: 'Another' }, tokens.admin);
      expect(errorCodes(result)).toEqual(['CONFLICT']);
      expect(await prisma.product.count({ where: { sku: first.sku } })).toBe(1);
    });
  });

  describe('updateProduct and archiveProduct', () => {
    it('changes only the given fields', async () => {
      const product = await created();
      const result = await server.graphql<{ updateProduct: ProductResult }>(
        UPDATE,
        {
          id: product.id,
          input: { name: '  Renamed Mug ', price: { amount: 990, currency: 'EUR' }, categoryId: otherCategoryId },
        },
        tokens.admin,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.updateProduct).toEqual({
        ...product,
        name: 'Renamed Mug',
        price: { amount: 990, currency: 'EUR' },
        category: { id: otherCategoryId },
      });
    });

    it('answers NOT_FOUND, CONFLICT, BAD_USER_INPUT and FORBIDDEN as appropriate', async () => {
      const product = await created();
      const other = await created();
      const update = (id: string, input: Record<string, unknown>, token = tokens.admin) =>
        server.graphql(UPDATE, { id, input }, token);
      expect(errorCodes(await update(randomUUID(), { name: 'x' }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await update('not-a-uuid', { name: 'x' }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await update(product.id, { sku: other.sku }))).toEqual(['CONFLICT']);
      expect((await update(product.id, {})).errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input',
      });
      expect((await update(product.id, { categoryId: randomUUID() })).errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'categoryId',
      });
      expect(errorCodes(await update(product.id, { name: 'x' }, tokens.customer))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await server.graphql(ARCHIVE, { id: product.id }))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await server.graphql(ARCHIVE, { id: randomUUID() }, tokens.admin))).toEqual(['NOT_FOUND']);
      const unchanged = await prisma.product.findUniqueOrThrow({ where: { id: product.id } });
      expect(unchanged).toMatchObject({ name: product.name, sku: product.sku, status: 'ACTIVE' });
    });

    it('archives idempotently: hidden from the catalog, still resolvable as an entity, restorable', async () => {
      const product = await created();
      for (let i = 0; i < 2; i += 1) {
        const result = await server.graphql(ARCHIVE, { id: product.id }, tokens.admin);
        expect(result).toEqual({ data: { archiveProduct: { id: product.id, status: 'ARCHIVED' } } });
      }
      const byId = await server.graphql('query($id: ID!) { product(id: $id) { id } }', { id: product.id });
      expect(byId).toEqual({ data: { product: null } });
      const listed = await server.graphql<{ products: { totalCount: number } }>(
        'query($c: ID!) { products(filter: { categoryId: $c }, first: 100) { totalCount edges { node { id } } } }',
        { c: categoryId },
      );
      expect(JSON.stringify(listed.data)).not.toContain(product.id);
      const entity = await server.graphql(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id status } } }',
        { r: [{ __typename: 'Product', id: product.id }] },
      );
      expect(entity).toEqual({ data: { _entities: [{ id: product.id, status: 'ARCHIVED' }] } });

      const restored = await server.graphql<{ updateProduct: ProductResult }>(
        UPDATE,
        { id: product.id, input: { status: 'ACTIVE' } },
        tokens.admin,
      );
      expect(restored.data?.updateProduct.status).toBe('ACTIVE');
    });
  });

  describe('adjustStock, stockHistory and lowStockProducts', () => {
    it('changes stock and writes the audited adjustment (stock:write, e.g. ops)', async () => {
      const productId = await fixture.product({ categoryId, stock: 5, reserved: 2 });
      const result = await server.graphql<{ adjustStock: AdjustmentResult & { product: { available: number } } }>(
        ADJUST,
        { productId, delta: 10, reason: '  Delivery from supplier ' },
        tokens.ops,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.adjustStock).toMatchObject({
        delta: 10,
        reason: 'Delivery from supplier',
        stockAfter: 15,
        actor: { id: people.ops.userId },
        product: { id: productId, available: 13 },
      });
      const rows = await prisma.stockAdjustment.findMany({ where: { productId } });
      expect(rows).toEqual([
        expect.objectContaining({
          delta: 10,
          reason: 'Delivery from supplier',
          stockAfter: 15,
          actorId: people.ops.userId,
        }),
      ]);
    });

    it('refuses to take stock below the reserved units, writing nothing', async () => {
      const productId = await fixture.product({ categoryId, stock: 5, reserved: 3 });
      const refused = await server.graphql(ADJUST, { productId, delta: -3, reason: 'Damaged' }, tokens.admin);
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', productId });
      expect(refused.errors?.[0]?.message).toMatch(/5 on hand, 3 of them reserved/);
      expect(await prisma.product.findUniqueOrThrow({ where: { id: productId } })).toMatchObject({
        stock: 5,
        reserved: 3,
      });
      expect(await prisma.stockAdjustment.count({ where: { productId } })).toBe(0);

      const allowed = await server.graphql<{ adjustStock: AdjustmentResult & { product: { available: number } } }>(
        ADJUST,
        { productId, delta: -2, reason: 'Damaged' },
        tokens.admin,
      );
      expect(allowed.data?.adjustStock).toMatchObject({ stockAfter: 3, product: { available: 0 } });
    });

    it('never lets concurrent removals go below zero', async () => {
      const productId = await fixture.product({ categoryId, stock: 5 });
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          server.graphql(ADJUST, { productId, delta: -1, reason: 'Shrinkage' }, tokens.ops),
        ),
      );
      expect(results.filter((result) => !result.errors)).toHaveLength(5);
      expect(results.filter((result) => errorCodes(result)[0] === 'CONFLICT')).toHaveLength(7);
      expect((await prisma.product.findUniqueOrThrow({ where: { id: productId } })).stock).toBe(0);
      const audit = await prisma.stockAdjustment.findMany({ where: { productId }, orderBy: { stockAfter: 'desc' } });
      expect(audit.map((row) => row.stockAfter)).toEqual([4, 3, 2, 1, 0]);
    });

    it('rejects bad adjustments and callers without stock:write', async () => {
      const productId = await fixture.product({ categoryId, stock: 5 });
      const adjust = (variables: Record<string, unknown>, token?: string) =>
        server.graphql(ADJUST, { productId, delta: 1, reason: 'Recount', ...variables }, token);
      expect((await adjust({ delta: 0 }, tokens.ops)).errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'delta',
      });
      expect((await adjust({ reason: ' ' }, tokens.ops)).errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'reason',
      });
      expect(errorCodes(await adjust({ productId: randomUUID() }, tokens.ops))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await adjust({}, tokens.customer))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await adjust({}))).toEqual(['UNAUTHENTICATED']);
      expect(await prisma.stockAdjustment.count({ where: { productId } })).toBe(0);
    });

    it('shows stockHistory, newest first, to stock:write holders only', async () => {
      const productId = await fixture.product({ categoryId, stock: 1 });
      for (const [delta, reason] of [
        [4, 'First delivery'],
        [-2, 'Broken'],
        [10, 'Second delivery'],
      ] as const) {
        expect((await server.graphql(ADJUST, { productId, delta, reason }, tokens.admin)).errors).toBeUndefined();
      }
      const ops = await server.graphql<{ product: { stockHistory: AdjustmentResult[] } }>(
        HISTORY,
        { id: productId, first: 2 },
        tokens.ops,
      );
      expect(ops.data?.product.stockHistory.map((row) => [row.delta, row.stockAfter])).toEqual([
        [10, 13],
        [-2, 3],
      ]);

      for (const [token, code] of [
        [tokens.customer, 'FORBIDDEN'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        const denied = await server.graphql<{ product: { name: string; stockHistory: null } }>(
          HISTORY,
          { id: productId, first: 2 },
          token,
        );
        expect(denied.data?.product).toEqual({ name: expect.any(String), stockHistory: null });
        expect(denied.errors).toEqual([
          expect.objectContaining({ path: ['product', 'stockHistory'], extensions: { code } }),
        ]);
      }
      const tooMany = await server.graphql(HISTORY, { id: productId, first: 101 }, tokens.ops);
      expect(tooMany.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    });

    it('lists active products at or below the threshold, fewest available first', async () => {
      const none = await fixture.product({ categoryId, stock: 4, reserved: 4 });
      const one = await fixture.product({ categoryId, stock: 1 });
      const two = await fixture.product({ categoryId, stock: 6, reserved: 4 });
      const plenty = await fixture.product({ categoryId, stock: 50 });
      const archived = await fixture.product({ categoryId, stock: 0, status: 'ARCHIVED' });

      const result = await server.graphql<{ lowStockProducts: { id: string; available: number; status: string }[] }>(
        LOW_STOCK,
        { threshold: 2 },
        tokens.ops,
      );
      const listed = dataOf(result).lowStockProducts;
      const available = listed.map((product) => product.available);
      expect(available.every((units) => units <= 2)).toBe(true);
      expect([...available].sort((a, b) => a - b)).toEqual(available);
      expect(listed.every((product) => product.status === 'ACTIVE')).toBe(true);
      const ours = listed.map((product) => product.id).filter((id) => [none, one, two, plenty, archived].includes(id));
      expect(ours).toEqual([none, one, two]);

      expect(errorCodes(await server.graphql(LOW_STOCK, { threshold: 2 }, tokens.customer))).toEqual(['FORBIDDEN']);
      expect((await server.graphql(LOW_STOCK, { threshold: -1 }, tokens.ops)).errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'threshold',
      });
    });
  });
});
