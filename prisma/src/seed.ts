import { createHash } from 'node:crypto';
import { hashPassword } from '@minishop/users/src/password';
import { databaseUrlFrom } from './config';
import { runCli } from './cli';
import { createPrismaClient, type PrismaClient } from './index';
import {
  CATEGORIES,
  COUPONS,
  CURRENCY,
  NOTIFICATIONS,
  ORDERS,
  PRODUCTS,
  REVIEWS,
  USERS,
  type CouponSeed,
  type OrderSeed,
} from './seed-data';

type Ids = Map<string, string>;

/**
 * `npm run seed`: idempotent demo data. Rows are upserted by natural key (slug, sku, email, code,
 * user+product) or by ids derived from a stable key, so running it again changes no row counts.
 */
async function main(): Promise<void> {
  const prisma = createPrismaClient(databaseUrlFrom(process.env));
  try {
    const categories = await seedCategories(prisma);
    const products = await seedProducts(prisma, categories);
    const users = await seedUsers(prisma);
    await seedInitialStockAdjustments(prisma, idOf(users, 'admin@minishop.dev'));
    await seedCoupons(prisma);
    await seedOrders(prisma, users, products);
    await seedCouponRedemptions(prisma);
    await seedVerifiedPurchases(prisma);
    await seedReviews(prisma, users, products);
    await seedNotifications(prisma, users);
    await recomputeProductRatings(prisma);
    await printSummary(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

/** A deterministic UUID (v5 layout over SHA-1) so a fresh database gets the same ids every time. */
function seedId(kind: string, key: string): string {
  const hash = createHash('sha1').update(`minishop-seed:${kind}:${key}`).digest();
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.subarray(0, 16).toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

function idOf(ids: Ids, key: string): string {
  const id = ids.get(key);
  if (!id) throw new Error(`seed data refers to unknown key "${key}"`);
  return id;
}

/** Parents come before their children in CATEGORIES. */
async function seedCategories(prisma: PrismaClient): Promise<Ids> {
  const ids: Ids = new Map();
  for (const { slug, name, parent } of CATEGORIES) {
    const parentId = parent ? idOf(ids, parent) : null;
    const row = await prisma.category.upsert({
      where: { slug },
      create: { id: seedId('category', slug), slug, name, parentId },
      update: { name, parentId },
    });
    ids.set(slug, row.id);
  }
  return ids;
}

/** Stock and reservations are only set on create: orders placed since must not be overwritten. */
async function seedProducts(prisma: PrismaClient, categories: Ids): Promise<Ids> {
  const ids: Ids = new Map();
  for (const product of PRODUCTS) {
    const catalog = {
      name: product.name,
      description: product.description,
      priceAmount: product.price,
      currency: CURRENCY,
      status: product.status ?? 'ACTIVE',
      categoryId: idOf(categories, product.category),
    };
    const row = await prisma.product.upsert({
      where: { sku: product.sku },
      create: { id: seedId('product', product.sku), sku: product.sku, stock: product.stock, ...catalog },
      update: catalog,
    });
    ids.set(product.sku, row.id);
  }
  return ids;
}

/** Passwords are hashed only for new users: scrypt is deliberately slow, and re-seeding keeps hashes. */
async function seedUsers(prisma: PrismaClient): Promise<Ids> {
  const ids: Ids = new Map();
  for (const { email, name, password, roles } of USERS) {
    const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
    const row = existing
      ? await prisma.user.update({ where: { email }, data: { name, roles } })
      : await prisma.user.create({
          data: { id: seedId('user', email), email, name, roles, passwordHash: await hashPassword(password) },
        });
    ids.set(email, row.id);
  }
  return ids;
}

/** The stock history starts with how each product got its stock: one "Initial stock" entry, once. */
async function seedInitialStockAdjustments(prisma: PrismaClient, adminId: string): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO products.stock_adjustments (id, product_id, delta, reason, stock_after, actor_id)
    SELECT gen_random_uuid(), p.id, p.stock, 'Initial stock', p.stock, ${adminId}::uuid
    FROM products.products p
    WHERE p.stock > 0 AND NOT EXISTS (SELECT 1 FROM products.stock_adjustments a WHERE a.product_id = p.id)`;
}

async function seedCoupons(prisma: PrismaClient): Promise<void> {
  for (const coupon of COUPONS) {
    const data = couponData(coupon);
    const disabledAt = coupon.disabled ? new Date('2025-01-01T00:00:00Z') : null;
    await prisma.coupon.upsert({
      where: { code: coupon.code },
      create: { code: coupon.code, ...data, disabledAt },
      update: data,
    });
  }
}

/**
 * The seeded orders that used a coupon (and are not cancelled) hold one redemption each, counted in `redemption_count`
 * as the coupons service would have done. Inserted once (ON CONFLICT on the order id).
 */
async function seedCouponRedemptions(prisma: PrismaClient): Promise<void> {
  const orders = await prisma.order.findMany({
    where: {
      id: { in: ORDERS.map((order) => seedId('order', order.key)) },
      couponCode: { not: null },
      status: { not: 'CANCELLED' },
    },
  });
  for (const order of orders) {
    if (!order.couponCode) continue;
    const couponCode = order.couponCode;
    await prisma.$transaction(async (tx) => {
      const inserted = await tx.couponRedemption.createMany({
        data: [
          {
            id: seedId('coupon-redemption', order.id),
            couponCode,
            userId: order.userId,
            orderId: order.id,
            discountAmount: order.discountAmount,
            createdAt: order.createdAt,
          },
        ],
        skipDuplicates: true,
      });
      if (inserted.count > 0) {
        await tx.coupon.update({ where: { code: couponCode }, data: { redemptionCount: { increment: 1 } } });
      }
    });
  }
}

function couponData(coupon: CouponSeed) {
  return {
    description: coupon.description,
    kind: coupon.kind,
    value: coupon.value,
    currency: coupon.currency ?? null,
    minSubtotalAmount: coupon.minSubtotalAmount ?? 0,
    maxRedemptions: coupon.maxRedemptions ?? null,
    perUserLimit: coupon.perUserLimit ?? 1,
    startsAt: coupon.startsAt ?? null,
    expiresAt: coupon.expiresAt ?? null,
  };
}

/** Orders are created once and then left alone (their status may have moved on since). */
async function seedOrders(prisma: PrismaClient, users: Ids, products: Ids): Promise<void> {
  for (const order of ORDERS) {
    const items = order.items.map(([sku, quantity], index) => ({
      id: seedId('order-item', `${order.key}:${index}`),
      productId: idOf(products, sku),
      quantity,
      unitPriceAmount: priceOf(sku),
    }));
    const subtotalAmount = items.reduce((sum, item) => sum + item.quantity * item.unitPriceAmount, 0);
    const discountAmount = discountFor(order, subtotalAmount);
    await prisma.order.upsert({
      where: { id: seedId('order', order.key) },
      update: {},
      create: {
        id: seedId('order', order.key),
        userId: idOf(users, order.user),
        status: order.status,
        subtotalAmount,
        discountAmount,
        totalAmount: subtotalAmount - discountAmount,
        currency: CURRENCY,
        couponCode: order.coupon ?? null,
        createdAt: order.createdAt,
        items: { create: items },
      },
    });
  }
}

function priceOf(sku: string): number {
  const product = PRODUCTS.find((candidate) => candidate.sku === sku);
  if (!product) throw new Error(`seed order refers to unknown SKU "${sku}"`);
  return product.price;
}

function discountFor(order: OrderSeed, subtotalAmount: number): number {
  if (!order.coupon) return 0;
  const coupon = COUPONS.find((candidate) => candidate.code === order.coupon);
  if (!coupon) throw new Error(`seed order ${order.key} uses unknown coupon "${order.coupon}"`);
  const discount = coupon.kind === 'PERCENT' ? Math.round((subtotalAmount * coupon.value) / 100) : coupon.value;
  return Math.min(discount, subtotalAmount);
}

/** What the order-event consumer would have recorded for the seeded orders that were paid (once per item). */
async function seedVerifiedPurchases(prisma: PrismaClient): Promise<void> {
  const orders = await prisma.order.findMany({
    where: {
      id: { in: ORDERS.map((order) => seedId('order', order.key)) },
      status: { in: ['PAID', 'SHIPPED', 'DELIVERED'] },
    },
    include: { items: { select: { productId: true } } },
  });
  await prisma.verifiedPurchase.createMany({
    data: orders.flatMap((order) =>
      order.items.map((item) => ({
        userId: order.userId,
        productId: item.productId,
        orderId: order.id,
        createdAt: order.createdAt,
      })),
    ),
    skipDuplicates: true,
  });
}

async function seedReviews(prisma: PrismaClient, users: Ids, products: Ids): Promise<void> {
  for (const { user, sku, rating, title, body, createdAt } of REVIEWS) {
    const userId = idOf(users, user);
    const productId = idOf(products, sku);
    await prisma.review.upsert({
      where: { userId_productId: { userId, productId } },
      create: { id: seedId('review', `${user}:${sku}`), userId, productId, rating, title, body, createdAt },
      update: { rating, title, body },
    });
  }
}

/**
 * The seed writes reviews without the reviews service, so the rating aggregates are rebuilt from the
 * reviews at the end, in one statement (products whose reviews are all gone drop back to zero).
 */
async function recomputeProductRatings(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO reviews.product_ratings (product_id, review_count, rating_sum)
    SELECT p.product_id, count(r.id), coalesce(sum(r.rating), 0)
    FROM (SELECT product_id FROM reviews.reviews UNION SELECT product_id FROM reviews.product_ratings) p
    LEFT JOIN reviews.reviews r ON r.product_id = p.product_id
    GROUP BY p.product_id
    ON CONFLICT (product_id) DO UPDATE
      SET review_count = EXCLUDED.review_count, rating_sum = EXCLUDED.rating_sum`;
}

/** Created once; later runs keep whatever the user has marked read since. */
async function seedNotifications(prisma: PrismaClient, users: Ids): Promise<void> {
  for (const { key, user, kind, title, body, createdAt, read } of NOTIFICATIONS) {
    const id = seedId('notification', key);
    await prisma.notification.upsert({
      where: { id },
      update: {},
      create: { id, userId: idOf(users, user), kind, title, body, createdAt, readAt: read ? createdAt : null },
    });
  }
}

async function printSummary(prisma: PrismaClient): Promise<void> {
  const counts = {
    categories: await prisma.category.count(),
    products: await prisma.product.count(),
    users: await prisma.user.count(),
    coupons: await prisma.coupon.count(),
    orders: await prisma.order.count(),
    reviews: await prisma.review.count(),
    notifications: await prisma.notification.count(),
  };
  console.log(
    `seed: ${Object.entries(counts)
      .map(([table, count]) => `${count} ${table}`)
      .join(', ')}`,
  );
  console.log('seed: DEV-ONLY logins (public demo credentials, never use them outside local/test databases):');
  for (const { email, password, roles } of USERS) console.log(`  ${email} / ${password} (${roles.join(', ')})`);
}

runCli(main);
