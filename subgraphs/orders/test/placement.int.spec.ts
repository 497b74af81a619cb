// placeOrder as clients see it: through the router, with every subgraph running and real logins.
import { randomUUID } from 'node:crypto';
import { createLogger, parseEventPayload, serveSubgraph } from '@minishop/runtime';
import { graphql, startStack } from '../../../router/test/harness';
import { createOrdersSubgraph } from '../src';
import { ordersFixture } from './fixtures';
import {
  ADD_TO_CART,
  PLACE,
  customer,
  dataOf,
  errorOf,
  place,
  placed,
  stockOf,
  type Fixture,
  type OrderView,
  type Stack,
} from './helpers';

describe('placeOrder through the router', () => {
  let stack: Stack;
  let fixture: Fixture;

  beforeAll(async () => {
    stack = await startStack();
    fixture = ordersFixture(stack.prisma);
  }, 30_000);

  afterAll(async () => {
    await fixture?.cleanup();
    await stack?.stop();
  });

  it('orders the cart with a coupon: exact totals, stock held, coupon redeemed, event written, cart emptied', async () => {
    const shopper = await customer(stack, fixture);
    const lamp = await fixture.product({ price: 1250, stock: 20 });
    const mug = await fixture.product({ price: 999, stock: 20 });
    const coupon = await fixture.coupon({ kind: 'FIXED', value: 500 });
    for (const [productId, quantity] of [
      [lamp, 2],
      [mug, 3],
    ] as const) {
      dataOf((await graphql(stack.router, ADD_TO_CART, { p: productId, q: quantity }, shopper.token)).body);
    }

    const { body } = await graphql(
      stack.router,
      PLACE,
      { input: { fromCart: true }, coupon: coupon.toLowerCase(), key: randomUUID() },
      shopper.token,
    );
    const order = dataOf(body)['placeOrder'] as OrderView;
    expect(order).toMatchObject({
      status: 'PENDING',
      couponCode: coupon,
      user: { id: shopper.userId },
      subtotal: { amount: 2 * 1250 + 3 * 999, currency: 'EUR' },
      discount: { amount: 500 },
      total: { amount: 2 * 1250 + 3 * 999 - 500, currency: 'EUR' },
      history: [{ from: null, to: 'PENDING', reason: null }],
      payments: [],
    });
    const lines = Object.fromEntries(order.items.map((item) => [item.product.id, item]));
    expect(lines[lamp]).toMatchObject({ quantity: 2, unitPrice: { amount: 1250 }, lineTotal: { amount: 2500 } });
    expect(lines[mug]).toMatchObject({ quantity: 3, unitPrice: { amount: 999 }, lineTotal: { amount: 2997 } });

    expect(await stockOf(stack, lamp)).toEqual({ stock: 20, reserved: 2 });
    expect(await stockOf(stack, mug)).toEqual({ stock: 20, reserved: 3 });
    const reservations = await stack.prisma.stockReservation.findMany({ where: { orderId: order.id } });
    expect(reservations.map((row) => [row.status, row.userId])).toEqual([
      ['RESERVED', shopper.userId],
      ['RESERVED', shopper.userId],
    ]);
    const redemption = await stack.prisma.couponRedemption.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(redemption).toMatchObject({ couponCode: coupon, userId: shopper.userId, status: 'REDEEMED' });

    const events = await stack.prisma.outboxEvent.findMany({ where: { aggregateId: order.id } });
    expect(events.map((event) => event.type)).toEqual(['order.created']);
    const payload = parseEventPayload('order.created', events[0]?.payload);
    expect(payload).toMatchObject({
      orderId: order.id,
      userId: shopper.userId,
      subtotalAmount: 5497,
      discountAmount: 500,
      totalAmount: 4997,
      currency: 'EUR',
      couponCode: coupon,
    });
    expect(payload.items).toHaveLength(2);
    expect(events[0]?.publishedAt).toBeNull();

    const { body: cart } = await graphql(stack.router, '{ me { cart { itemCount } } }', {}, shopper.token);
    expect(dataOf(cart)).toEqual({ me: { cart: { itemCount: 0 } } });
  });

  it('answers the same order for a repeated key and refuses a different request under it', async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 700, stock: 10 });
    const key = randomUUID();
    const first = await placed(stack, shopper.token, [{ productId, quantity: 2 }], { key });
    const again = await placed(
      stack,
      shopper.token,
      [
        { productId, quantity: 1 },
        { productId, quantity: 1 },
      ],
      { key },
    );
    expect(again.id).toBe(first.id);
    expect(errorOf(await place(stack, shopper.token, [{ productId, quantity: 3 }], { key }))).toEqual({
      code: 'CONFLICT',
    });
    // Another customer may use the same key for an order of their own.
    const other = await customer(stack, fixture);
    expect((await placed(stack, other.token, [{ productId, quantity: 1 }], { key })).id).not.toBe(first.id);
    expect(await stockOf(stack, productId)).toEqual({ stock: 10, reserved: 3 });
  });

  it('places one order when 20 requests race with one key', async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 300, stock: 50 });
    const key = randomUUID();
    const bodies = await Promise.all(
      Array.from({ length: 20 }, () => place(stack, shopper.token, [{ productId, quantity: 2 }], { key })),
    );
    const ids = new Set(bodies.map((body) => (dataOf(body)['placeOrder'] as OrderView).id));
    expect(ids.size).toBe(1);
    expect(await stack.prisma.order.count({ where: { userId: shopper.userId } })).toBe(1);
    expect(await stockOf(stack, productId)).toEqual({ stock: 50, reserved: 2 });
    expect(await stack.prisma.stockReservation.count({ where: { productId, status: 'RESERVED' } })).toBe(1);
  }, 30_000);

  it('answers every same-key racer with the one order even when the stock covers only one', async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 300, stock: 1 });
    const key = randomUUID();
    const bodies = await Promise.all(
      Array.from({ length: 10 }, () => place(stack, shopper.token, [{ productId, quantity: 1 }], { key })),
    );
    expect(bodies.filter((body) => body.errors)).toEqual([]);
    const ids = new Set(bodies.map((body) => (dataOf(body)['placeOrder'] as OrderView).id));
    expect(ids.size).toBe(1);
    expect(await stockOf(stack, productId)).toEqual({ stock: 1, reserved: 1 });
  }, 30_000);

  it('sells exactly the stock when 50 orders race for 10 units, leaking nothing', async () => {
    const shoppers = await Promise.all(Array.from({ length: 5 }, () => customer(stack, fixture)));
    const productId = await fixture.product({ price: 100, stock: 10 });
    const bodies = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        place(stack, shoppers[index % shoppers.length]?.token ?? '', [{ productId, quantity: 1 }]),
      ),
    );
    // Each losing request is refused for lack of this product's stock (any other error shows here).
    const outcomes = bodies.map((body) => {
      if (!body.errors) return 'placed';
      const { code, productId: refused } = errorOf(body);
      return `${String(code)}${refused === productId ? ' (this product)' : ''}`;
    });
    const counts = Object.fromEntries([...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]));
    expect(counts).toEqual({ placed: 10, 'CONFLICT (this product)': 40 });
    expect(await stockOf(stack, productId)).toEqual({ stock: 10, reserved: 10 });
    expect(await stack.prisma.stockReservation.count({ where: { productId, status: 'RESERVED' } })).toBe(10);
    expect(await stack.prisma.orderItem.count({ where: { productId } })).toBe(10);
  }, 60_000);

  it('gives the stock back when the coupon fails after the reservation', async () => {
    const first = await customer(stack, fixture);
    const second = await customer(stack, fixture);
    const productId = await fixture.product({ price: 2000, stock: 5 });
    const coupon = await fixture.coupon({ kind: 'PERCENT', value: 10, maxRedemptions: 1 });
    const winner = await placed(stack, first.token, [{ productId, quantity: 1 }], { coupon });
    expect(winner.discount.amount).toBe(200);

    const refused = await place(stack, second.token, [{ productId, quantity: 2 }], { coupon });
    expect(errorOf(refused)).toEqual({ code: 'CONFLICT', reason: 'USAGE_LIMIT_REACHED' });
    expect(await stockOf(stack, productId)).toEqual({ stock: 5, reserved: 1 });
    const released = await stack.prisma.stockReservation.findMany({ where: { productId, status: 'RELEASED' } });
    expect(released.map((row) => [row.quantity, row.userId])).toEqual([[2, second.userId]]);
    expect(await stack.prisma.order.count({ where: { userId: second.userId } })).toBe(0);
    expect(await stack.prisma.couponRedemption.count({ where: { couponCode: coupon } })).toBe(1);
  });

  it('refuses invalid requests with the offending field and holds nothing', async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 100, stock: 5 });
    expect(errorOf(await place(stack, shopper.token, [{ productId, quantity: 100 }]))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.items.quantity',
    });
    expect(errorOf(await place(stack, shopper.token, []))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.items' });
    expect(errorOf(await place(stack, shopper.token, [{ productId: randomUUID(), quantity: 1 }]))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.items.productId',
    });
    const { body: emptyCart } = await graphql(
      stack.router,
      PLACE,
      { input: { fromCart: true }, key: randomUUID() },
      shopper.token,
    );
    expect(errorOf(emptyCart)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.fromCart' });
    expect(errorOf(await place(stack, shopper.token, [{ productId, quantity: 1 }], { coupon: 'NOSUCHCODE1' }))).toEqual(
      { code: 'NOT_FOUND', reason: 'NOT_FOUND' },
    );
    const { body: anonymous } = await graphql(stack.router, PLACE, {
      input: { items: [{ productId, quantity: 1 }] },
      key: randomUUID(),
    });
    expect(errorOf(anonymous)).toEqual({ code: 'UNAUTHENTICATED' });
    expect(await stockOf(stack, productId)).toEqual({ stock: 5, reserved: 0 });
  });

  describe('against the orders subgraph directly', () => {
    /** An orders subgraph beside the stack's, with its own dependency URLs. */
    async function serveOrders(urls: { couponsUrl?: string }) {
      const { urls: running } = stack.subgraphs;
      return serveSubgraph(
        createOrdersSubgraph({
          prisma: stack.prisma,
          redis: stack.redis,
          productsUrl: String(running['products']),
          couponsUrl: urls.couponsUrl ?? String(running['coupons']),
          cartUrl: String(running['cart']),
          dependencyTimeoutMs: 1_000,
        }),
        {
          port: 0,
          // Silent: the unavailable dependency is logged on purpose.
          logger: createLogger('orders-test', 'silent'),
          identity: stack.subgraphs.identity,
        },
      );
    }

    // Straight to this orders subgraph, with the identity token the router would send for `token`.
    async function placeAt(url: string, token: string, variables: Record<string, unknown>, traceparent?: string) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await stack.subgraphs.asRouter(token)}`,
          ...(traceparent ? { traceparent } : {}),
        },
        body: JSON.stringify({ query: PLACE, variables }),
      });
      return (await response.json()) as { data?: { placeOrder: OrderView } | null; errors?: { extensions: object }[] };
    }

    it("records the request's traceparent on the outbox row", async () => {
      const orders = await serveOrders({});
      try {
        const shopper = await customer(stack, fixture);
        const productId = await fixture.product({ price: 100, stock: 5 });
        const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
        const body = await placeAt(
          orders.url,
          shopper.token,
          { input: { items: [{ productId, quantity: 1 }] }, key: randomUUID() },
          traceparent,
        );
        const orderId = body.data?.placeOrder.id ?? '';
        const event = await stack.prisma.outboxEvent.findFirstOrThrow({ where: { aggregateId: orderId } });
        expect(event.traceparent).toBe(traceparent);
      } finally {
        await orders.stop();
      }
    });

    it('releases the reservation when coupons is unavailable, answering SERVICE_UNAVAILABLE', async () => {
      const orders = await serveOrders({ couponsUrl: 'http://127.0.0.1:1/graphql' });
      try {
        const shopper = await customer(stack, fixture);
        const productId = await fixture.product({ price: 100, stock: 5 });
        const coupon = await fixture.coupon({ kind: 'FIXED', value: 10 });
        const body = await placeAt(orders.url, shopper.token, {
          input: { items: [{ productId, quantity: 2 }] },
          coupon,
          key: randomUUID(),
        });
        expect(body.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
        expect(await stockOf(stack, productId)).toEqual({ stock: 5, reserved: 0 });
        const reservations = await stack.prisma.stockReservation.findMany({ where: { productId } });
        expect(reservations.map((row) => row.status)).toEqual(['RELEASED']);
        expect(await stack.prisma.order.count({ where: { userId: shopper.userId } })).toBe(0);
      } finally {
        await orders.stop();
      }
    });
  });
});
