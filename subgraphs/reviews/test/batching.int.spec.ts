// Statements counted through Prisma query events: N products cost one query per kind, whatever N is.
import { createLogger, serveSubgraph, type RunningSubgraph } from '@minishop/runtime';
import { countingPrisma } from '../../products/test/fixtures';
import { createReviewsSubgraph } from '../src';

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product {
        rating {
          average
          count
        }
        reviews(first: 2) {
          totalCount
          pageInfo {
            hasNextPage
          }
          edges {
            node {
              title
              author {
                id
              }
            }
          }
        }
      }
    }
  }
`;

/** Which reviews table a statement reads. */
function tableOf(statement: string): string {
  for (const table of ['product_ratings', 'reviews']) {
    if (new RegExp(`FROM "?reviews"?\\."?${table}"?`).test(statement)) return table;
  }
  return 'other';
}

describe('reviews batching', () => {
  let counting: ReturnType<typeof countingPrisma>;
  let server: RunningSubgraph;
  let productIds: string[];

  beforeAll(async () => {
    counting = countingPrisma();
    const { prisma } = counting;
    server = await serveSubgraph(createReviewsSubgraph({ prisma }), {
      port: 0,
      logger: createLogger('reviews-test', 'warn'),
      identity: { verify: async () => null },
    });
    // Seeded products with reviews, plus ones without.
    const reviewed = await prisma.productRating.findMany({ select: { productId: true }, take: 10 });
    const others = await prisma.product.findMany({ select: { id: true }, orderBy: { sku: 'asc' }, take: 10 });
    productIds = [...reviewed.map((row) => row.productId), ...others.map((row) => row.id)];
  });

  afterAll(async () => {
    await server?.stop();
    await counting?.prisma.$disconnect();
  });

  async function countsFor(ids: string[]): Promise<Record<string, number>> {
    const statements = await counting.record(async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: ENTITIES,
          variables: { representations: ids.map((id) => ({ __typename: 'Product', id })) },
        }),
      });
      const result = (await response.json()) as { data?: { _entities: unknown[] }; errors?: unknown };
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toHaveLength(ids.length);
    });
    const counts: Record<string, number> = {};
    for (const statement of statements) counts[tableOf(statement)] = (counts[tableOf(statement)] ?? 0) + 1;
    return counts;
  }

  it('loads ratings, review pages and their totals for N products with one query per kind', async () => {
    expect(productIds.length).toBeGreaterThan(10);
    const one = await countsFor(productIds.slice(0, 1));
    const many = await countsFor(productIds);
    expect(many).toEqual({ product_ratings: 1, reviews: 1 });
    expect(many).toEqual(one);
  });
});
