import { Prisma, type Coupon, type PrismaClient } from '@minishop/db';
import {
  badUserInput,
  checkPageSize,
  conflict,
  createGroupLoader,
  createKeyLoader,
  ErrorCode,
  forbidden,
  requireScopes,
  requireViewer,
  type Viewer,
} from '@minishop/runtime';
import { parseCreateCouponInput, parseMoney, type CreateCouponInput } from './coupon-input';
import { couponNotFound, rejectionError } from './rejections';
import {
  availabilityRejection,
  evaluateCoupon,
  isWellFormedCode,
  normalizeCode,
  remainingRedemptions,
  type CouponRejection,
  type Money,
} from './rules';

/** Creating and switching coupons, and reading their usage. */
const COUPONS_WRITE = 'coupons:write';

export interface CouponPage {
  rows: Coupon[];
  hasNextPage: boolean;
  totalCount: number;
}

export interface CouponValidation {
  valid: boolean;
  reason: CouponRejection | null;
  discount: Money | null;
  coupon: Coupon | null;
}

interface Caller {
  viewer: Viewer | null;
}

/** Coupons, their claims and their validation (Postgres schema `coupons`). Redemptions: see RedemptionService. */
export class CouponService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Per-request loaders, so N references or N users in one request cost one query each. */
  createLoaders() {
    return {
      coupon: createKeyLoader(
        (codes) => this.prisma.coupon.findMany({ where: { code: { in: codes } } }),
        (coupon) => coupon.code,
        isWellFormedCode,
      ),
      claims: createGroupLoader(
        (userIds) =>
          this.prisma.couponClaim.findMany({
            where: { userId: { in: userIds } },
            include: { coupon: true },
            orderBy: [{ claimedAt: 'desc' }, { couponCode: 'asc' }],
          }),
        (claim) => claim.userId,
      ),
    };
  }

  /** Coupons ordered by code, paged by cursor (coupons:write). */
  async list(caller: Caller, first: number, after?: string | null): Promise<CouponPage> {
    requireScopes(caller, COUPONS_WRITE);
    checkPageSize(first);
    const [rows, totalCount] = await Promise.all([
      this.prisma.coupon.findMany({
        where: after ? { code: { gt: decodeCouponCursor(after) } } : {},
        orderBy: { code: 'asc' },
        take: first + 1,
      }),
      this.prisma.coupon.count(),
    ]);
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  /** Creates a coupon (coupons:write); a code taken case-insensitively is CONFLICT. */
  async create(caller: Caller, input: CreateCouponInput): Promise<Coupon> {
    requireScopes(caller, COUPONS_WRITE);
    const data = parseCreateCouponInput(input, new Date());
    try {
      return await this.prisma.coupon.create({ data });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw conflict(`Coupon ${data.code} already exists`);
      }
      throw error;
    }
  }

  /** Clears or sets `disabled_at` (coupons:write); disabling twice keeps the first moment. */
  async setActive(caller: Caller, codeInput: string, active: boolean): Promise<Coupon> {
    requireScopes(caller, COUPONS_WRITE);
    const code = normalizeCode(codeInput);
    if (!isWellFormedCode(code)) throw couponNotFound();
    if (active) {
      await this.prisma.coupon.updateMany({ where: { code }, data: { disabledAt: null } });
    } else {
      await this.prisma.coupon.updateMany({ where: { code, disabledAt: null }, data: { disabledAt: new Date() } });
    }
    const coupon = await this.prisma.coupon.findUnique({ where: { code } });
    if (!coupon) throw couponNotFound();
    return coupon;
  }

  /** Usage figures are for coupons:write holders only. */
  usage(caller: Caller, coupon: Coupon): { redemptionCount: number; remaining: number | null } {
    requireScopes(caller, COUPONS_WRITE);
    return { redemptionCount: coupon.redemptionCount, remaining: remainingRedemptions(coupon) };
  }

  /**
   * Saves a coupon to the viewer's account; claiming again changes nothing. Unknown code:
   * NOT_FOUND; a coupon that cannot be used now: BAD_USER_INPUT with its `reason`.
   */
  async claim(viewer: Viewer, codeInput: string): Promise<Coupon> {
    const code = normalizeCode(codeInput);
    const coupon = isWellFormedCode(code) ? await this.prisma.coupon.findUnique({ where: { code } }) : null;
    if (!coupon) throw couponNotFound();
    const reason = availabilityRejection(coupon, new Date());
    if (reason) throw rejectionError(reason, ErrorCode.BadUserInput, { field: 'code' });
    // ON CONFLICT DO NOTHING: concurrent claims of the same coupon both succeed.
    await this.prisma.couponClaim.createMany({
      data: [{ couponCode: code, userId: viewer.userId }],
      skipDuplicates: true,
    });
    return coupon;
  }

  /** The coupons `userId` claimed: readable by that user and by coupons:write holders. */
  async claimedBy(caller: Caller & { loaders: CouponLoaders }, userId: string): Promise<Coupon[]> {
    const viewer = requireViewer(caller);
    if (viewer.userId !== userId && !viewer.scopes.includes(COUPONS_WRITE)) {
      throw forbidden('Only the user themself can see their coupons');
    }
    const claims = await caller.loaders.claims.load(userId);
    return claims.map((claim) => claim.coupon);
  }

  /**
   * Whether `codeInput` applies to `subtotal` now. Never throws for a coupon that does not apply
   * (the answer carries the reason); only a malformed subtotal is BAD_USER_INPUT.
   */
  async validate(
    caller: Caller & { loaders: CouponLoaders },
    codeInput: string,
    subtotalInput: Money,
  ): Promise<CouponValidation> {
    const subtotal = parseMoney(subtotalInput, 'subtotal');
    const coupon = await caller.loaders.coupon.load(normalizeCode(codeInput));
    const userRedemptions =
      coupon && caller.viewer
        ? await this.prisma.couponRedemption.count({
            where: { couponCode: coupon.code, userId: caller.viewer.userId, status: 'REDEEMED' },
          })
        : null;
    const decision = evaluateCoupon(coupon, { subtotal, now: new Date(), userRedemptions });
    return decision.valid
      ? { valid: true, reason: null, discount: decision.discount, coupon }
      : { valid: false, reason: decision.reason, discount: null, coupon };
  }
}

export type CouponLoaders = ReturnType<CouponService['createLoaders']>;

/** The admin list is paged by code; the cursor is the last code, opaque to clients. */
export function encodeCouponCursor(coupon: Pick<Coupon, 'code'>): string {
  return Buffer.from(coupon.code).toString('base64url');
}

function decodeCouponCursor(cursor: string): string {
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isWellFormedCode(code)) throw badUserInput('`after` is not a cursor returned by this API', { field: 'after' });
  return code;
}
