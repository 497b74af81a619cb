import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@minishop/db';
import { RedemptionService } from '../src/redemptions';
import { admin, couponFixtures, customer, eur, testPrisma, thrown } from './fixtures';

// Bursts of parallel transactions: a generous limit for a busy 2-core machine (not a timing assertion).
const CONCURRENCY_TEST_TIMEOUT_MS = 60_000;

describe('RedemptionService against Postgres', () => {
  let prisma: PrismaClient;
  let service: RedemptionService;
  let fixtures: ReturnType<typeof couponFixtures>;

  beforeAll(() => {
    prisma = testPrisma();
    service = new RedemptionService(prisma);
    fixtures = couponFixtures(prisma);
  });
  afterAll(async () => {
    await fixtures.cleanup();
    await prisma.$disconnect();
  });

  const redemptionCount = async (code: string) =>
    (await prisma.coupon.findUniqueOrThrow({ where: { code } })).redemptionCount;
  const held = (code: string) => prisma.couponRedemption.count({ where: { couponCode: code, status: 'REDEEMED' } });

  /** Settles every attempt and tallies the outcomes: 'REDEEMED' or the error's code/reason. */
  async function outcomes(attempts: Promise<unknown>[]): Promise<Record<string, number>> {
    const tally: Record<string, number> = {};
    for (const result of await Promise.allSettled(attempts)) {
      let key = 'REDEEMED';
      if (result.status === 'rejected') {
        const extensions = (result.reason as { extensions?: Record<string, unknown> }).extensions ?? {};
        key = `${String(extensions['code'])}/${String(extensions['reason'])}`;
      }
      tally[key] = (tally[key] ?? 0) + 1;
    }
    return tally;
  }

  it('redeems once per order: a repeat returns the same redemption and counts once', async () => {
    const { code } = await fixtures.insert({ value: 10 });
    const request = { code: code.toLowerCase(), userId: randomUUID(), orderId: randomUUID(), subtotal: eur(2599) };
    const first = await service.redeem(request);
    expect(first).toMatchObject({ couponCode: code, orderId: request.orderId, status: 'REDEEMED', discount: eur(259) });
    const again = await service.redeem(request);
    expect(again.id).toBe(first.id);
    expect(await redemptionCount(code)).toBe(1);
  });

  it('answers concurrent repeats of one order with one redemption', async () => {
    const { code } = await fixtures.insert();
    const request = { code, userId: randomUUID(), orderId: randomUUID(), subtotal: eur(1000) };
    const results = await Promise.all(Array.from({ length: 10 }, () => service.redeem(request)));
    expect(new Set(results.map((redemption) => redemption.id)).size).toBe(1);
    expect(await redemptionCount(code)).toBe(1);
  });

  it('refuses another coupon, or another user, for an order that has one (CONFLICT)', async () => {
    const first = await fixtures.insert();
    const second = await fixtures.insert();
    const request = { code: first.code, userId: randomUUID(), orderId: randomUUID(), subtotal: eur(1000) };
    await service.redeem(request);
    expect((await thrown(() => service.redeem({ ...request, code: second.code }))).extensions['code']).toBe('CONFLICT');
    expect((await thrown(() => service.redeem({ ...request, userId: randomUUID() }))).extensions['code']).toBe(
      'CONFLICT',
    );
    expect(await redemptionCount(second.code)).toBe(0);
  });

  it('refuses a coupon that does not apply (CONFLICT with the reason) and an unknown one (NOT_FOUND)', async () => {
    const { code } = await fixtures.insert({ currency: 'EUR', minSubtotalAmount: 5000 });
    const request = { code, userId: randomUUID(), orderId: randomUUID(), subtotal: eur(4999) };
    expect((await thrown(() => service.redeem(request))).extensions).toEqual({
      code: 'CONFLICT',
      reason: 'MIN_SUBTOTAL_NOT_MET',
    });
    expect((await thrown(() => service.redeem({ ...request, code: 'NO-SUCH-COUPON' }))).extensions).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    expect((await thrown(() => service.redeem({ ...request, orderId: 'order-1' }))).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'orderId',
    });
    expect(await prisma.couponRedemption.count({ where: { orderId: request.orderId } })).toBe(0);
  });

  it('releases idempotently, freeing the global and the per-user slot', async () => {
    const { code } = await fixtures.insert({ maxRedemptions: 1, perUserLimit: 1 });
    const owner = customer();
    const request = { code, userId: owner.userId, orderId: randomUUID(), subtotal: eur(1000) };
    await service.redeem(request);
    const next = { ...request, orderId: randomUUID() };
    expect((await thrown(() => service.redeem(next))).extensions['reason']).toBe('USAGE_LIMIT_REACHED');

    const releases = await Promise.all([
      service.release(owner, request.orderId),
      service.release(owner, request.orderId),
    ]);
    expect(releases).toEqual([true, true]);
    expect(await service.release(owner, request.orderId)).toBe(true);
    expect(await redemptionCount(code)).toBe(0);
    expect(await prisma.couponRedemption.findUnique({ where: { orderId: request.orderId } })).toMatchObject({
      status: 'RELEASED',
      releasedAt: expect.any(Date),
    });

    expect((await service.redeem(next)).status).toBe('REDEEMED');
    expect(await redemptionCount(code)).toBe(1);
    expect((await thrown(() => service.redeem(request))).extensions['code']).toBe('CONFLICT');
  });

  it('lets only the redeeming user or an orders:manage holder release', async () => {
    const { code } = await fixtures.insert();
    const owner = customer();
    const orderId = randomUUID();
    await service.redeem({ code, userId: owner.userId, orderId, subtotal: eur(1000) });
    expect((await thrown(() => service.release(customer(), orderId))).extensions['code']).toBe('FORBIDDEN');
    expect(await redemptionCount(code)).toBe(1);
    expect(await service.release(admin(), orderId)).toBe(true);
    expect(await redemptionCount(code)).toBe(0);
    expect(await service.release(owner, randomUUID())).toBe(false);
    expect(await service.release(owner, 'not-a-uuid')).toBe(false);
  });

  it('keeps redemption_count equal to the held redemptions of every coupon, seeded ones included', async () => {
    // One statement, one snapshot: a redemption and its count change commit together.
    const drift = await prisma.$queryRaw<{ code: string }[]>`
      SELECT c.code FROM coupons.coupons c
       WHERE c.redemption_count <> (SELECT count(*) FROM coupons.coupon_redemptions r
                                     WHERE r.coupon_code = c.code AND r.status = 'REDEEMED')`;
    expect(drift).toEqual([]);
    expect(await redemptionCount('WELCOME10')).toBeGreaterThanOrEqual(1);
  });

  describe('limits under concurrency', () => {
    it(
      '100 parallel redemptions by distinct users of a coupon limited to 10 hold exactly 10',
      async () => {
        const { code } = await fixtures.insert({ maxRedemptions: 10, perUserLimit: 1 });
        const attempts = Array.from({ length: 100 }, () =>
          service.redeem({ code, userId: randomUUID(), orderId: randomUUID(), subtotal: eur(5000) }),
        );
        expect(await outcomes(attempts)).toEqual({ REDEEMED: 10, 'CONFLICT/USAGE_LIMIT_REACHED': 90 });
        expect(await held(code)).toBe(10);
        expect(await redemptionCount(code)).toBe(10);
      },
      CONCURRENCY_TEST_TIMEOUT_MS,
    );

    it(
      '20 parallel orders of one user with a per-user limit of 2 hold exactly 2',
      async () => {
        const { code } = await fixtures.insert({ perUserLimit: 2 });
        const userId = randomUUID();
        const attempts = Array.from({ length: 20 }, () =>
          service.redeem({ code, userId, orderId: randomUUID(), subtotal: eur(5000) }),
        );
        expect(await outcomes(attempts)).toEqual({ REDEEMED: 2, 'CONFLICT/USER_LIMIT_REACHED': 18 });
        expect(await prisma.couponRedemption.count({ where: { couponCode: code, userId, status: 'REDEEMED' } })).toBe(
          2,
        );
        expect(await redemptionCount(code)).toBe(2);
      },
      CONCURRENCY_TEST_TIMEOUT_MS,
    );

    it(
      'parallel releases and redemptions keep the count equal to the held redemptions',
      async () => {
        const { code } = await fixtures.insert({ maxRedemptions: 5 });
        const first = await Promise.all(
          Array.from({ length: 5 }, () =>
            service.redeem({ code, userId: randomUUID(), orderId: randomUUID(), subtotal: eur(100) }),
          ),
        );
        await Promise.allSettled([
          ...first.map((redemption) => service.release(customer(redemption.userId), redemption.orderId)),
          ...Array.from({ length: 20 }, () =>
            service.redeem({ code, userId: randomUUID(), orderId: randomUUID(), subtotal: eur(100) }),
          ),
        ]);
        expect(await redemptionCount(code)).toBe(await held(code));
        expect(await held(code)).toBeLessThanOrEqual(5);
      },
      CONCURRENCY_TEST_TIMEOUT_MS,
    );
  });
});
