import { randomUUID } from 'node:crypto';
import { graphql, loginAs, startStack } from '../../../router/test/harness';
import { randomSku } from './fixtures';

type Stack = Awaited<ReturnType<typeof startStack>>;

interface Edge {
  cursor: string;
  node: { id: string; name: string; status: string; category: { slug: string } };
}

interface Connection {
  totalCount: number;
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PRODUCTS = /* GraphQL */ `
  query Products($filter: ProductFilter, $first: Int!, $after: String) {
    products(filter: $filter, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          status
          category {
            slug
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateProductInput!) {
    createProduct(input: $input) {
      id
      sku
      status
      available
      price {
        amount
        currency
      }
      category {
        slug
      }
    }
  }
`;

const ADJUST = /* GraphQL */ `
  mutation Adjust($productId: ID!, $delta: Int!, $reason: String!) {
    adjustStock(productId: $productId, delta: $delta, reason: $reason) {
      stockAfter
      actor {
        id
        name
      }
      product {
        available
        inStock
      }
    }
  }
`;

const code = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => body.errors?.[0]?.extensions?.code;

describe('products through the router', () => {
  let stack: Stack;
  const tokens: Record<'admin' | 'ops' | 'customer', string> = { admin: '', ops: '', customer: '' };
  const created: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    for (const who of ['admin', 'ops', 'customer'] as const) tokens[who] = await loginAs(stack.router, who);
  });

  afterAll(async () => {
    if (stack) {
      await stack.prisma.stockAdjustment.deleteMany({ where: { productId: { in: created } } });
      await stack.prisma.product.deleteMany({ where: { id: { in: created } } });
      await stack.stop();
    }
  });

  async function list(filter: Record<string, unknown> | null, first: number, after?: string | null) {
    const { body } = await graphql(stack.router, PRODUCTS, { filter, first, after });
    expect(body.errors).toBeUndefined();
    return body.data?.products as Connection;
  }

