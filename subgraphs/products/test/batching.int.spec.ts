import { countingPrisma, serveProducts, viewers, type ProductsServer } from './fixtures';

/** Which table a statement reads, for the tables the products subgraph serves. */
function tableOf(statement: string): string {
  for (const table of ['stock_adjustments', 'categories', 'products']) {
    if (new RegExp(`FROM "?products"?\\."?${table}"?`).test(statement)) return table;
  }
  return 'other';
}

function perTable(statements: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const statement of statements) counts[tableOf(statement)] = (counts[tableOf(statement)] ?? 0) + 1;
  return counts;
}

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product {
        name
        price {
          amount
        }
        category {
          name
          children {
            name
          }
        }
        stockHistory(first: 3) {
          delta
          product {
            sku
          }
        }
      }
    }
  }
`;

const LISTING = /* GraphQL */ `
  query Listing($first: Int!) {
    products(first: $first) {
      totalCount
      edges {
        node {
          name
          category {
            name
            parent {
              name
            }
          }
        }
      }
    }
  }
`;

describe('batched loading (statements counted through Prisma query events)', () => {
  let counting: ReturnType<typeof countingPrisma>;
  let server: ProductsServer;
  let token: string;
  let productIds: string[];

  beforeAll(async () => {
    counting = countingPrisma();
    server = await serveProducts(counting.prisma);
    token = server.signIn(viewers.admin());
    const products = await counting.prisma.product.findMany({
      select: { id: true },
      orderBy: { sku: 'asc' },
      take: 30,
    });
    productIds = products.map((product) => product.id);
  });

  afterAll(async () => {
    await server?.stop();
    await counting?.prisma.$disconnect();
  });

  async function entityStatements(ids: string[]) {
    return counting.record(async () => {
      const result = await server.graphql<{ _entities: unknown[] }>(
        ENTITIES,
        { representations: ids.map((id) => ({ __typename: 'Product', id })) },
        token,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toHaveLength(ids.length);
    });
  }

  it('resolves N product references with one query per kind, whatever N is', async () => {
    const one = perTable(await entityStatements(productIds.slice(0, 1)));
    const many = perTable(await entityStatements(productIds));
    // products; categories (own category) + categories (children); adjustments; their products are cached.
    expect(many).toEqual({ products: 1, categories: 2, stock_adjustments: 1 });
    expect(many).toEqual(one);
  });

  it('lists a page and its total in one statement, with categories from the process cache', async () => {
    const cold = perTable(await counting.record(() => server.graphql(LISTING, { first: 40 })));
    // One statement for page + total; categories at most level by level (own, then parents), not per product.
    expect(cold.products).toBe(1);
    expect(cold.categories ?? 0).toBeLessThanOrEqual(2);
    const warm = perTable(await counting.record(() => server.graphql(LISTING, { first: 2 })));
    expect(warm).toEqual({ products: 1 });
  });
});
