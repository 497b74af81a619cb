import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from './index';
import { testDatabaseUrl } from './test-helpers';

describe('createPrismaClient on the migrated test database', () => {
  let prisma: PrismaClient;
  const sku = `TEST-${randomUUID()}`;

  beforeAll(() => {
    prisma = createPrismaClient(testDatabaseUrl());
  });

  afterAll(async () => {
    await prisma.product.deleteMany({ where: { sku } });
    await prisma.$disconnect();
  });

  async function createProduct(stock: number, reserved: number) {
    const category = await prisma.category.findFirstOrThrow({ where: { parentId: { not: null } } });
    return prisma.product.create({
      data: {
        sku,
        name: 'Constraint probe',
        priceAmount: 100,
        currency: 'EUR',
        stock,
        reserved,
        categoryId: category.id,
      },
    });
  }

  it('rejects a product reserving more than its stock, on create and on update', async () => {
    await expect(createProduct(2, 3)).rejects.toThrow(/products_reserved_within_stock_check/);

    const product = await createProduct(2, 2);
    await expect(prisma.product.update({ where: { id: product.id }, data: { reserved: 3 } })).rejects.toThrow(
      /products_reserved_within_stock_check/,
    );
    await expect(
      prisma.product.update({ where: { id: product.id }, data: { stock: { decrement: 1 } } }),
    ).rejects.toThrow(/products_reserved_within_stock_check/);
    expect(await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
      stock: 2,
      reserved: 2,
    });
  });
});
