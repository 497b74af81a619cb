import { DateTimeScalar, type BaseContext, type SubgraphResolvers } from '@minishop/runtime';
import { isActive, normalizeCode, type CouponLoaders, type CouponState } from './service';

export interface CouponsContext extends BaseContext {
  loaders: CouponLoaders;
}

export const resolvers: SubgraphResolvers<CouponsContext> = {
  DateTime: DateTimeScalar,
  Coupon: {
    __resolveReference: (ref: { code: string }, { loaders }: CouponsContext) =>
      loaders.coupon.load(normalizeCode(ref.code)),
    minSubtotal: (coupon: { minSubtotalAmount: number }) => coupon.minSubtotalAmount,
    active: (coupon: CouponState) => isActive(coupon),
  },
};