  describe('public catalog', () => {
    it('ranks name matches of a search above description matches and pages through them', async () => {
      const all = await list({ search: 'espresso' }, 100);
      const names = all.edges.map((edge) => edge.node.name);
      const grinder = names.indexOf('Conical Burr Coffee Grinder'); // "espresso" only in its description
      expect(grinder).toBeGreaterThan(names.indexOf('Stovetop Espresso Maker, 6 Cups'));
      expect(grinder).toBeGreaterThan(names.indexOf('Espresso Beans, Ethiopia Single Origin (1 kg)'));
      expect(names.indexOf('Stovetop Espresso Maker, 6 Cups')).toBeGreaterThanOrEqual(0);

      const paged: string[] = [];
      let after: string | null = null;
      do {
        const page: Connection = await list({ search: 'espresso' }, 1, after);
        expect(page.totalCount).toBe(all.totalCount);
        paged.push(...page.edges.map((edge) => edge.node.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(paged).toEqual(all.edges.map((edge) => edge.node.id));
    });

    it('filters a category with its descendants, by price and by availability', async () => {
      const { body } = await graphql(stack.router, '{ categories { id slug children { slug } } }');
      const electronics = (body.data?.categories as { id: string; slug: string; children: { slug: string }[] }[]).find(
        (category) => category.slug === 'electronics',
      );
      expect(electronics?.children.map((child) => child.slug)).toEqual(
        expect.arrayContaining(['audio', 'computers', 'phones-wearables']),
      );
      const filter = { categoryId: electronics?.id, priceRange: { min: 4000, max: 25000 }, inStock: true };
      const page = await list(filter, 100);
      const candidates = await stack.prisma.product.findMany({
        where: {
          status: 'ACTIVE',
          category: { OR: [{ id: electronics?.id }, { parentId: electronics?.id }] },
          priceAmount: { gte: 4000, lte: 25000 },
        },
      });
      const expected = candidates.filter((product) => product.stock - product.reserved > 0);
      expect(expected.length).toBeGreaterThan(0);
      expect(page.totalCount).toBe(expected.length);
      expect(page.edges.map((edge) => edge.node.id).sort()).toEqual(expected.map((product) => product.id).sort());
      expect(candidates.length).toBeGreaterThan(expected.length); // the seeded turntable is sold out

      const invalid = await graphql(stack.router, PRODUCTS, { filter: { priceRange: { min: 5, max: 1 } }, first: 5 });
      expect(invalid.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'priceRange' });
      const tooMany = await graphql(stack.router, PRODUCTS, { first: 101 });
      expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });

    it('keeps the internal reservation mutations out of the public API', async () => {
      const { status, body } = await graphql(
        stack.router,
        'mutation($o: ID!) { releaseStock(orderId: $o) }',
        { o: randomUUID() },
        tokens.customer,
      );
      expect(status).toBe(400);
      expect(code(body)).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe('admin operations', () => {
    it('lets an admin create and archive, an ops user adjust stock, and no one else', async () => {
      const category = await stack.prisma.category.findUniqueOrThrow({ where: { slug: 'cookware' } });
      const input = {
        sku: randomSku('RTR'),
        name: 'Router Test Dutch Oven',
        price: { amount: 8900, currency: 'EUR' },
        categoryId: category.id,
      };
      const anonymous = await graphql(stack.router, CREATE, { input });
      expect(code(anonymous.body)).toBe('UNAUTHENTICATED');
      const customer = await graphql(stack.router, CREATE, { input }, tokens.customer);
      expect(code(customer.body)).toBe('FORBIDDEN');
      expect(await stack.prisma.product.count({ where: { sku: input.sku } })).toBe(0);

      const made = await graphql(stack.router, CREATE, { input }, tokens.admin);
      expect(made.body.errors).toBeUndefined();
      const product = made.body.data?.createProduct as { id: string };
      created.push(product.id);
      expect(made.body.data?.createProduct).toEqual({
        id: expect.any(String),
        sku: input.sku,
        status: 'ACTIVE',
        available: 0,
        price: { amount: 8900, currency: 'EUR' },
        category: { slug: 'cookware' },
      });
      const duplicate = await graphql(stack.router, CREATE, { input }, tokens.admin);
      expect(code(duplicate.body)).toBe('CONFLICT');

      // ops holds stock:write but not catalog:write
      expect(
        code(
          (await graphql(stack.router, 'mutation($id: ID!) { archiveProduct(id: $id) { id } }', product, tokens.ops))
            .body,
        ),
      ).toBe('FORBIDDEN');
      const adjusted = await graphql(
        stack.router,
        ADJUST,
        { productId: product.id, delta: 3, reason: 'First delivery' },
        tokens.ops,
      );
      expect(adjusted.body.errors).toBeUndefined();
      // `actor` is resolved by the users subgraph through the User entity.
      expect(adjusted.body.data?.adjustStock).toEqual({
        stockAfter: 3,
        actor: { id: expect.any(String), name: 'Olivia Ops' },
        product: { available: 3, inStock: true },
      });
      const customerAdjust = await graphql(
        stack.router,
        ADJUST,
        { productId: product.id, delta: 3, reason: 'nope' },
        tokens.customer,
      );
      expect(code(customerAdjust.body)).toBe('FORBIDDEN');

      const history = await graphql(
        stack.router,
        'query($id: ID!) { product(id: $id) { stockHistory { delta reason } } }',
        product,
        tokens.customer,
      );
      // The router removes the unauthorized field (and the product selection it emptied) before execution.
      expect(history.body.data).toBeNull();
      expect(history.body.errors?.[0]).toMatchObject({
        path: ['product', 'stockHistory'],
        extensions: { code: 'FORBIDDEN' },
      });

      const low = await graphql(stack.router, '{ lowStockProducts(threshold: 3) { id available } }', {}, tokens.ops);
      expect(low.body.data?.lowStockProducts).toEqual(expect.arrayContaining([{ id: product.id, available: 3 }]));

      const archived = await graphql(
        stack.router,
        'mutation($id: ID!) { archiveProduct(id: $id) { status } }',
        product,
        tokens.admin,
      );
      expect(archived.body.data?.archiveProduct).toEqual({ status: 'ARCHIVED' });
      const gone = await graphql(stack.router, 'query($id: ID!) { product(id: $id) { id } }', product);
      expect(gone.body).toEqual({ data: { product: null } });
    });
  });
});
