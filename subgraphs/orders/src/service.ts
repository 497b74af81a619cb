import type { OrderStatus, Prisma, PrismaClient } from '@minishop/db';
import {
  checkPageSize,
  createByIdLoader,
  createGroupLoader,
  decodeTimeCursor,
  encodeTimeCursor,
  forbidden,
  isUuid,
  notFound,
  requireScopes,
  requireViewer,
  type BaseContext,
  type Viewer,
} from '@minishop/runtime';
import { ORDER_INCLUDE, type OrderWithItems } from './order-rows';

/** Seeing and managing every customer's orders (admin, ops). */
export const ORDERS_MANAGE = 'orders:manage';

export interface OrderConnection {
  edges: { cursor: string; node: OrderWithItems }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface OrderListArgs {
  first: number;
  after?: string | null;
  status?: OrderStatus | null;
}

const canManage = (viewer: Viewer) => viewer.scopes.includes(ORDERS_MANAGE);

/** Reading orders (Postgres schema `orders`) with the visibility rules: owner or orders:manage. */
export class OrderReader {
  constructor(private readonly prisma: PrismaClient) {}

  /** Orders with their lines. */
  findWithItems(ids: string[]): Promise<OrderWithItems[]> {
    return this.prisma.order.findMany({ where: { id: { in: ids } }, include: ORDER_INCLUDE });
  }

  /** Per-request loaders, so N orders in one request cost one query per relation. */
  createLoaders() {
    return {
      order: createByIdLoader((ids) => this.findWithItems(ids)),
      history: createGroupLoader(
        (ids) =>
          this.prisma.orderStatusChange.findMany({
            where: { orderId: { in: ids } },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          }),
        (row) => row.orderId,
      ),
      payments: createGroupLoader(
        (ids) =>
          this.prisma.paymentAttempt.findMany({
            where: { orderId: { in: ids } },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          }),
        (row) => row.orderId,
      ),
    };
  }

  /** An order its owner or an orders:manage holder may see; null otherwise (UNAUTHENTICATED when anonymous). */
  async visibleOrder(context: BaseContext & { loaders: OrderLoaders }, id: string): Promise<OrderWithItems | null> {
    const viewer = requireViewer(context);
    const order = await context.loaders.order.load(id);
    return order && (order.userId === viewer.userId || canManage(viewer)) ? order : null;
  }

  /** Like visibleOrder, but NOT_FOUND instead of null. */
  async requireVisibleOrder(viewer: Viewer, id: string): Promise<OrderWithItems> {
    const order = isUuid(id) ? await this.prisma.order.findUnique({ where: { id }, include: ORDER_INCLUDE }) : null;
    if (!order || (order.userId !== viewer.userId && !canManage(viewer))) throw notFound(`Order ${id} not found`);
    return order;
  }

  /** The viewer's own order; someone else's is NOT_FOUND (or FORBIDDEN for orders:manage holders). */
  async requireOwnOrder(viewer: Viewer, id: string): Promise<OrderWithItems> {
    const order = await this.requireVisibleOrder(viewer, id);
    if (order.userId !== viewer.userId) throw forbidden('Only the customer who placed the order can do this');
    return order;
  }

  /** A user's orders, newest first: the user themself or orders:manage (else FORBIDDEN). */
  userOrders(context: BaseContext, userId: string, args: OrderListArgs): Promise<OrderConnection> {
    const viewer = requireViewer(context);
    if (viewer.userId !== userId && !canManage(viewer)) throw forbidden('Only the user themself can see their orders');
    return this.list({ userId: isUuid(userId) ? userId : { in: [] } }, args);
  }

  /** Every order, newest first (orders:manage). */
  allOrders(context: BaseContext, args: OrderListArgs): Promise<OrderConnection> {
    requireScopes(context, ORDERS_MANAGE);
    return this.list({}, args);
  }

  private async list(where: Prisma.OrderWhereInput, args: OrderListArgs): Promise<OrderConnection> {
    const first = checkPageSize(args.first);
    const after = args.after ? decodeTimeCursor(args.after) : null;
    const rows = await this.prisma.order.findMany({
      where: {
        ...where,
        ...(args.status ? { status: args.status } : {}),
        ...(after
          ? {
              OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
      include: ORDER_INCLUDE,
    });
    const page = rows.slice(0, first);
    const edges = page.map((node) => ({ cursor: encodeTimeCursor({ at: node.createdAt, id: node.id }), node }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

export type OrderLoaders = ReturnType<OrderReader['createLoaders']>;
