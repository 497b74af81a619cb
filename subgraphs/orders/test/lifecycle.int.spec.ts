// Paying, cancelling, shipping and reading orders through the router, with real logins.
import { randomUUID } from 'node:crypto';
import { parseEventPayload } from '@minishop/runtime';
import { graphql, loginAs, startStack } from '../../../router/test/harness';
import { TEST_CARDS } from '../src/payment-provider';
import { ordersFixture } from './fixtures';
import {
  CANCEL,
  PAY,
  UPDATE_STATUS,
  card,
  customer,
  dataOf,
  errorOf,
  placed,
  stockOf,
  type Fixture,
  type OrderView,
  type Stack,
} from './helpers';

describe('order life cycle through the router', () => {
  let stack: Stack;
  let fixture: Fixture;
  let admin: string;
  let ops: string;

  beforeAll(async () => {
    stack = await startStack();
    fixture = ordersFixture(stack.prisma);
    admin = await loginAs(stack.router, 'admin');
    ops = await loginAs(stack.router, 'ops');
  }, 30_000);

  afterAll(async () => {
    await fixture?.cleanup();
    await stack?.stop();
  });

  /** The order's outbox event types, sorted (events of one transaction share their timestamp). */
  const eventTypes = async (orderId: string) =>
    (await stack.prisma.outboxEvent.findMany({ where: { aggregateId: orderId } })).map((event) => event.type).sort();
  const pay = async (orderId: string, number: string, token: string) =>
    (await graphql(stack.router, PAY, { id: orderId, payment: card(number) }, token)).body;
  const cancel = async (orderId: string, token: string) =>
    (await graphql(stack.router, CANCEL, { id: orderId, reason: 'changed my mind' }, token)).body;
  const move = async (orderId: string, status: string, token: string) =>
    (await graphql(stack.router, UPDATE_STATUS, { id: orderId, status }, token)).body;

  it('keeps a refused payment payable and moves a successful one to PAID with order.paid', async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 1500, stock: 5 });
    const order = await placed(stack, shopper.token, [{ productId, quantity: 2 }]);

    const outcomes: string[] = [];
    for (const number of [TEST_CARDS.declined, TEST_CARDS.insufficientFunds, TEST_CARDS.slow]) {
      const result = dataOf(await pay(order.id, number, shopper.token))['payOrder'] as {
        order: { status: string };
        payment: { outcome: string; cardLast4: string; amount: { amount: number } };
      };
      expect(result.order.status).toBe('PENDING');
      expect(result.payment.cardLast4).toBe(number.slice(-4));
      outcomes.push(result.payment.outcome);
    }
    expect(outcomes).toEqual(['DECLINED', 'INSUFFICIENT_FUNDS', 'TIMED_OUT']);
    expect(await eventTypes(order.id)).toEqual(['order.created']);

    const other = await customer(stack, fixture);
    expect(errorOf(await pay(order.id, TEST_CARDS.success, other.token))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await pay(order.id, '4242424242424241', shopper.token))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'payment.cardNumber',
    });

    const paid = dataOf(await pay(order.id, TEST_CARDS.success, shopper.token))['payOrder'];
    expect(paid).toEqual({
      order: { id: order.id, status: 'PAID' },
      payment: { outcome: 'SUCCEEDED', cardLast4: '4242', amount: { amount: 3000 } },
    });
    expect(errorOf(await pay(order.id, TEST_CARDS.success, shopper.token))).toEqual({ code: 'CONFLICT' });

    const attempts = await stack.prisma.paymentAttempt.findMany({ where: { orderId: order.id } });
    expect(attempts.map((attempt) => attempt.cardLast4).sort()).toEqual(['0002', '0259', '4242', '9995']);
    expect(await eventTypes(order.id)).toEqual(['order.created', 'order.paid', 'order.status_changed']);
    const event = await stack.prisma.outboxEvent.findFirstOrThrow({
      where: { aggregateId: order.id, type: 'order.paid' },
    });
    expect(parseEventPayload('order.paid', event.payload)).toMatchObject({
      orderId: order.id,
      userId: shopper.userId,
      items: [{ productId, quantity: 2 }],
      totalAmount: 3000,
    });
  }, 30_000);

  it('lets the owner cancel: stock and coupon go back and order.cancelled is written', async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 1000, stock: 5 });
    const coupon = await fixture.coupon({ kind: 'PERCENT', value: 10, maxRedemptions: 1 });
    const order = await placed(stack, shopper.token, [{ productId, quantity: 3 }], { coupon });
    expect(await stockOf(stack, productId)).toEqual({ stock: 5, reserved: 3 });

    const stranger = await customer(stack, fixture);
    expect(errorOf(await cancel(order.id, stranger.token))).toEqual({ code: 'NOT_FOUND' });

    const cancelled = dataOf(await cancel(order.id, shopper.token))['cancelOrder'] as OrderView;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.history.map((change) => [change.from, change.to, change.reason])).toEqual([
      [null, 'PENDING', null],
      ['PENDING', 'CANCELLED', 'changed my mind'],
    ]);
    expect(await stockOf(stack, productId)).toEqual({ stock: 5, reserved: 0 });
    const redemption = await stack.prisma.couponRedemption.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(redemption.status).toBe('RELEASED');
    expect(await eventTypes(order.id)).toEqual(['order.cancelled', 'order.created', 'order.status_changed']);
    expect(errorOf(await cancel(order.id, shopper.token))).toEqual({ code: 'CONFLICT' });

    // The released coupon (max 1 redemption) can be used again.
    const next = await placed(stack, stranger.token, [{ productId, quantity: 1 }], { coupon });
    expect(next.discount.amount).toBe(100);
  }, 30_000);

  it("lets an admin cancel a customer's paid order, and nobody cancel a shipped one", async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 400, stock: 10 });
    const paidOrder = await placed(stack, shopper.token, [{ productId, quantity: 2 }]);
    dataOf(await pay(paidOrder.id, TEST_CARDS.success, shopper.token));
    const byAdmin = dataOf(await cancel(paidOrder.id, admin))['cancelOrder'] as OrderView;
    expect(byAdmin.status).toBe('CANCELLED');
    expect(await stockOf(stack, productId)).toEqual({ stock: 10, reserved: 0 });

    const shipped = await placed(stack, shopper.token, [{ productId, quantity: 4 }]);
    dataOf(await pay(shipped.id, TEST_CARDS.success, shopper.token));
    dataOf(await move(shipped.id, 'SHIPPED', ops));
    // Shipping takes the units out of stock for good.
    expect(await stockOf(stack, productId)).toEqual({ stock: 6, reserved: 0 });
    expect(errorOf(await cancel(shipped.id, shopper.token))).toEqual({ code: 'CONFLICT' });
    expect(errorOf(await cancel(shipped.id, admin))).toEqual({ code: 'CONFLICT' });
    expect(await stockOf(stack, productId)).toEqual({ stock: 6, reserved: 0 });
  }, 30_000);

  it('moves orders only along the state machine, for orders:manage holders, with events', async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 250, stock: 10 });
    const order = await placed(stack, shopper.token, [{ productId, quantity: 1 }]);

    expect(errorOf(await move(order.id, 'PAID', shopper.token))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await move(order.id, 'SHIPPED', admin))).toEqual({ code: 'CONFLICT' });
    expect(errorOf(await move(randomUUID(), 'PAID', admin))).toEqual({ code: 'NOT_FOUND' });
    for (const status of ['PAID', 'SHIPPED', 'DELIVERED']) {
      expect((dataOf(await move(order.id, status, admin))['updateOrderStatus'] as OrderView).status).toBe(status);
    }
    expect(errorOf(await move(order.id, 'CANCELLED', admin))).toEqual({ code: 'CONFLICT' });
    expect(errorOf(await move(order.id, 'PENDING', admin))).toEqual({ code: 'CONFLICT' });
    expect(await eventTypes(order.id)).toEqual([
      'order.created',
      'order.paid',
      'order.status_changed',
      'order.status_changed',
      'order.status_changed',
    ]);
    const changes = await stack.prisma.outboxEvent.findMany({
      where: { aggregateId: order.id, type: 'order.status_changed' },
    });
    expect(
      changes
        .map((event) => parseEventPayload('order.status_changed', event.payload))
        .map(({ from, to, sequence }) => [sequence, from, to])
        .sort(([a], [b]) => Number(a) - Number(b)),
    ).toEqual([
      [2, 'PENDING', 'PAID'],
      [3, 'PAID', 'SHIPPED'],
      [4, 'SHIPPED', 'DELIVERED'],
    ]);
    expect(await stockOf(stack, productId)).toEqual({ stock: 9, reserved: 0 });

    const cancelledByStatus = await placed(stack, shopper.token, [{ productId, quantity: 2 }]);
    const cancelled = dataOf(await move(cancelledByStatus.id, 'CANCELLED', ops))['updateOrderStatus'] as OrderView;
    expect(cancelled.status).toBe('CANCELLED');
    expect(await eventTypes(cancelledByStatus.id)).toEqual([
      'order.cancelled',
      'order.created',
      'order.status_changed',
    ]);
    expect(await stockOf(stack, productId)).toEqual({ stock: 9, reserved: 0 });
  }, 30_000);

  it('shows an order to its owner and orders:manage holders only', async () => {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 100, stock: 20 });
    const orders: OrderView[] = [];
    for (let index = 0; index < 3; index++)
      orders.push(await placed(stack, shopper.token, [{ productId, quantity: 1 }]));
    dataOf(await move(orders[0]?.id ?? '', 'PAID', admin));
    const [first, , newest] = orders;

    const ORDER = `query($id: ID!) { order(id: $id) { id user { id } items { product { id } } } }`;
    const read = async (token?: string) => (await graphql(stack.router, ORDER, { id: newest?.id }, token)).body;
    expect(dataOf(await read(shopper.token))).toEqual({
      order: { id: newest?.id, user: { id: shopper.userId }, items: [{ product: { id: productId } }] },
    });
    expect(dataOf(await read(admin))['order']).toMatchObject({ id: newest?.id });
    const other = await customer(stack, fixture);
    expect(dataOf(await read(other.token))).toEqual({ order: null });
    expect(errorOf(await read())).toEqual({ code: 'UNAUTHENTICATED' });

    const MY_ORDERS = `query($after: String, $status: OrderStatus) {
      me { orders(first: 2, after: $after, status: $status) { edges { node { id status } } pageInfo { hasNextPage endCursor } } }
    }`;
    type Page = {
      me: { orders: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    };
    const page1 = dataOf((await graphql(stack.router, MY_ORDERS, {}, shopper.token)).body) as Page;
    expect(page1.me.orders.pageInfo.hasNextPage).toBe(true);
    const page2 = dataOf(
      (await graphql(stack.router, MY_ORDERS, { after: page1.me.orders.pageInfo.endCursor }, shopper.token)).body,
    ) as Page;
    expect([...page1.me.orders.edges, ...page2.me.orders.edges].map((edge) => edge.node.id)).toEqual(
      [...orders].reverse().map((order) => order.id),
    );
    expect(page2.me.orders.pageInfo.hasNextPage).toBe(false);
    const paidOnly = dataOf((await graphql(stack.router, MY_ORDERS, { status: 'PAID' }, shopper.token)).body) as Page;
    expect(paidOnly.me.orders.edges.map((edge) => edge.node.id)).toEqual([first?.id]);

    const USER_ORDERS = `query($id: ID!) { user(id: $id) { orders(first: 5) { edges { node { id } } } } }`;
    const asAdmin = dataOf((await graphql(stack.router, USER_ORDERS, { id: shopper.userId }, admin)).body) as {
      user: { orders: { edges: unknown[] } };
    };
    expect(asAdmin.user.orders.edges).toHaveLength(3);

    const ALL = `query { orders(status: PAID, first: 100) { edges { node { id status } } } }`;
    expect(errorOf((await graphql(stack.router, ALL, {}, shopper.token)).body)).toEqual({ code: 'FORBIDDEN' });
    const all = dataOf((await graphql(stack.router, ALL, {}, ops)).body) as {
      orders: { edges: { node: { id: string; status: string } }[] };
    };
    expect(all.orders.edges.every((edge) => edge.node.status === 'PAID')).toBe(true);
    expect(all.orders.edges.map((edge) => edge.node.id)).toContain(first?.id);
  }, 30_000);
});
