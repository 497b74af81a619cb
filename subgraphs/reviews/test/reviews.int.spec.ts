// Reviews as clients see them: through the router, with every subgraph running and real logins.
import { randomUUID } from 'node:crypto';
import { graphql, loginAs, registerCustomer, startStack, type GraphQLBody } from '../../../router/test/harness';
import { ratingState, reviewsFixture } from './fixtures';

type Stack = Awaited<ReturnType<typeof startStack>>;

const CREATE = `mutation($input: CreateReviewInput!) {
  createReview(input: $input) { id rating title body author { id name } product { id } }
}`;
const UPDATE =
  'mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id rating title body } }';
const DELETE = 'mutation($id: ID!) { deleteReview(id: $id) }';
const PRODUCT = `query($id: ID!, $first: Int!, $after: String) {
  product(id: $id) {
    rating { average count }
    reviews(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id title author { id } } }
    }
  }
}`;

const codes = (body: GraphQLBody) => (body.errors ?? []).map((error) => error.extensions?.['code']);

function dataOf<T>(body: GraphQLBody, field: string): T {
  if (body.errors || !body.data) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
  return body.data[field] as T;
}

const review = (productId: string, rating = 4) => ({
  productId,
  rating,
  title: 'Does the job',
  body: 'Works as described.',
});

