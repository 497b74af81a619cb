import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { PrismaClient, Role } from '@minishop/db';
import { serveSubgraph, type RunningSubgraph } from '@minishop/runtime';
import { TokenIssuer } from '@minishop/users';
import { graphql, JWT, logger, scratchDir, userTokenIdentity } from '../../../router/test/harness';
import { createCouponsSubgraph } from '../src';
import { couponFixtures, eur, testPrisma } from './fixtures';

/** The coupons subgraph alone over HTTP, verifying real tokens signed by a test key. */
describe('coupons subgraph over HTTP', () => {
  let prisma: PrismaClient;
  let fixtures: ReturnType<typeof couponFixtures>;
  let subgraph: RunningSubgraph;
  let tokens: TokenIssuer;
  const scratch = scratchDir();

  beforeAll(async () => {
    prisma = testPrisma();
    fixtures = couponFixtures(prisma);
    tokens = await TokenIssuer.fromKeyFile(path.join(scratch.dir, 'key.json'), { ...JWT, ttlSeconds: 600 });
    subgraph = await serveSubgraph(createCouponsSubgraph({ prisma }), {
      port: 0,
      logger,
      identity: userTokenIdentity(tokens),
    });
  });
  afterAll(async () => {
    await subgraph?.stop();
    await fixtures.cleanup();
    await prisma.$disconnect();
    scratch.dispose();
  });

  const tokenFor = async (roles: Role[], id = randomUUID()) => (await tokens.issue({ id, roles })).token;
  const call = (query: string, variables: Record<string, unknown>, token?: string) =>
    graphql(subgraph.url, query, variables, token).then(({ body }) => body);
  const errorCodes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    (body.errors ?? []).map((error) => error.extensions?.['code']);

  const CREATE = `mutation($input: CreateCouponInput!) {
    createCoupon(input: $input) { code kind value currency minSubtotal maxRedemptions perUserLimit status active usage { redemptionCount remaining } }
  }`;
  const REDEEM = `mutation($code: String!, $orderId: ID!, $subtotal: MoneyInput!) {
    redeemCoupon(code: $code, orderId: $orderId, subtotal: $subtotal) { id orderId status discount { amount currency } coupon { code } }
  }`;
  const ENTITIES = `query($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Coupon { code active usage { redemptionCount } }
      ... on User { id coupons { code } }
    }
  }`;

  it('lets an admin create and list coupons with usage; others get FORBIDDEN or UNAUTHENTICATED', async () => {
    const adminToken = await tokenFor(['admin']);
    const code = fixtures.code();
    const input = { code: code.toLowerCase(), kind: 'FIXED', value: 500, currency: 'EUR', maxRedemptions: 3 };
    const created = await call(CREATE, { input }, adminToken);
    expect(created.errors).toBeUndefined();
    expect(created.data?.['createCoupon']).toEqual({
      code,
      kind: 'FIXED',
      value: 500,
      currency: 'EUR',
      minSubtotal: 0,
      maxRedemptions: 3,
      perUserLimit: 1,
      status: 'ACTIVE',
      active: true,
      usage: { redemptionCount: 0, remaining: 3 },
    });
    expect(errorCodes(await call(CREATE, { input }, adminToken))).toEqual(['CONFLICT']);
    expect(
      errorCodes(await call(CREATE, { input: { ...input, code: fixtures.code() } }, await tokenFor(['customer']))),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(CREATE, { input: { ...input, code: fixtures.code() } }))).toEqual(['UNAUTHENTICATED']);
    const invalid = await call(CREATE, { input: { ...input, code: fixtures.code(), currency: null } }, adminToken);
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currency' });

    const list = await call(
      '{ coupons(first: 100) { totalCount edges { node { code usage { remaining } } } } }',
      {},
      adminToken,
    );
    const edges = (
      list.data?.['coupons'] as { edges: { node: { code: string; usage: { remaining: number | null } } }[] }
    ).edges;
    expect(edges.find((edge) => edge.node.code === code)?.node.usage).toEqual({ remaining: 3 });
    expect(errorCodes(await call('{ coupons { totalCount } }', {}, await tokenFor(['ops'])))).toEqual(['FORBIDDEN']);
  });

  it('resolves Coupon references case-insensitively, hiding usage from customers', async () => {
    const { code } = await fixtures.insert({ maxRedemptions: 2 });
    const representations = [
      { __typename: 'Coupon', code: code.toLowerCase() },
      { __typename: 'Coupon', code: 'NO-SUCH-COUPON' },
    ];
    const body = await call(ENTITIES, { representations }, await tokenFor(['customer']));
    expect(body.data?.['_entities']).toEqual([{ code, active: true, usage: null }, null]);
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['_entities', 0, 'usage'], extensions: { code: 'FORBIDDEN' } }),
    ]);
  });

  it('claims a coupon for the viewer and shows it on User.coupons to them only', async () => {
    const { code } = await fixtures.insert();
    const userId = randomUUID();
    const token = await tokenFor(['customer'], userId);
    const claim = 'mutation($code: String!) { claimCoupon(code: $code) { code } }';
    expect((await call(claim, { code: code.toLowerCase() }, token)).data).toEqual({ claimCoupon: { code } });
    expect((await call(claim, { code }, token)).data).toEqual({ claimCoupon: { code } });
    expect(errorCodes(await call(claim, { code }))).toEqual(['UNAUTHENTICATED']);
    expect((await call(claim, { code: 'NO-SUCH-COUPON' }, token)).errors?.[0]?.extensions).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });

    const representations = [{ __typename: 'User', id: userId }];
    expect((await call(ENTITIES, { representations }, token)).data).toEqual({
      _entities: [{ id: userId, coupons: [{ code }] }],
    });
    expect(errorCodes(await call(ENTITIES, { representations }, await tokenFor(['customer'])))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(ENTITIES, { representations }))).toEqual(['UNAUTHENTICATED']);
  });

  it('validates a code against a subtotal with a discount or a reason', async () => {
    const { code } = await fixtures.insert({ value: 20, currency: 'EUR', minSubtotalAmount: 1000 });
    const validate = `query($code: String!, $subtotal: MoneyInput!) {
      validateCoupon(code: $code, subtotal: $subtotal) { valid reason discount { amount currency } coupon { code } }
    }`;
    expect((await call(validate, { code, subtotal: eur(1999) })).data).toEqual({
      validateCoupon: { valid: true, reason: null, discount: eur(399), coupon: { code } },
    });
    expect((await call(validate, { code, subtotal: eur(999) })).data).toEqual({
      validateCoupon: { valid: false, reason: 'MIN_SUBTOTAL_NOT_MET', discount: null, coupon: { code } },
    });
    expect((await call(validate, { code: 'nope!', subtotal: eur(999) })).data).toEqual({
      validateCoupon: { valid: false, reason: 'NOT_FOUND', discount: null, coupon: null },
    });
    const malformed = await call(validate, { code, subtotal: { amount: -5, currency: 'EUR' } });
    expect(malformed.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'subtotal.amount' });
  });

  it('redeems for the viewer once per order and releases it', async () => {
    const { code } = await fixtures.insert({ value: 10 });
    const userId = randomUUID();
    const token = await tokenFor(['customer'], userId);
    const variables = { code, orderId: randomUUID(), subtotal: eur(1234) };
    expect(errorCodes(await call(REDEEM, variables))).toEqual(['UNAUTHENTICATED']);
    const first = await call(REDEEM, variables, token);
    expect(first.data?.['redeemCoupon']).toMatchObject({ status: 'REDEEMED', discount: eur(123), coupon: { code } });
    expect((await call(REDEEM, variables, token)).data).toEqual(first.data);
    expect(await prisma.couponRedemption.findUnique({ where: { orderId: variables.orderId } })).toMatchObject({
      userId,
    });

    const release = 'mutation($orderId: ID!) { releaseCoupon(orderId: $orderId) }';
    expect(errorCodes(await call(release, { orderId: variables.orderId }, await tokenFor(['customer'])))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await call(release, { orderId: variables.orderId }, token)).data).toEqual({ releaseCoupon: true });
    expect((await call(release, { orderId: variables.orderId }, token)).data).toEqual({ releaseCoupon: true });
    expect((await prisma.coupon.findUniqueOrThrow({ where: { code } })).redemptionCount).toBe(0);
  });

  it('holds the global limit for 100 parallel requests of distinct customers', async () => {
    const { code } = await fixtures.insert({ maxRedemptions: 10 });
    const customers = await Promise.all(Array.from({ length: 100 }, () => tokenFor(['customer'])));
    const bodies = await Promise.all(
      customers.map((token) => call(REDEEM, { code, orderId: randomUUID(), subtotal: eur(5000) }, token)),
    );
    const refused = bodies.flatMap((body) => body.errors ?? []).map((error) => error.extensions);
    expect(bodies.filter((body) => body.data?.['redeemCoupon'])).toHaveLength(10);
    expect(refused).toEqual(Array.from({ length: 90 }, () => ({ code: 'CONFLICT', reason: 'USAGE_LIMIT_REACHED' })));
    expect((await prisma.coupon.findUniqueOrThrow({ where: { code } })).redemptionCount).toBe(10);
  }, 60_000);
});
