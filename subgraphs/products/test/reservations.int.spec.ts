import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@minishop/db';
import { GraphQLError } from 'graphql';
import { StockService } from '../src/stock-service';
import {
  catalogFixture,
  errorCodes,
  serveProducts,
  viewers,
  type CatalogFixture,
  type ProductsServer,
} from './fixtures';

describe('stock reservations for orders', () => {
  let prisma: PrismaClient;
  let fixture: CatalogFixture;
  let stock: StockService;
  let categoryId: string;

  beforeAll(async () => {
    prisma = createPrismaClient(String(process.env.DATABASE_URL));
    fixture = catalogFixture(prisma);
    stock = new StockService(prisma);
    categoryId = await fixture.category('Reservation tests');
  });

  afterAll(async () => {
    await fixture?.cleanup();
    await prisma?.$disconnect();
  });

  const staff = viewers.ops();
  const sorted = (...ids: string[]) => [...ids].sort();

  async function counters(...ids: string[]) {
    const rows = await prisma.product.findMany({ where: { id: { in: ids } }, select: { id: true, reserved: true } });
    return Object.fromEntries(rows.map((row) => [row.id, row.reserved]));
  }

  async function errorOf(run: () => Promise<unknown>): Promise<GraphQLError> {
    const error = await run().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  }

  it('holds every line of an order and answers the same reservation when repeated', async () => {
    const a = await fixture.product({ categoryId, stock: 10 });
    const b = await fixture.product({ categoryId, stock: 10, reserved: 1 });
    const orderId = randomUUID();

    const first = await stock.reserveForOrder(orderId, [
      { productId: b, quantity: 2 },
      { productId: a, quantity: 3 },
    ]);
    const expected = sorted(a, b).map((productId) => ({
      productId,
      quantity: productId === a ? 3 : 2,
      status: 'RESERVED',
    }));
    expect(first).toEqual({ orderId, lines: expected });
    expect(await counters(a, b)).toEqual({ [a]: 3, [b]: 3 });

    // A retry, lines reordered and one product split over two lines: nothing is held twice.
    const again = await stock.reserveForOrder(orderId.toUpperCase(), [
      { productId: a, quantity: 1 },
      { productId: b, quantity: 2 },
      { productId: a, quantity: 2 },
    ]);
    expect(again).toEqual(first);
    expect(await counters(a, b)).toEqual({ [a]: 3, [b]: 3 });
    expect(await prisma.stockReservation.count({ where: { orderId } })).toBe(2);
  });

  it('is idempotent per (order, product): a new line is added, a changed quantity is a CONFLICT', async () => {
    const a = await fixture.product({ categoryId, stock: 10 });
    const b = await fixture.product({ categoryId, stock: 10 });
    const orderId = randomUUID();
    await stock.reserveForOrder(orderId, [{ productId: a, quantity: 1 }]);

    const grown = await stock.reserveForOrder(orderId, [
      { productId: a, quantity: 1 },
      { productId: b, quantity: 4 },
    ]);
    expect(grown.lines.map((line) => [line.productId, line.quantity])).toEqual(
      sorted(a, b).map((id) => [id, id === a ? 1 : 4]),
    );
    expect(await counters(a, b)).toEqual({ [a]: 1, [b]: 4 });

    const changed = await errorOf(() => stock.reserveForOrder(orderId, [{ productId: a, quantity: 2 }]));
    expect(changed.extensions).toEqual({ code: 'CONFLICT', productId: a });
    expect(await counters(a, b)).toEqual({ [a]: 1, [b]: 4 });
  });

  it('is all or nothing: one line short, archived or unknown holds nothing at all', async () => {
    const plenty = await fixture.product({ categoryId, stock: 100 });
    const scarce = await fixture.product({ categoryId, name: 'Scarce lamp', stock: 3, reserved: 1 });
    const archived = await fixture.product({ categoryId, stock: 50, status: 'ARCHIVED' });
    const unknown = randomUUID();

    const short = await errorOf(() =>
      stock.reserveForOrder(randomUUID(), [
        { productId: plenty, quantity: 5 },
        { productId: scarce, quantity: 3 },
      ]),
    );
    expect(short.extensions).toEqual({ code: 'CONFLICT', productId: scarce, available: 2, requested: 3 });
    expect(short.message).toMatch(/Only 2 units of Scarce lamp .* are available, 3 requested/);

    const withdrawn = await errorOf(() =>
      stock.reserveForOrder(randomUUID(), [
        { productId: plenty, quantity: 5 },
        { productId: archived, quantity: 1 },
      ]),
    );
    expect(withdrawn.extensions).toEqual({ code: 'CONFLICT', productId: archived });

    const missing = await errorOf(() =>
      stock.reserveForOrder(randomUUID(), [
        { productId: plenty, quantity: 5 },
        { productId: unknown, quantity: 1 },
      ]),
    );
    expect(missing.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'lines.productId', productId: unknown });

    expect(await counters(plenty, scarce, archived)).toEqual({ [plenty]: 0, [scarce]: 1, [archived]: 0 });
    expect(await prisma.stockReservation.count({ where: { productId: { in: [plenty, scarce, archived] } } })).toBe(0);
  });

  it('releases idempotently and refuses to reserve a released order again', async () => {
    const a = await fixture.product({ categoryId, stock: 10 });
    const b = await fixture.product({ categoryId, stock: 10 });
    const orderId = randomUUID();
    await stock.reserveForOrder(orderId, [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 5 },
    ]);

    expect(await stock.releaseForOrder(orderId, staff)).toBe(true);
    expect(await counters(a, b)).toEqual({ [a]: 0, [b]: 0 });
    const rows = await prisma.stockReservation.findMany({ where: { orderId } });
    expect(rows.map((row) => [row.status, row.releasedAt instanceof Date])).toEqual([
      ['RELEASED', true],
      ['RELEASED', true],
    ]);

    expect(await stock.releaseForOrder(orderId, staff)).toBe(true);
    expect(await counters(a, b)).toEqual({ [a]: 0, [b]: 0 });
    expect(await stock.releaseForOrder(randomUUID(), staff)).toBe(true);
    expect(await stock.releaseForOrder('not-an-order', staff)).toBe(true);

    const again = await errorOf(() => stock.reserveForOrder(orderId, [{ productId: a, quantity: 2 }]));
    expect(again.extensions).toEqual({ code: 'CONFLICT', orderId });
    expect(await counters(a, b)).toEqual({ [a]: 0, [b]: 0 });
  });

  it('never oversells: 20 orders racing for 5 units reserve exactly 5', async () => {
    const productId = await fixture.product({ categoryId, stock: 7, reserved: 2 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => stock.reserveForOrder(randomUUID(), [{ productId, quantity: 1 }])),
    );
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    expect(rejected).toHaveLength(15);
    for (const outcome of rejected) {
      expect((outcome.reason as GraphQLError).extensions).toMatchObject({ code: 'CONFLICT', productId });
    }
    expect(await counters(productId)).toEqual({ [productId]: 7 });
    expect(await prisma.stockReservation.count({ where: { productId, status: 'RESERVED' } })).toBe(5);
  });

  it('holds an order once when the same reservation races with itself', async () => {
    const productId = await fixture.product({ categoryId, stock: 10 });
    const orderId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => stock.reserveForOrder(orderId, [{ productId, quantity: 3 }])),
    );
    for (const result of results) expect(result).toEqual(results[0]);
    expect(await counters(productId)).toEqual({ [productId]: 3 });
  });

  it('does not deadlock when orders lock overlapping products and releases run alongside', async () => {
    const a = await fixture.product({ categoryId, stock: 100 });
    const b = await fixture.product({ categoryId, stock: 100 });
    const c = await fixture.product({ categoryId, stock: 100 });
    const released = Array.from({ length: 6 }, () => randomUUID());
    for (const orderId of released) {
      await stock.reserveForOrder(orderId, [
        { productId: a, quantity: 1 },
        { productId: c, quantity: 1 },
      ]);
    }
    const kept = Array.from({ length: 12 }, () => randomUUID());
    await Promise.all([
      ...kept.map((orderId, index) =>
        stock.reserveForOrder(
          orderId,
          index % 2 === 0
            ? [
                { productId: c, quantity: 2 },
                { productId: b, quantity: 1 },
                { productId: a, quantity: 1 },
              ]
            : [
                { productId: a, quantity: 1 },
                { productId: b, quantity: 1 },
                { productId: c, quantity: 2 },
              ],
        ),
      ),
      ...released.map((orderId) => stock.releaseForOrder(orderId, staff)),
    ]);
    expect(await counters(a, b, c)).toEqual({ [a]: 12, [b]: 12, [c]: 24 });
  });

  it('lets only the reserving customer or an orders:manage holder release', async () => {
    const productId = await fixture.product({ categoryId, stock: 10 });
    const owner = viewers.customer();
    const orderId = randomUUID();
    await stock.reserveForOrder(orderId, [{ productId, quantity: 2 }], owner.userId);
    expect((await prisma.stockReservation.findMany({ where: { orderId } })).map((row) => row.userId)).toEqual([
      owner.userId,
    ]);

    const stranger = await errorOf(() => stock.releaseForOrder(orderId, viewers.customer()));
    expect(stranger.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(await counters(productId)).toEqual({ [productId]: 2 });

    expect(await stock.releaseForOrder(orderId, owner)).toBe(true);
    expect(await counters(productId)).toEqual({ [productId]: 0 });

    const other = randomUUID();
    await stock.reserveForOrder(other, [{ productId, quantity: 3 }], owner.userId);
    expect(await stock.releaseForOrder(other, viewers.admin())).toBe(true);
    expect(await counters(productId)).toEqual({ [productId]: 0 });
  });

  it('commits a shipped order once: stock and reserved both go down, released orders are refused', async () => {
    const a = await fixture.product({ categoryId, stock: 10 });
    const b = await fixture.product({ categoryId, stock: 5, reserved: 1 });
    const orderId = randomUUID();
    await stock.reserveForOrder(orderId, [
      { productId: a, quantity: 4 },
      { productId: b, quantity: 2 },
    ]);
    const stockOf = async () =>
      Object.fromEntries(
        (await prisma.product.findMany({ where: { id: { in: [a, b] } } })).map((row) => [
          row.id,
          [row.stock, row.reserved],
        ]),
      );

    const customer = await errorOf(() => stock.commitForOrder(orderId, viewers.customer()));
    expect(customer.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(await stockOf()).toEqual({ [a]: [10, 4], [b]: [5, 3] });

    await Promise.all([stock.commitForOrder(orderId, staff), stock.commitForOrder(orderId, staff)]);
    expect(await stock.commitForOrder(orderId, staff)).toBe(true);
    expect(await stockOf()).toEqual({ [a]: [6, 0], [b]: [3, 1] });
    expect((await prisma.stockReservation.findMany({ where: { orderId } })).map((row) => row.status)).toEqual([
      'COMMITTED',
      'COMMITTED',
    ]);
    // A committed order has nothing left to release.
    expect(await stock.releaseForOrder(orderId, staff)).toBe(true);
    expect(await stockOf()).toEqual({ [a]: [6, 0], [b]: [3, 1] });

    const released = randomUUID();
    await stock.reserveForOrder(released, [{ productId: a, quantity: 1 }]);
    await stock.releaseForOrder(released, staff);
    const refused = await errorOf(() => stock.commitForOrder(released, staff));
    expect(refused.extensions).toEqual({ code: 'CONFLICT', orderId: released });
    expect(await stockOf()).toEqual({ [a]: [6, 0], [b]: [3, 1] });
  });

  describe('over GraphQL (@inaccessible mutations)', () => {
    let server: ProductsServer;

    beforeAll(async () => {
      server = await serveProducts(prisma);
    });

    afterAll(async () => {
      await server?.stop();
    });

    const RESERVE = /* GraphQL */ `
      mutation Reserve($orderId: ID!, $lines: [StockLineInput!]!) {
        reserveStock(orderId: $orderId, lines: $lines) {
          orderId
          lines {
            productId
            quantity
            status
          }
        }
      }
    `;
    const RELEASE = 'mutation Release($orderId: ID!) { releaseStock(orderId: $orderId) }';

    it('serves reserveStock and releaseStock to a signed-in viewer only', async () => {
      const productId = await fixture.product({ categoryId, stock: 4 });
      const orderId = randomUUID();
      const variables = { orderId, lines: [{ productId, quantity: 4 }] };

      expect(errorCodes(await server.graphql(RESERVE, variables))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await server.graphql(RELEASE, { orderId }))).toEqual(['UNAUTHENTICATED']);
      expect(await counters(productId)).toEqual({ [productId]: 0 });

      const token = server.signIn(viewers.customer());
      expect(await server.graphql(RESERVE, variables, token)).toEqual({
        data: { reserveStock: { orderId, lines: [{ productId, quantity: 4, status: 'RESERVED' }] } },
      });
      const sold = await server.graphql(RESERVE, { orderId: randomUUID(), lines: [{ productId, quantity: 1 }] }, token);
      expect(sold.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', productId, available: 0, requested: 1 });
      const badOrder = await server.graphql(RESERVE, { ...variables, orderId: 'order-1' }, token);
      expect(badOrder.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'orderId' });

      const COMMIT = 'mutation Commit($orderId: ID!) { commitStock(orderId: $orderId) }';
      expect(errorCodes(await server.graphql(RELEASE, { orderId }, server.signIn(viewers.customer())))).toEqual([
        'FORBIDDEN',
      ]);
      expect(errorCodes(await server.graphql(COMMIT, { orderId }, token))).toEqual(['FORBIDDEN']);
      expect(await server.graphql(RELEASE, { orderId }, token)).toEqual({ data: { releaseStock: true } });
      expect(await counters(productId)).toEqual({ [productId]: 0 });
      expect(await server.graphql(COMMIT, { orderId }, server.signIn(viewers.ops()))).toEqual({
        data: null,
        errors: [expect.objectContaining({ extensions: { code: 'CONFLICT', orderId } })],
      });
    });
  });
});
