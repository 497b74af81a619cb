import type { Prisma } from '@minishop/db';

/** What every order read includes: its lines, in the order they were written. */
export const ORDER_INCLUDE = { items: { orderBy: { id: 'asc' } } } as const satisfies Prisma.OrderInclude;

export type OrderWithItems = Prisma.OrderGetPayload<{ include: typeof ORDER_INCLUDE }>;
export type OrderItemRow = OrderWithItems['items'][number];
