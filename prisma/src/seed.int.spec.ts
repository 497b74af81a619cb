import { createTemporaryDatabase, query, runScript } from './test-helpers';

jest.setTimeout(120_000);

const TABLES = [
  'users.users',
  'products.categories',
  'products.products',
  'products.stock_adjustments',
  'coupons.coupons',
  'orders.orders',
  'orders.order_items',
  'reviews.reviews',
  'reviews.verified_purchases',
  'reviews.product_ratings',
  'coupons.coupon_redemptions',
  'notifications.notifications',
];

async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await query<{ count: number }>(databaseUrl, `SELECT count(*)::int AS count FROM ${table}`);
    counts[table] = row?.count ?? -1;
  }
  return counts;
}

function passwordHashes(databaseUrl: string): Promise<Array<{ email: string; password_hash: string }>> {
  return query(databaseUrl, 'SELECT email, password_hash FROM users.users ORDER BY email');
}

describe('seed', () => {
  let database: Awaited<ReturnType<typeof createTemporaryDatabase>>;

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    const migrate = await runScript('src/migrate.ts', { DATABASE_URL: database.url });
    expect(migrate.code).toBe(0);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('is idempotent: a second run changes no row counts and keeps password hashes', async () => {
    const first = await runScript('src/seed.ts', { DATABASE_URL: database.url });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const countsAfterFirst = await rowCounts(database.url);
    const hashesAfterFirst = await passwordHashes(database.url);

    const second = await runScript('src/seed.ts', { DATABASE_URL: database.url });
    expect(second).toMatchObject({ code: 0, stderr: '' });

    expect(await rowCounts(database.url)).toEqual(countsAfterFirst);
    expect(await passwordHashes(database.url)).toEqual(hashesAfterFirst);
    expect(countsAfterFirst).toMatchObject({ 'users.users': 6, 'products.products': 52, 'reviews.reviews': 15 });
    expect(second.stdout).toContain('customer@minishop.dev / customer123!');
  });

  it('keeps order totals consistent with their items and coupons', async () => {
    const orders = await query<{
      subtotal_amount: number;
      discount_amount: number;
      total_amount: number;
      items: number;
    }>(
      database.url,
      `SELECT o.subtotal_amount, o.discount_amount, o.total_amount,
              (SELECT sum(i.quantity * i.unit_price_amount)::int FROM orders.order_items i WHERE i.order_id = o.id) AS items
         FROM orders.orders o`,
    );

    expect(orders.length).toBeGreaterThan(0);
    for (const order of orders) {
      expect(order.items).toBe(order.subtotal_amount);
      expect(order.total_amount).toBe(order.subtotal_amount - order.discount_amount);
    }
  });
});
