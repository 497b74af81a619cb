/**
 * Every process the container image runs, by the name given to it (`docker run minishop orders`,
 * `args: ["orders"]` in a manifest), with its entry point relative to the repo root. `seed` writes
 * demo data and belongs to local and compose setups only.
 */
export const PROCESS_ENTRIES = {
  router: 'router/src/main.ts',
  users: 'subgraphs/users/src/main.ts',
  products: 'subgraphs/products/src/main.ts',
  orders: 'subgraphs/orders/src/main.ts',
  reviews: 'subgraphs/reviews/src/main.ts',
  cart: 'subgraphs/cart/src/main.ts',
  coupons: 'subgraphs/coupons/src/main.ts',
  notifications: 'subgraphs/notifications/src/main.ts',
  workers: 'workers/src/main.ts',
  migrate: 'prisma/src/migrate.ts',
  seed: 'prisma/src/seed.ts',
  web: 'router/src/web-main.ts',
} as const;

export type ProcessName = keyof typeof PROCESS_ENTRIES;

export function isProcessName(name: string | undefined): name is ProcessName {
  return name !== undefined && Object.hasOwn(PROCESS_ENTRIES, name);
}
