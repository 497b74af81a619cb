import { randomUUID } from 'node:crypto';
import { loggingChannel } from '../../workers/src/consumers/notification-channels';
import { notificationsConsumer } from '../../workers/src/consumers/notifications-consumer';
import { productsConsumer } from '../../workers/src/consumers/products-consumer';
import { reviewsConsumer } from '../../workers/src/consumers/reviews-consumer';
import { ConsumerRunner } from '../../workers/src/consumers/consumer-runner';
import { OutboxRelay } from '../../workers/src/relay/outbox-relay';
import { Broker, relayOptions, runnerOptions, testLogger, uniqueName } from '../../workers/test/fixtures';
import { eventually, graphql, loginAs, registerCustomer, startStack } from './harness';

type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * The whole product path through the router with the real workers: register -> cart -> order with
 * a coupon -> pay -> the order.paid event travels outbox -> relay -> RabbitMQ -> consumers ->
 * a notification appears, the review is allowed, the rating moves.
 */
describe('checkout flow through the router, with the outbox relay and consumers', () => {
  let stack: Stack;
  let broker: Broker;
  const exchange = uniqueName('events');
  // The relay publishes only this test's orders: other test files write outbox rows too.
  const orderIds: string[] = [];
  let relay: OutboxRelay;
  let runners: ConsumerRunner[];

  beforeAll(async () => {
    stack = await startStack();
    broker = await Broker.create(exchange);
    relay = new OutboxRelay(relayOptions(stack.prisma, exchange, orderIds));
    const channelLogger = testLogger();
    runners = [
      notificationsConsumer([loggingChannel('email', channelLogger), loggingChannel('sms', channelLogger)]),
      reviewsConsumer(),
      productsConsumer(),
    ].map((consumer) => new ConsumerRunner(consumer, runnerOptions(stack.prisma, exchange)));
    relay.start();
    for (const runner of runners) runner.start();
  }, 30_000);

  afterAll(async () => {
    await relay?.stop();
    for (const runner of runners ?? []) await runner.stop();
    await broker?.dispose((runners ?? []).map((runner) => runner.queues));
    await stack?.stop();
  });

  async function call<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
    const { body } = await graphql(stack.router, query, variables, token);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data as T;
  }

  it('goes from a new account to a paid order, a notification, a review and an updated rating', async () => {
    const admin = await loginAs(stack.router, 'admin');
    const category = await stack.prisma.category.findFirstOrThrow({ where: { parentId: { not: null } } });
    const { createProduct: product } = await call<{ createProduct: { id: string } }>(
      'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      {
        input: {
          sku: `E2E-${randomUUID().slice(0, 8).toUpperCase()}`,
          name: 'End-to-end Espresso Cups',
          description: 'Two porcelain cups',
          price: { amount: 2500, currency: 'EUR' },
          categoryId: category.id,
          initialStock: 10,
        },
      },
      admin,
    );
    const code = `E2E${randomUUID().slice(0, 6).toUpperCase()}`;
    await call(
      'mutation($input: CreateCouponInput!) { createCoupon(input: $input) { code } }',
      { input: { code, description: 'Ten percent off', kind: 'PERCENT', value: 10 } },
      admin,
    );

    const shopper = await registerCustomer(stack.router);
    await call(
      'mutation($id: ID!) { addToCart(productId: $id, quantity: 2) { itemCount } }',
      { id: product.id },
      shopper.token,
    );
    const { placeOrder: order } = await call<{
      placeOrder: {
        id: string;
        status: string;
        subtotal: { amount: number };
        discount: { amount: number };
        total: { amount: number };
      };
    }>(
      `mutation($code: String, $key: String!) {
        placeOrder(input: { fromCart: true }, couponCode: $code, idempotencyKey: $key) {
          id status subtotal { amount } discount { amount } total { amount }
        }
      }`,
      { code, key: randomUUID() },
      shopper.token,
    );
    orderIds.push(order.id);
    expect(order).toMatchObject({
      status: 'PENDING',
      subtotal: { amount: 5000 },
      discount: { amount: 500 },
      total: { amount: 4500 },
    });
    const cart = await call<{ me: { cart: { itemCount: number } } }>(
      '{ me { cart { itemCount } } }',
      {},
      shopper.token,
    );
    expect(cart.me.cart.itemCount).toBe(0);

    // Before payment the shopper is not a verified purchaser.
    const review = `mutation($id: ID!) { createReview(input: { productId: $id, rating: 5, title: "Lovely", body: "Great cups" }) { id } }`;
    const early = await graphql(stack.router, review, { id: product.id }, shopper.token);
    expect(early.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const payment = { cardNumber: '4242424242424242', expiryMonth: 12, expiryYear: 2030, cvc: '123' };
    const { payOrder } = await call<{ payOrder: { order: { status: string }; payment: { outcome: string } } }>(
      'mutation($id: ID!, $payment: PaymentInput!) { payOrder(orderId: $id, payment: $payment) { order { status } payment { outcome } } }',
      { id: order.id, payment },
      shopper.token,
    );
    expect(payOrder).toEqual({ order: { status: 'PAID' }, payment: { outcome: 'SUCCEEDED' } });

    const notified = await eventually(async () => {
      const data = await call<{ me: { notifications: { unreadCount: number; edges: { node: { kind: string } }[] } } }>(
        '{ me { notifications(first: 10) { unreadCount edges { node { kind } } } } }',
        {},
        shopper.token,
      );
      return data.me.notifications.edges.some((edge) => edge.node.kind === 'order.paid');
    }, 20_000);
    expect(notified).toBe(true);

    const reviewed = await eventually(
      async () => !(await graphql(stack.router, review, { id: product.id }, shopper.token)).body.errors,
      20_000,
    );
    expect(reviewed).toBe(true);
    const { product: rated } = await call<{ product: { rating: { average: number; count: number } } }>(
      'query($id: ID!) { product(id: $id) { rating { average count } } }',
      { id: product.id },
    );
    expect(rated.rating).toEqual({ average: 5, count: 1 });

    // Every event of the order reached RabbitMQ and was marked published only after the confirm.
    const outbox = await stack.prisma.outboxEvent.findMany({
      where: { aggregateId: order.id },
      orderBy: { createdAt: 'asc' },
    });
    // (order.status_changed and order.paid of the payment share their transaction's timestamp.)
    expect(outbox.map((row) => row.type).sort()).toEqual(['order.created', 'order.paid', 'order.status_changed']);
    const published = await eventually(
      async () => (await stack.prisma.outboxEvent.count({ where: { aggregateId: order.id, publishedAt: null } })) === 0,
    );
    expect(published).toBe(true);
  }, 90_000);
});
