import { callSubgraph, type CallerRequest, type SubgraphClientOptions } from '@minishop/runtime';
import { z } from 'zod';

export interface Money {
  amount: number;
  currency: string;
}

/** A coupon held by an order: its canonical code and the discount it grants. */
export interface CouponRedemption {
  code: string;
  discount: Money;
}

const redemption = z.object({
  coupon: z.object({ code: z.string() }),
  discount: z.object({ amount: z.number().int(), currency: z.string() }),
});

/** The coupons subgraph, over HTTP: redeeming a coupon for an order and giving it back. */
export class CouponsClient {
  private readonly options: SubgraphClientOptions;

  constructor(options: { url: string; timeoutMs?: number }) {
    this.options = { name: 'coupons service', ...options };
  }

  /**
   * Holds one redemption of `code` for the order (idempotent per order id). A coupon that does not
   * apply is CONFLICT with `reason`, an unknown code NOT_FOUND (relayed from coupons).
   */
  async redeemCoupon(
    code: string,
    orderId: string,
    subtotal: Money,
    request: CallerRequest,
  ): Promise<CouponRedemption> {
    const data = await callSubgraph(this.options, request, {
      query: `mutation Redeem($code: String!, $orderId: ID!, $subtotal: MoneyInput!) {
        redeemCoupon(code: $code, orderId: $orderId, subtotal: $subtotal) {
          coupon { code } discount { amount currency }
        }
      }`,
      variables: { code, orderId, subtotal },
      data: z.object({ redeemCoupon: redemption }),
    });
    return { code: data.redeemCoupon.coupon.code, discount: data.redeemCoupon.discount };
  }

  /** Gives the order's coupon back (idempotent; a no-op when the order has none). */
  async releaseCoupon(orderId: string, request: CallerRequest): Promise<void> {
    await callSubgraph(this.options, request, {
      query: 'mutation ReleaseCoupon($orderId: ID!) { releaseCoupon(orderId: $orderId) }',
      variables: { orderId },
      data: z.object({ releaseCoupon: z.boolean() }),
    });
  }
}