describe('reviews through the router', () => {
  let stack: Stack;
  let fixture: ReturnType<typeof reviewsFixture>;

  beforeAll(async () => {
    stack = await startStack();
    fixture = reviewsFixture(stack.prisma);
  });

  afterAll(async () => {
    await fixture?.cleanup();
    await stack?.stop();
  });

  const shopper = async () => {
    const customer = await registerCustomer(stack.router);
    fixture.track(customer.userId);
    return customer;
  };

  /** A shopper who bought a fresh product. */
  const buyer = async (productId?: string) => {
    const customer = await shopper();
    const product = productId ?? (await fixture.product());
    await fixture.purchase(customer.userId, product);
    return { ...customer, productId: product };
  };

  const create = (token: string, input: Record<string, unknown>) =>
    graphql(stack.router, CREATE, { input }, token).then((result) => result.body);

  async function expectAggregateExact(productId: string) {
    const { fresh, aggregate } = await ratingState(stack.prisma, productId);
    expect({ count: aggregate?.reviewCount ?? 0, sum: aggregate?.ratingSum ?? 0 }).toEqual({
      count: fresh?.count,
      sum: fresh?.sum,
    });
    const { body } = await graphql(stack.router, PRODUCT, { id: productId, first: 1 });
    const product = dataOf<{ rating: { average: number | null; count: number } }>(body, 'product');
    expect(product.rating).toEqual({ average: fresh?.average ?? null, count: fresh?.count });
  }

  it('lets only verified purchasers review, and only when signed in', async () => {
    const productId = await fixture.product();
    const stranger = await shopper();
    const refused = await create(stranger.token, review(productId));
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors?.[0]?.message).toMatch(/bought/);
    expect(codes((await graphql(stack.router, CREATE, { input: review(productId) })).body)).toEqual([
      'UNAUTHENTICATED',
    ]);

    await fixture.purchase(stranger.userId, productId);
    const created = dataOf<{ rating: number; title: string; author: { id: string; name: string } }>(
      await create(stranger.token, review(productId, 5)),
      'createReview',
    );
    expect(created).toMatchObject({
      rating: 5,
      title: 'Does the job',
      author: { id: stranger.userId, name: stranger.name },
    });
    await expectAggregateExact(productId);
  });

  it('rejects invalid input with the offending field', async () => {
    const { token, productId } = await buyer();
    const cases: [Record<string, unknown>, string][] = [
      [{ rating: 0 }, 'rating'],
      [{ rating: 6 }, 'rating'],
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ body: '' }, 'body'],
      [{ body: 'x'.repeat(5001) }, 'body'],
    ];
    for (const [change, field] of cases) {
      const body = await create(token, { ...review(productId), ...change });
      expect(codes(body)).toEqual(['BAD_USER_INPUT']);
      expect(body.errors?.[0]?.extensions?.['field']).toBe(field);
    }
    expect(await stack.prisma.review.count({ where: { productId } })).toBe(0);
  });

  it('allows one review per user and product, also under 10 parallel attempts', async () => {
    const { token, productId } = await buyer();
    const results = await Promise.all(Array.from({ length: 10 }, () => create(token, review(productId, 3))));
    expect(results.filter((body) => !body.errors)).toHaveLength(1);
    expect(results.flatMap(codes).sort()).toEqual(Array.from({ length: 9 }, () => 'CONFLICT'));
    expect(await stack.prisma.review.count({ where: { productId } })).toBe(1);
    await expectAggregateExact(productId);
    expect(codes(await create(token, review(productId)))).toEqual(['CONFLICT']);
  });

  it('keeps the rating aggregate exact through create, update and delete', async () => {
    const productId = await fixture.product();
    const written: { token: string; id: string }[] = [];
    for (const rating of [5, 2, 4]) {
      const { token } = await buyer(productId);
      written.push({
        token,
        id: dataOf<{ id: string }>(await create(token, review(productId, rating)), 'createReview').id,
      });
      await expectAggregateExact(productId);
    }
    const [first, second, third] = written as [(typeof written)[0], (typeof written)[0], (typeof written)[0]];
    dataOf(
      (await graphql(stack.router, UPDATE, { id: first.id, input: { rating: 1 } }, first.token)).body,
      'updateReview',
    );
    await expectAggregateExact(productId);
    dataOf(
      (await graphql(stack.router, UPDATE, { id: second.id, input: { title: 'Same rating' } }, second.token)).body,
      'updateReview',
    );
    await expectAggregateExact(productId);
    dataOf((await graphql(stack.router, DELETE, { id: third.id }, third.token)).body, 'deleteReview');
    await expectAggregateExact(productId);
    const admin = await loginAs(stack.router, 'admin');
    dataOf((await graphql(stack.router, DELETE, { id: first.id }, admin)).body, 'deleteReview');
    await expectAggregateExact(productId);
    dataOf((await graphql(stack.router, DELETE, { id: second.id }, admin)).body, 'deleteReview');
    await expectAggregateExact(productId);
    expect(await stack.prisma.productRating.findUnique({ where: { productId } })).toMatchObject({
      reviewCount: 0,
      ratingSum: 0,
    });
  });

  it('lets authors edit and delete only their own reviews; admins delete any', async () => {
    const author = await buyer();
    const other = await buyer(author.productId);
    const { id } = dataOf<{ id: string }>(await create(author.token, review(author.productId, 2)), 'createReview');

    const edited = await graphql(
      stack.router,
      UPDATE,
      { id, input: { rating: 5, title: ' Changed my mind ' } },
      author.token,
    );
    expect(dataOf(edited.body, 'updateReview')).toEqual({
      id,
      rating: 5,
      title: 'Changed my mind',
      body: 'Works as described.',
    });
    await expectAggregateExact(author.productId);

    const invalid = await graphql(stack.router, UPDATE, { id, input: { body: ' ' } }, author.token);
    expect(invalid.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body' });

    expect(codes((await graphql(stack.router, UPDATE, { id, input: { rating: 1 } }, other.token)).body)).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes((await graphql(stack.router, DELETE, { id }, other.token)).body)).toEqual(['FORBIDDEN']);
    for (const unknown of [randomUUID(), 'not-a-uuid']) {
      expect(codes((await graphql(stack.router, DELETE, { id: unknown }, author.token)).body)).toEqual(['NOT_FOUND']);
      expect(
        codes((await graphql(stack.router, UPDATE, { id: unknown, input: { rating: 1 } }, author.token)).body),
      ).toEqual(['NOT_FOUND']);
    }
    await expectAggregateExact(author.productId);

    expect(dataOf((await graphql(stack.router, DELETE, { id }, author.token)).body, 'deleteReview')).toBe(id);
    await expectAggregateExact(author.productId);

    const second = dataOf<{ id: string }>(await create(other.token, review(other.productId, 1)), 'createReview');
    const admin = await loginAs(stack.router, 'admin');
    expect(dataOf((await graphql(stack.router, DELETE, { id: second.id }, admin)).body, 'deleteReview')).toBe(
      second.id,
    );
    expect(await stack.prisma.review.count({ where: { productId: author.productId } })).toBe(0);
    await expectAggregateExact(author.productId);
  });

  it('pages Product.reviews newest first without gaps or repeats', async () => {
    const productId = await fixture.product();
    for (let index = 0; index < 7; index += 1) {
      const { token } = await buyer(productId);
      dataOf(await create(token, review(productId, 1 + (index % 5))), 'createReview');
    }
    // Two reviews written in the same millisecond: the id must break the tie.
    const tied = await stack.prisma.review.findMany({ where: { productId }, take: 2 });
    await stack.prisma.review.updateMany({
      where: { id: { in: tied.map((row) => row.id) } },
      data: { createdAt: new Date('2025-01-01T00:00:00.000Z') },
    });
    const expected = await stack.prisma.review.findMany({
      where: { productId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await graphql(stack.router, PRODUCT, { id: productId, first: 3, after });
      const page = dataOf<{
        reviews: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: { node: { id: string } }[];
        };
      }>(body, 'product').reviews;
      expect(page.totalCount).toBe(7);
      seen.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((row) => row.id));

    const bad = await graphql(stack.router, PRODUCT, { id: productId, first: 3, after: 'nonsense' });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const tooMany = await graphql(stack.router, PRODUCT, { id: productId, first: 101 });
    expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it("lists a user's reviews through User.reviews", async () => {
    const { token, productId } = await buyer();
    const { id } = dataOf<{ id: string }>(await create(token, review(productId)), 'createReview');
    const { body } = await graphql(stack.router, '{ me { reviews { id title product { id } } } }', {}, token);
    expect(dataOf<{ reviews: unknown[] }>(body, 'me').reviews).toEqual([
      { id, title: 'Does the job', product: { id: productId } },
    ]);
  });

  it('seeds verified purchases for paid orders and rating aggregates equal to the reviews', async () => {
    const drift = await stack.prisma.$queryRaw<{ product_id: string }[]>`
      SELECT r.product_id FROM reviews.reviews r
      LEFT JOIN reviews.product_ratings a ON a.product_id = r.product_id
      GROUP BY r.product_id, a.review_count, a.rating_sum
      HAVING a.review_count IS DISTINCT FROM count(*)::int OR a.rating_sum IS DISTINCT FROM sum(r.rating)::int`;
    expect(drift).toEqual([]);
    const unverified = await stack.prisma.$queryRaw<{ id: string }[]>`
      SELECT r.id FROM reviews.reviews r JOIN users.users u ON u.id = r.user_id
      WHERE u.email LIKE '%@minishop.dev'
        AND NOT EXISTS (SELECT 1 FROM reviews.verified_purchases v WHERE v.user_id = r.user_id AND v.product_id = r.product_id)`;
    expect(unverified).toEqual([]);
  });
});
