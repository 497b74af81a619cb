import { graphql, loginAs, registerCustomer, startStack, type GraphQLBody } from '../../../router/test/harness';
import { couponFixtures, eur } from './fixtures';

type Stack = Awaited<ReturnType<typeof startStack>>;

const CREATE = `mutation($input: CreateCouponInput!) {
  createCoupon(input: $input) { code kind value currency status usage { redemptionCount remaining } }
}`;
const CLAIM = 'mutation($code: String!) { claimCoupon(code: $code) { code } }';
const VALIDATE = `query($code: String!, $subtotal: MoneyInput!) {
  validateCoupon(code: $code, subtotal: $subtotal) { valid reason discount { amount currency } coupon { code description } }
}`;
const MY_COUPONS = '{ me { id coupons { code active } } }';

const codes = (body: GraphQLBody) => (body.errors ?? []).map((error) => error.extensions?.['code']);

describe('coupons through the router', () => {
  let stack: Stack;
  let fixtures: ReturnType<typeof couponFixtures>;
  let adminToken: string;

  beforeAll(async () => {
    stack = await startStack();
    fixtures = couponFixtures(stack.prisma);
    adminToken = await loginAs(stack.router, 'admin');
  }, 30_000);
  afterAll(async () => {
    await fixtures?.cleanup();
    await stack?.stop();
  });

  it('lets an admin create a coupon; a customer is FORBIDDEN and an anonymous caller UNAUTHENTICATED', async () => {
    const input = { code: fixtures.code().toLowerCase(), kind: 'PERCENT', value: 25, maxRedemptions: 50 };
    const created = await graphql(stack.router, CREATE, { input }, adminToken);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.['createCoupon']).toEqual({
      code: input.code.toUpperCase(),
      kind: 'PERCENT',
      value: 25,
      currency: null,
      status: 'ACTIVE',
      usage: { redemptionCount: 0, remaining: 50 },
    });

    const other = { ...input, code: fixtures.code() };
    const customerToken = await loginAs(stack.router, 'customer');
    expect(codes((await graphql(stack.router, CREATE, { input: other }, customerToken)).body)).toEqual(['FORBIDDEN']);
    expect(codes((await graphql(stack.router, CREATE, { input: other })).body)).toEqual(['UNAUTHENTICATED']);
    expect(await stack.prisma.coupon.findUnique({ where: { code: other.code } })).toBeNull();
  });

  it('lets a customer claim a coupon and see it on `me { coupons }`', async () => {
    const { code } = await fixtures.insert({ description: 'router test coupon' });
    const shopper = await registerCustomer(stack.router);
    expect((await graphql(stack.router, MY_COUPONS, {}, shopper.token)).body.data).toEqual({
      me: { id: shopper.userId, coupons: [] },
    });
    const claimed = await graphql(stack.router, CLAIM, { code: code.toLowerCase() }, shopper.token);
    expect(claimed.body.data).toEqual({ claimCoupon: { code } });
    expect((await graphql(stack.router, MY_COUPONS, {}, shopper.token)).body.data).toEqual({
      me: { id: shopper.userId, coupons: [{ code, active: true }] },
    });
    expect(codes((await graphql(stack.router, CLAIM, { code })).body)).toEqual(['UNAUTHENTICATED']);

    const expired = await fixtures.insert({ expiresAt: new Date(Date.now() - 60_000) });
    const refused = await graphql(stack.router, CLAIM, { code: expired.code }, shopper.token);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'code',
      reason: 'EXPIRED',
    });
  });

  it('validates the seeded coupons against a subtotal', async () => {
    const shopper = await registerCustomer(stack.router);
    const validate = async (code: string, amount: number) =>
      (await graphql(stack.router, VALIDATE, { code, subtotal: eur(amount) }, shopper.token)).body;
    expect((await validate('welcome10', 4999)).data).toEqual({
      validateCoupon: {
        valid: true,
        reason: null,
        discount: eur(499),
        coupon: { code: 'WELCOME10', description: '10% off your first order' },
      },
    });
    expect((await validate('SAVE5', 2499)).data?.['validateCoupon']).toMatchObject({
      valid: false,
      reason: 'MIN_SUBTOTAL_NOT_MET',
    });
    expect((await validate('SUMMER15', 5000)).data?.['validateCoupon']).toMatchObject({
      valid: false,
      reason: 'EXPIRED',
    });
    expect((await validate('NEWYEAR2030', 5000)).data?.['validateCoupon']).toMatchObject({ reason: 'NOT_STARTED' });
    expect((await validate('STAFF50', 5000)).data?.['validateCoupon']).toMatchObject({ reason: 'INACTIVE' });
    expect((await validate('NOPE', 5000)).data?.['validateCoupon']).toEqual({
      valid: false,
      reason: 'NOT_FOUND',
      discount: null,
      coupon: null,
    });
  });

  it("checks the viewer's own redemptions: the seeded customer already used WELCOME10", async () => {
    const customerToken = await loginAs(stack.router, 'customer');
    const { body } = await graphql(stack.router, VALIDATE, { code: 'WELCOME10', subtotal: eur(5000) }, customerToken);
    expect(body.data?.['validateCoupon']).toMatchObject({ valid: false, reason: 'USER_LIMIT_REACHED' });
  });

  it('keeps the internal redeem and release mutations out of the public API', async () => {
    const customerToken = await loginAs(stack.router, 'customer');
    const redeem = await graphql(
      stack.router,
      'mutation { redeemCoupon(code: "WELCOME10", orderId: "00000000-0000-4000-8000-000000000000", subtotal: { amount: 1, currency: "EUR" }) { id } }',
      {},
      customerToken,
    );
    expect(codes(redeem.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const release = await graphql(
      stack.router,
      'mutation { releaseCoupon(orderId: "00000000-0000-4000-8000-000000000000") }',
      {},
      customerToken,
    );
    expect(codes(release.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
