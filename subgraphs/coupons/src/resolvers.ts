import type { Coupon } from '@minishop/db';
import { DateTimeScalar, requireViewer, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import type { CreateCouponInput } from './coupon-input';
import type { Redemption, RedemptionService } from './redemptions';
import { couponStatus, normalizeCode, type Money } from './rules';
import { encodeCouponCursor, type CouponLoaders, type CouponService } from './service';

export interface CouponsContext extends BaseContext {
  coupons: CouponService;
  redemptions: RedemptionService;
  loaders: CouponLoaders;
}

export const resolvers: SubgraphResolvers<CouponsContext> = {
  DateTime: DateTimeScalar,
  Query: {
    coupons: async (_: unknown, args: { first: number; after?: string | null }, ctx: CouponsContext) => {
      const page = await ctx.coupons.list(ctx, args.first, args.after);
      const edges = page.rows.map((node) => ({ cursor: encodeCouponCursor(node), node }));
      return {
        edges,
        totalCount: page.totalCount,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
    validateCoupon: (_: unknown, args: { code: string; subtotal: Money }, ctx: CouponsContext) =>
      ctx.coupons.validate(ctx, args.code, args.subtotal),
  },
  Mutation: {
    createCoupon: (_: unknown, args: { input: CreateCouponInput }, ctx: CouponsContext) =>
      ctx.coupons.create(ctx, args.input),
    setCouponActive: (_: unknown, args: { code: string; active: boolean }, ctx: CouponsContext) =>
      ctx.coupons.setActive(ctx, args.code, args.active),
    claimCoupon: (_: unknown, args: { code: string }, ctx: CouponsContext) =>
      ctx.coupons.claim(requireViewer(ctx), args.code),
    redeemCoupon: (_: unknown, args: { code: string; orderId: string; subtotal: Money }, ctx: CouponsContext) =>
      ctx.redemptions.redeem({ ...args, userId: requireViewer(ctx).userId }),
    releaseCoupon: (_: unknown, args: { orderId: string }, ctx: CouponsContext) =>
      ctx.redemptions.release(requireViewer(ctx), args.orderId),
  },
  Coupon: {
    __resolveReference: (ref: { code: string }, ctx: CouponsContext) =>
      ctx.loaders.coupon.load(normalizeCode(ref.code)),
    minSubtotal: (coupon: Coupon) => coupon.minSubtotalAmount,
    status: (coupon: Coupon) => couponStatus(coupon, new Date()),
    active: (coupon: Coupon) => couponStatus(coupon, new Date()) === 'ACTIVE',
    usage: (coupon: Coupon, _: unknown, ctx: CouponsContext) => ctx.coupons.usage(ctx, coupon),
  },
  CouponRedemption: {
    coupon: (redemption: Redemption, _: unknown, ctx: CouponsContext) => ctx.loaders.coupon.load(redemption.couponCode),
  },
  User: {
    coupons: (user: { id: string }, _: unknown, ctx: CouponsContext) => ctx.coupons.claimedBy(ctx, user.id),
  },
};
