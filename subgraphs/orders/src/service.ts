import type { PrismaClient } from '@minishop/db';
import { createByIdLoader } from '@minishop/runtime';

/** Orders rules and data access (Postgres schema `orders`). */
export class OrderService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Orders with their lines, in the order the lines were added. */
  findWithItems(ids: string[]) {
    return this.prisma.order.findMany({ where: { id: { in: ids } }, include: { items: { orderBy: { id: 'asc' } } } });
  }

  /** Per-request loaders, so N references in one request cost one query. */
  createLoaders() {
    return { order: createByIdLoader((ids) => this.findWithItems(ids)) };
  }
}

export type OrderLoaders = ReturnType<OrderService['createLoaders']>;
export type OrderWithItems = Awaited<ReturnType<OrderService['findWithItems']>>[number];
export type OrderItemRow = OrderWithItems['items'][number];
