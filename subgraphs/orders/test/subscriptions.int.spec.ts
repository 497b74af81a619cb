// The orders side of live subscriptions, called directly as the router does: the subscribe-time
// check (no event) and per-event resolution (the event in x-minishop-subscription-event).
import { randomUUID } from 'node:crypto';
import { encodeSubscriptionEvent, SUBSCRIPTION_EVENT_HEADER, type DeliveredEvent } from '@minishop/runtime';
import { loginAs, startStack } from '../../../router/test/harness';
import { payloadFor } from '../../../workers/test/fixtures';
import { ordersFixture } from './fixtures';
import { customer, placed, type Fixture, type Stack } from './helpers';

const CHECK = 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { __typename } }';
const EVENT = `subscription($id: ID!) {
  orderStatusChanged(orderId: $id) { eventId previousStatus status sequence changedAt order { id status } }
}`;
const MINE = 'subscription { myOrderUpdates { eventId status order { id } } }';

describe('orders subgraph: subscription fields', () => {
  let stack: Stack;
  let fixture: Fixture;
  let ordersUrl: string;

  beforeAll(async () => {
    stack = await startStack();
    fixture = ordersFixture(stack.prisma);
    ordersUrl = String(stack.subgraphs.urls['orders']);
  }, 30_000);

  afterAll(async () => {
    await fixture?.cleanup();
    await stack?.stop();
  });

  /** Calls the orders subgraph as the router would for `userToken`'s identity, with `event` if any. */
  async function call(query: string, variables: Record<string, unknown>, userToken?: string, event?: DeliveredEvent) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (userToken) headers['authorization'] = `Bearer ${await stack.subgraphs.asRouter(userToken)}`;
    if (event) headers[SUBSCRIPTION_EVENT_HEADER] = encodeSubscriptionEvent(event);
    const response = await fetch(ordersUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { extensions?: { code?: string } }[];
    };
  }
  const codes = (body: Awaited<ReturnType<typeof call>>) => body.errors?.map((error) => error.extensions?.code);

  async function order() {
    const shopper = await customer(stack, fixture);
    const productId = await fixture.product({ price: 700, stock: 5 });
    return { shopper, order: await placed(stack, shopper.token, [{ productId, quantity: 1 }]) };
  }

  it('lets the owner and orders:manage holders subscribe; others get NOT_FOUND, anonymous UNAUTHENTICATED', async () => {
    const { shopper, order: placedOrder } = await order();
    const stranger = await customer(stack, fixture);
    const admin = await loginAs(stack.router, 'admin');
    const allowed = { orderStatusChanged: { __typename: 'OrderStatusEvent' } };
    expect((await call(CHECK, { id: placedOrder.id }, shopper.token)).data).toEqual(allowed);
    expect((await call(CHECK, { id: placedOrder.id }, admin)).data).toEqual(allowed);
    expect(codes(await call(CHECK, { id: placedOrder.id }, stranger.token))).toEqual(['NOT_FOUND']);
    expect(codes(await call(CHECK, { id: 'not-a-uuid' }, shopper.token))).toEqual(['NOT_FOUND']);
    expect(codes(await call(CHECK, { id: placedOrder.id }))).toEqual(['UNAUTHENTICATED']);
  });

  it('resolves an event of the subscribed order with the order as it is now; refuses events that do not belong', async () => {
    const { shopper, order: placedOrder } = await order();
    const ids = { orderId: placedOrder.id, userId: shopper.userId };
    const event = (payload: unknown): DeliveredEvent => ({ id: randomUUID(), type: 'order.status_changed', payload });
    const paid = event(payloadFor('order.status_changed', ids, { from: 'PENDING', to: 'PAID', sequence: 2 }));

    const { data } = await call(EVENT, { id: placedOrder.id }, shopper.token, paid);
    expect(data).toEqual({
      orderStatusChanged: {
        eventId: paid.id,
        previousStatus: 'PENDING',
        status: 'PAID',
        sequence: 2,
        changedAt: (paid.payload as { changedAt: string }).changedAt,
        order: { id: placedOrder.id, status: 'PENDING' },
      },
    });
    expect((await call(MINE, {}, shopper.token, paid)).data).toEqual({
      myOrderUpdates: { eventId: paid.id, status: 'PAID', order: { id: placedOrder.id } },
    });

    const other = await order();
    const foreign = event(
      payloadFor('order.status_changed', { orderId: other.order.id, userId: other.shopper.userId }),
    );
    expect(codes(await call(EVENT, { id: placedOrder.id }, shopper.token, foreign))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await call(MINE, {}, shopper.token, foreign))).toEqual(['BAD_USER_INPUT']);
    const wrongType = { ...paid, type: 'order.paid' };
    expect(codes(await call(EVENT, { id: placedOrder.id }, shopper.token, wrongType))).toEqual(['BAD_USER_INPUT']);
    const malformed = event({ orderId: placedOrder.id });
    expect(codes(await call(EVENT, { id: placedOrder.id }, shopper.token, malformed))).toEqual(['BAD_USER_INPUT']);
  });
});
