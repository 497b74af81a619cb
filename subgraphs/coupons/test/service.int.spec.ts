import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@minishop/db';
import type { Viewer } from '@minishop/runtime';
import type { CreateCouponInput } from '../src/coupon-input';
import { RedemptionService } from '../src/redemptions';
import { CouponService, encodeCouponCursor } from '../src/service';
import { admin, couponFixtures, customer, eur, HOUR, testPrisma, thrown } from './fixtures';

describe('CouponService against Postgres', () => {
  let prisma: PrismaClient;
  let service: CouponService;
  let redemptions: RedemptionService;
  let fixtures: ReturnType<typeof couponFixtures>;
  const staff = admin();

  beforeAll(() => {
    prisma = testPrisma();
    service = new CouponService(prisma);
    redemptions = new RedemptionService(prisma);
    fixtures = couponFixtures(prisma);
  });
  afterAll(async () => {
    await fixtures.cleanup();
    await prisma.$disconnect();
  });

  const as = (viewer: Viewer | null) => ({ viewer, loaders: service.createLoaders() });
  const createInput = (overrides: Partial<CreateCouponInput> = {}): CreateCouponInput => ({
    code: fixtures.code(),
    description: 'test coupon',
    kind: 'PERCENT',
    value: 10,
    minSubtotal: 0,
    perUserLimit: 1,
    active: true,
    ...overrides,
  });

  describe('admin', () => {
    it('creates a coupon with a lower-cased code stored upper case', async () => {
      const code = fixtures.code();
      const created = await service.create(
        as(staff),
        createInput({
          code: code.toLowerCase(),
          kind: 'FIXED',
          value: 500,
          currency: 'EUR',
          minSubtotal: 2500,
          maxRedemptions: 3,
        }),
      );
      expect(created).toMatchObject({ code, kind: 'FIXED', value: 500, currency: 'EUR', maxRedemptions: 3 });
      expect(await prisma.coupon.findUnique({ where: { code } })).toMatchObject({ minSubtotalAmount: 2500 });
    });

    it('refuses a duplicate code in any case (CONFLICT)', async () => {
      const input = createInput();
      await service.create(as(staff), input);
      const duplicate = await thrown(() =>
        service.create(as(staff), { ...input, code: ` ${input.code.toLowerCase()} ` }),
      );
      expect(duplicate.extensions['code']).toBe('CONFLICT');
    });

    it('names the bad field (BAD_USER_INPUT) and writes nothing', async () => {
      const input = createInput({ value: 150 });
      const error = await thrown(() => service.create(as(staff), input));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'value' });
      expect(await prisma.coupon.findUnique({ where: { code: input.code } })).toBeNull();
    });

    it('is for coupons:write holders only', async () => {
      expect((await thrown(() => service.create(as(customer()), createInput()))).extensions['code']).toBe('FORBIDDEN');
      expect((await thrown(() => service.create(as(null), createInput()))).extensions['code']).toBe('UNAUTHENTICATED');
      expect((await thrown(() => service.list(as(customer()), 10))).extensions['code']).toBe('FORBIDDEN');
      expect((await thrown(() => service.setActive(as(customer()), 'SAVE5', false))).extensions['code']).toBe(
        'FORBIDDEN',
      );
    });

    it('switches a coupon off and on; disabling twice keeps the first moment', async () => {
      const { code } = await fixtures.insert();
      const off = await service.setActive(as(staff), code.toLowerCase(), false);
      expect(off.disabledAt).toBeInstanceOf(Date);
      const again = await service.setActive(as(staff), code, false);
      expect(again.disabledAt).toEqual(off.disabledAt);
      expect((await service.setActive(as(staff), code, true)).disabledAt).toBeNull();
      expect((await thrown(() => service.setActive(as(staff), 'NO-SUCH-COUPON', true))).extensions['code']).toBe(
        'NOT_FOUND',
      );
    });

    it('lists coupons by code in pages with usage', async () => {
      const first = await service.list(as(staff), 2);
      expect(first.rows).toHaveLength(2);
      expect(first.hasNextPage).toBe(true);
      expect(first.totalCount).toBe(await prisma.coupon.count());
      const last = first.rows.at(-1)?.code ?? '';
      const second = await service.list(as(staff), 2, encodeCouponCursor({ code: last }));
      expect(second.rows.length).toBeGreaterThan(0);
      expect(second.rows.every((row) => row.code > last)).toBe(true);

      const limited = await fixtures.insert({ maxRedemptions: 5, redemptionCount: 2 });
      expect(service.usage(as(staff), limited)).toEqual({ redemptionCount: 2, remaining: 3 });
      expect(service.usage(as(staff), { ...limited, maxRedemptions: null })).toEqual({
        redemptionCount: 2,
        remaining: null,
      });
      expect(() => service.usage(as(customer()), limited)).toThrow('Requires scope coupons:write');
      expect((await thrown(() => service.list(as(staff), 0))).extensions).toMatchObject({ field: 'first' });
      expect((await thrown(() => service.list(as(staff), 10, 'bm9wZQ'))).extensions).toMatchObject({ field: 'after' });
    });
  });

  describe('claim', () => {
    it('saves a coupon to the account once, whatever the case and however often', async () => {
      const { code } = await fixtures.insert();
      const viewer = customer();
      await Promise.all([
        service.claim(viewer, code.toLowerCase()),
        service.claim(viewer, code),
        service.claim(viewer, code),
      ]);
      expect(await prisma.couponClaim.count({ where: { couponCode: code, userId: viewer.userId } })).toBe(1);
      expect((await service.claimedBy(as(viewer), viewer.userId)).map((coupon) => coupon.code)).toEqual([code]);
    });

    it('refuses unknown (NOT_FOUND) and unusable coupons (BAD_USER_INPUT with the reason)', async () => {
      const viewer = customer();
      expect((await thrown(() => service.claim(viewer, 'NOPE-NOT-A-COUPON'))).extensions).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect((await thrown(() => service.claim(viewer, 'bad code!'))).extensions['code']).toBe('NOT_FOUND');
      const now = Date.now();
      for (const [overrides, reason] of [
        [{ disabledAt: new Date(now) }, 'INACTIVE'],
        [{ startsAt: new Date(now + HOUR) }, 'NOT_STARTED'],
        [{ expiresAt: new Date(now - 1000) }, 'EXPIRED'],
      ] as const) {
        const { code } = await fixtures.insert(overrides);
        expect((await thrown(() => service.claim(viewer, code))).extensions).toEqual({
          code: 'BAD_USER_INPUT',
          field: 'code',
          reason,
        });
      }
      expect(await prisma.couponClaim.count({ where: { userId: viewer.userId } })).toBe(0);
    });

    it('shows claimed coupons to their owner and coupons:write holders only, newest first', async () => {
      const viewer = customer();
      const older = await fixtures.insert();
      const newer = await fixtures.insert();
      await service.claim(viewer, older.code);
      await service.claim(viewer, newer.code);
      expect((await service.claimedBy(as(staff), viewer.userId)).map((coupon) => coupon.code)).toEqual([
        newer.code,
        older.code,
      ]);
      expect((await thrown(() => service.claimedBy(as(customer()), viewer.userId))).extensions['code']).toBe(
        'FORBIDDEN',
      );
      expect((await thrown(() => service.claimedBy(as(null), viewer.userId))).extensions['code']).toBe(
        'UNAUTHENTICATED',
      );
      expect(await service.claimedBy(as(staff), randomUUID())).toEqual([]);
    });
  });

  describe('validate', () => {
    it('grants the discount of a valid coupon', async () => {
      const percent = await fixtures.insert({ value: 15 });
      expect(await service.validate(as(null), percent.code.toLowerCase(), eur(3333))).toMatchObject({
        valid: true,
        reason: null,
        discount: eur(499),
        coupon: { code: percent.code },
      });
      const fixed = await fixtures.insert({ kind: 'FIXED', value: 500, currency: 'EUR' });
      expect(await service.validate(as(null), fixed.code, eur(300))).toMatchObject({ valid: true, discount: eur(300) });
    });

    it('answers every rejection with its reason instead of an error', async () => {
      const now = Date.now();
      const cases = [
        [{ disabledAt: new Date(now) }, eur(5000), 'INACTIVE'],
        [{ startsAt: new Date(now + HOUR) }, eur(5000), 'NOT_STARTED'],
        [{ expiresAt: new Date(now - 1) }, eur(5000), 'EXPIRED'],
        [{ kind: 'FIXED', value: 500, currency: 'EUR' }, { amount: 5000, currency: 'USD' }, 'CURRENCY_MISMATCH'],
        [{ currency: 'EUR', minSubtotalAmount: 2500 }, eur(2499), 'MIN_SUBTOTAL_NOT_MET'],
        [{ maxRedemptions: 1, redemptionCount: 1 }, eur(5000), 'USAGE_LIMIT_REACHED'],
      ] as const;
      for (const [overrides, subtotal, reason] of cases) {
        const { code } = await fixtures.insert(overrides);
        expect(await service.validate(as(customer()), code, subtotal)).toMatchObject({
          valid: false,
          reason,
          discount: null,
          coupon: { code },
        });
      }
      expect(await service.validate(as(null), 'NO-SUCH-COUPON', eur(5000))).toEqual({
        valid: false,
        reason: 'NOT_FOUND',
        discount: null,
        coupon: null,
      });
      expect((await service.validate(as(null), '???', eur(5000))).reason).toBe('NOT_FOUND');
    });

    it("checks the viewer's own redemptions against the per-user limit", async () => {
      const { code } = await fixtures.insert({ perUserLimit: 1 });
      const viewer = customer();
      await redemptions.redeem({ code, userId: viewer.userId, orderId: randomUUID(), subtotal: eur(1000) });
      expect((await service.validate(as(viewer), code, eur(1000))).reason).toBe('USER_LIMIT_REACHED');
      expect((await service.validate(as(customer()), code, eur(1000))).valid).toBe(true);
      expect((await service.validate(as(null), code, eur(1000))).valid).toBe(true);
    });

    it('treats a malformed subtotal as an error naming the field', async () => {
      expect((await thrown(() => service.validate(as(null), 'SAVE5', eur(-1)))).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'subtotal.amount',
      });
      expect(
        (await thrown(() => service.validate(as(null), 'SAVE5', { amount: 1, currency: 'euros' }))).extensions,
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'subtotal.currency' });
    });
  });
});
