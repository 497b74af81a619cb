import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from '../../schema/compose-supergraph';
import { startRouter, type RunningRouter } from '../src';
import { readOperationLimits } from '../src/protection';
import { eventually, graphql, logger, routerConfig, scratchDir, startSubgraphs } from './harness';

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;

const PRODUCTS_WITH_REVIEWS = /* GraphQL */ `
  query ProductsWithReviews($first: Int!) {
    products(first: $first) {
      totalCount
      edges {
        node {
          id
          name
          price {
            amount
            currency
          }
          category {
            slug
          }
          rating {
            average
            count
          }
          reviews(first: 100) {
            edges {
              node {
                rating
                author {
                  id
                  name
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface ProductNode {
  id: string;
  name: string;
  price: { amount: number; currency: string };
  rating: { average: number | null; count: number };
  reviews: { edges: { node: { rating: number; author: { id: string; name: string } } }[] };
}

describe('router over the seven subgraphs', () => {
  let subgraphs: Subgraphs;
  let router: RunningRouter;

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    // The first test reads the whole seeded catalog with every review: over the anonymous cost budget.
    const operationLimits = readOperationLimits('{"anonymous":{"maxCost":1000000}}');
    router = await startRouter(routerConfig(subgraphs, { operationLimits }), logger);
  });

  afterAll(async () => {
    await router?.stop();
    await subgraphs?.stop();
  });

  it("leaves the gateway's usage reporting to Apollo off unless the operator turns it on", () => {
    // jest starts with APOLLO_TELEMETRY_DISABLED unset (CI and local runs alike): the router set it.
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it('answers { __typename }', async () => {
    const { status, body } = await graphql(router, '{ __typename }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { __typename: 'Query' } });
  });

  it('resolves one operation across products, reviews and users with seeded data', async () => {
    const { body } = await graphql(router, PRODUCTS_WITH_REVIEWS, { first: 100 });
    expect(body.errors).toBeUndefined();
    const connection = body.data?.products as { totalCount: number; edges: { node: ProductNode }[] };
    const activeCount = await subgraphs.prisma.product.count({ where: { status: 'ACTIVE' } });
    expect(connection.totalCount).toBe(activeCount);

    const reviewed = connection.edges.map((edge) => edge.node).filter((node) => node.reviews.edges.length > 0);
    expect(reviewed.length).toBeGreaterThan(0);
    for (const product of reviewed) {
      const rows = await subgraphs.prisma.review.findMany({ where: { productId: product.id } });
      expect(product.rating.count).toBe(rows.length);
      const mean = rows.reduce((sum, row) => sum + row.rating, 0) / rows.length;
      expect(product.rating.average).toBeCloseTo(mean, 2);
      for (const { node: review } of product.reviews.edges) {
        const author = await subgraphs.prisma.user.findUniqueOrThrow({ where: { id: review.author.id } });
        expect(review.author.name).toBe(author.name);
      }
    }
  });

  it('pages through products with cursors, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await graphql(
        router,
        'query($after: String) { products(first: 7, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const page = body.data?.products as {
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      seen.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await subgraphs.prisma.product.count({ where: { status: 'ACTIVE' } }));
  });

  it('rejects bad input with stable codes and no stack traces', async () => {
    const tooMany = await graphql(router, '{ products(first: 1000) { totalCount } }');
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const badCursor = await graphql(router, '{ products(after: "not-a-cursor") { totalCount } }');
    expect(badCursor.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const parse = await graphql(router, '{ products( }');
    expect(parse.status).toBe(400);
    expect(parse.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');

    const unknownField = await graphql(router, '{ nope }');
    expect(unknownField.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    for (const response of [tooMany, badCursor, parse, unknownField]) {
      expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
    }
  });

  it('answers null for an unknown or malformed product id', async () => {
    const { body } = await graphql(
      router,
      '{ a: product(id: "00000000-0000-0000-0000-000000000000") { id } b: product(id: "x") { id } }',
    );
    expect(body).toEqual({ data: { a: null, b: null } });
  });

  it('refuses bodies over the size limit and invalid JSON', async () => {
    const big = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(70 * 1024)}` }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );

    const invalid = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(invalid.status).toBe(400);
  });

  it('reports live and ready', async () => {
    const base = router.url.replace('/graphql', '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });
});

describe('router readiness', () => {
  it('is not ready while a subgraph does not answer', async () => {
    const subgraphs = await startSubgraphs();
    const router = await startRouter(routerConfig(subgraphs), logger);
    try {
      const ready = `${router.url.replace('/graphql', '')}/health/ready`;
      expect((await fetch(ready)).status).toBe(200);
      await subgraphs.running.find((subgraph) => subgraph.name === 'reviews')?.stop();
      const response = await fetch(ready);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'not ready' });
    } finally {
      await router.stop();
      await subgraphs.stop();
    }
  });
});

describe('router supergraph hot reload', () => {
  it('serves a changed supergraph file without dropping in-flight requests', async () => {
    const scratch = scratchDir();
    const subgraphs = await startSubgraphs();
    // Start on a supergraph without the reviews subgraph, then swap in the full one.
    const yaml = readFileSync(path.resolve(__dirname, '../../supergraph.yaml'), 'utf8').replace(
      /\n {2}reviews:\n(?: {4}.*\n)+/,
      '\n',
    );
    const partial = composeSupergraph(
      scratch.file(
        'supergraph.yaml',
        yaml.replaceAll('./subgraphs/', path.resolve(__dirname, '../../subgraphs') + '/'),
      ),
    );
    const full = composeSupergraph();
    if (!partial.ok || !full.ok) throw new Error('composition failed');
    const supergraphPath = scratch.file('supergraph.graphql', partial.supergraphSdl);
    const router = await startRouter(routerConfig(subgraphs, { supergraphPath }), logger);
    try {
      const query = '{ products(first: 3) { edges { node { name rating { count } } } } }';
      expect((await graphql(router, query)).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

      const load = Array.from({ length: 40 }, (_, i) =>
        new Promise((resolve) => setTimeout(resolve, i * 25)).then(() =>
          graphql(router, '{ products(first: 2) { totalCount } }'),
        ),
      );
      writeFileSync(supergraphPath, full.supergraphSdl);
      const results = await Promise.all(load);
      expect(results.every((result) => result.status === 200 && !result.body.errors)).toBe(true);

      const reloaded = await eventually(async () => (await graphql(router, query)).body.errors === undefined);
      expect(reloaded).toBe(true);
    } finally {
      await router.stop();
      await subgraphs.stop();
      scratch.dispose();
    }
  });
});
