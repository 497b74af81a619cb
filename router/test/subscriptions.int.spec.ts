// Live order status over graphql-ws: through the router's query planning, from outbox rows relayed
// to RabbitMQ, on two router replicas, across a router restart, with bad and slow clients.
import { randomUUID } from 'node:crypto';
import { TokenIssuer } from '@minishop/users';
import WebSocket from 'ws';
import { ordersFixture } from '../../subgraphs/orders/test/fixtures';
import { card, dataOf, PAY, placed, UPDATE_STATUS, type Fixture } from '../../subgraphs/orders/test/helpers';
import { TEST_CARDS } from '../../subgraphs/orders/src/payment-provider';
import { OutboxRelay } from '../../workers/src/relay/outbox-relay';
import { Broker, payloadFor, relayOptions, uniqueName } from '../../workers/test/fixtures';
import { startRouter, type RouterConfig, type RunningRouter } from '../src';
import {
  eventually,
  graphql,
  logger,
  loginAs,
  registerCustomer,
  routerConfig,
  startSubgraphs,
  errorCodesOf,
  JWT,
  wsClient,
} from './harness';

const STATUS = `subscription Status($id: ID!) {
  orderStatusChanged(orderId: $id) {
    eventId previousStatus status sequence changedAt
    order { id status items { quantity product { name } } user { name } }
  }
}`;
const MINE = 'subscription { myOrderUpdates { eventId status order { id } } }';

interface StatusEvent {
  eventId: string;
  previousStatus: string;
  status: string;
  sequence: number;
  order: {
    id: string;
    status: string;
    items: { quantity: number; product: { name: string } }[];
    user: { name: string };
  };
}

describe('live order status over graphql-ws', () => {
  let subgraphs: Awaited<ReturnType<typeof startSubgraphs>>;
  let config: RouterConfig;
  let replicas: RunningRouter[];
  let fixture: Fixture;
  let broker: Broker;
  let relay: OutboxRelay;
  let admin: string;
  const exchange = uniqueName('events');
  const orderIds: string[] = [];
  const clients: { dispose: () => unknown }[] = [];

  const track = <T extends { dispose: () => unknown }>(client: T) => (clients.push(client), client);
  const startReplica = (overrides: Partial<RouterConfig> = {}) => startRouter({ ...config, ...overrides }, logger);
  const activeOn = (router: RunningRouter, count: number) =>
    eventually(async () => router.subscriptions.active >= count, 10_000);

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    const base = routerConfig(subgraphs);
    config = { ...base, subscriptions: { ...base.subscriptions, exchange } };
    replicas = [await startReplica(), await startReplica()];
    await eventually(async () => replicas.every((replica) => replica.subscriptions.feedReady), 10_000);
    fixture = ordersFixture(subgraphs.prisma);
    broker = await Broker.create(exchange);
    relay = new OutboxRelay(relayOptions(subgraphs.prisma, exchange, orderIds));
    relay.start();
    admin = await loginAs(replicas[0] as RunningRouter, 'admin');
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await relay?.stop();
    await broker?.dispose([]);
    for (const replica of replicas ?? []) await replica.stop();
    await fixture?.cleanup();
    await subgraphs?.stop();
  });

  async function orderOf(router: RunningRouter) {
    const shopper = await registerCustomer(router);
    fixture.trackUser(shopper.userId);
    const productId = await fixture.product({ price: 1200, stock: 10 });
    const stack = { router, prisma: subgraphs.prisma } as Parameters<typeof placed>[0];
    const order = await placed(stack, shopper.token, [{ productId, quantity: 2 }]);
    orderIds.push(order.id);
    const { name } = await subgraphs.prisma.product.findUniqueOrThrow({ where: { id: productId } });
    return { shopper, order, productName: name };
  }

  const pay = async (router: RunningRouter, orderId: string, token: string) =>
    dataOf((await graphql(router, PAY, { id: orderId, payment: card(TEST_CARDS.success) }, token)).body);
  const move = async (router: RunningRouter, orderId: string, status: string) =>
    dataOf((await graphql(router, UPDATE_STATUS, { id: orderId, status }, admin)).body);

  it('delivers PAID, SHIPPED, DELIVERED in order with nested data, on both replicas; strangers are refused', async () => {
    const [first, second] = replicas as [RunningRouter, RunningRouter];
    const { shopper, order, productName } = await orderOf(first);
    const owner = track(wsClient(first, { authorization: `Bearer ${shopper.token}` }));
    const onFirst = owner.subscribe(STATUS, { id: order.id });
    // A second tab of the same user: it shares each event's resolution with the first.
    const twin = track(wsClient(first, { authorization: `Bearer ${shopper.token}` })).subscribe(STATUS, {
      id: order.id,
    });
    const ownerElsewhere = track(wsClient(second, { authorization: `Bearer ${shopper.token}` }));
    const mine = ownerElsewhere.subscribe(MINE);
    const staff = track(wsClient(second, { authorization: `Bearer ${admin}` }));
    const onSecond = staff.subscribe(STATUS, { id: order.id });

    const stranger = await registerCustomer(first);
    const refused = track(wsClient(first, { authorization: `Bearer ${stranger.token}` })).subscribe(STATUS, {
      id: order.id,
    });
    const anonymous = track(wsClient(first)).subscribe(STATUS, { id: order.id });
    expect(await activeOn(first, 2)).toBe(true);
    expect(await activeOn(second, 2)).toBe(true);
    expect(await eventually(async () => Boolean(refused.outcome.error && anonymous.outcome.error))).toBe(true);
    expect(errorCodesOf(refused.outcome.error)).toEqual(['NOT_FOUND']);
    expect(errorCodesOf(anonymous.outcome.error)).toEqual(['UNAUTHENTICATED']);

    await pay(first, order.id, shopper.token);
    await move(second, order.id, 'SHIPPED');
    await move(first, order.id, 'DELIVERED');
    expect(await eventually(async () => onFirst.results.length >= 3 && onSecond.results.length >= 3, 10_000)).toBe(
      true,
    );
    expect(await eventually(async () => mine.results.length >= 3, 5_000)).toBe(true);

    for (const { results } of [onFirst, onSecond]) {
      expect(results.every((result) => result.errors === undefined)).toBe(true);
      const events = results.map((result) => result.data?.['orderStatusChanged'] as StatusEvent);
      expect(events.map((event) => [event.previousStatus, event.status, event.sequence])).toEqual([
        ['PENDING', 'PAID', 2],
        ['PAID', 'SHIPPED', 3],
        ['SHIPPED', 'DELIVERED', 4],
      ]);
      expect(new Set(events.map((event) => event.eventId)).size).toBe(3);
      for (const event of events) {
        expect(event.order.id).toBe(order.id);
        expect(event.order.items).toEqual([{ quantity: 2, product: { name: productName } }]);
        expect(event.order.user).toEqual({ name: shopper.name });
      }
    }
    expect(twin.results).toEqual(onFirst.results);
    expect(mine.results.map((result) => (result.data?.['myOrderUpdates'] as StatusEvent).status)).toEqual([
      'PAID',
      'SHIPPED',
      'DELIVERED',
    ]);
    // Nothing more arrives: every event was delivered once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([onFirst.results.length, twin.results.length, onSecond.results.length, mine.results.length]).toEqual([
      3, 3, 3, 3,
    ]);
  }, 60_000);

  it('forgets every subscription and socket of closed connections', async () => {
    const [router] = replicas as [RunningRouter];
    const { shopper, order } = await orderOf(router);
    const before = { active: router.subscriptions.active, connections: router.subscriptions.connections };
    const opened = Array.from({ length: 20 }, () => wsClient(router, { authorization: `Bearer ${shopper.token}` }));
    for (const client of opened) {
      client.subscribe(STATUS, { id: order.id });
      client.subscribe(MINE);
    }
    expect(await activeOn(router, before.active + 40)).toBe(true);
    await Promise.all(opened.map((client) => client.dispose()));
    expect(
      await eventually(
        async () =>
          router.subscriptions.active === before.active && router.subscriptions.connections === before.connections,
      ),
    ).toBe(true);
  }, 30_000);

  it('a client reconnects after a router restart and re-reads the current status', async () => {
    const [first, second] = replicas as [RunningRouter, RunningRouter];
    const { shopper, order } = await orderOf(first);
    const owner = track(wsClient(first, { authorization: `Bearer ${shopper.token}` }, true));
    const live = owner.subscribe(STATUS, { id: order.id });
    expect(await activeOn(first, 1)).toBe(true);
    await pay(second, order.id, shopper.token);
    expect(await eventually(async () => live.results.length === 1, 10_000)).toBe(true);

    await first.stop();
    expect(owner.closes.map((close) => close.code)).toContain(1001);
    // Shipped while this replica is down: the event is published before its new queue exists.
    await move(second, order.id, 'SHIPPED');
    expect(
      await eventually(async () => {
        const rows = await subgraphs.prisma.outboxEvent.findMany({ where: { aggregateId: order.id } });
        return rows.every((row) => row.publishedAt !== null);
      }, 10_000),
    ).toBe(true);

    const restarted = await startReplica({ port: first.port });
    replicas[0] = restarted;
    await eventually(async () => restarted.subscriptions.feedReady, 10_000);
    expect(await eventually(async () => owner.connects() === 2 && restarted.subscriptions.active === 1, 15_000)).toBe(
      true,
    );
    const reread = await graphql(
      restarted,
      'query($id: ID!) { order(id: $id) { status } }',
      { id: order.id },
      shopper.token,
    );
    expect(reread.body.data).toEqual({ order: { status: 'SHIPPED' } });

    await move(restarted, order.id, 'DELIVERED');
    expect(await eventually(async () => live.results.length === 2, 10_000)).toBe(true);
    expect(live.results.map((result) => (result.data?.['orderStatusChanged'] as StatusEvent).status)).toEqual([
      'PAID',
      'DELIVERED',
    ]);
  }, 60_000);

  it('delivers each event id once, never goes back in an order, and drops a subscriber that cannot keep up', async () => {
    const { shopper, order } = await orderOf(replicas[1] as RunningRouter);
    const router = await startReplica({ subscriptions: { ...config.subscriptions, maxQueuedEvents: 2 } });
    try {
      await eventually(async () => router.subscriptions.feedReady, 10_000);
      const event = (sequence: number) =>
        payloadFor('order.status_changed', { orderId: order.id, userId: shopper.userId }, { sequence });
      const steady = track(wsClient(router, { authorization: `Bearer ${shopper.token}` }));
      const received = steady.subscribe(STATUS, { id: order.id });
      expect(await activeOn(router, 1)).toBe(true);
      const repeated = randomUUID();
      broker.publish('order.status_changed', repeated, event(5));
      broker.publish('order.status_changed', repeated, event(5));
      expect(await eventually(async () => received.results.length === 1)).toBe(true);
      broker.publish('order.status_changed', randomUUID(), event(4));
      broker.publish('order.status_changed', randomUUID(), event(6));
      expect(await eventually(async () => received.results.length === 2)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received.results.map((result) => (result.data?.['orderStatusChanged'] as StatusEvent).sequence)).toEqual([
        5, 6,
      ]);

      // A burst beyond the per-subscription bound: the connection is closed with 1013, memory stays bounded.
      for (let sequence = 10; sequence < 60; sequence++)
        broker.publish('order.status_changed', randomUUID(), event(sequence));
      expect(await eventually(async () => steady.closes.length > 0, 10_000)).toBe(true);
      expect(steady.closes[0]).toMatchObject({ code: 1013, reason: expect.stringMatching(/^TOO_SLOW/) });
      expect(await eventually(async () => router.subscriptions.active === 0)).toBe(true);
    } finally {
      await router.stop();
    }
  }, 60_000);

  it('pings idle connections and closes a connection when its token expires', async () => {
    const router = await startReplica({ subscriptions: { ...config.subscriptions, keepAliveMs: 1_000 } });
    try {
      const shopper = await registerCustomer(router);
      // `exp` is rounded down to a whole second: 3 s leaves over 2 s, so the 1 s ping always comes first.
      const shortLived = await TokenIssuer.fromKeyFile(subgraphs.keyFile, { ...JWT, ttlSeconds: 3 });
      const { token } = await shortLived.issue({ id: shopper.userId, roles: ['customer'] });
      const socket = new WebSocket(router.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const pinged = new Promise<void>((resolve) => socket.once('ping', () => resolve()));
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      const acknowledged = await new Promise<string>((resolve) =>
        socket.once('message', (data) => resolve(String(data))),
      );
      expect(JSON.parse(acknowledged)).toEqual({ type: 'connection_ack' });
      await pinged;
      expect(await closed).toEqual({ code: 4403, reason: 'UNAUTHENTICATED: Token has expired' });
    } finally {
      await router.stop();
    }
  }, 30_000);

  it('refuses bad credentials, non-subscriptions, invalid documents and silent sockets with clear codes', async () => {
    const router = await startReplica({
      subscriptions: { ...config.subscriptions, connectionInitTimeoutMs: 300 },
      explorerEnabled: false,
    });
    try {
      const forged = track(wsClient(router, { authorization: 'Bearer not.a.token' }));
      forged.subscribe(MINE);
      expect(await eventually(async () => forged.closes.length > 0)).toBe(true);
      expect(forged.closes[0]).toMatchObject({ code: 4403, reason: expect.stringMatching(/^UNAUTHENTICATED: /) });

      const { token } = await registerCustomer(router);
      const client = track(wsClient(router, { authorization: `Bearer ${token}` }));
      const query = client.subscribe('query { categories { id } }');
      const invalid = client.subscribe('subscription { myOrderUpdate { eventId } }');
      const unknownVariable = client.subscribe(STATUS, { id: 42.5 });
      expect(
        await eventually(async () => [query, invalid, unknownVariable].every((sub) => sub.outcome.error !== undefined)),
      ).toBe(true);
      expect(errorCodesOf(query.outcome.error)).toEqual(['BAD_REQUEST']);
      expect(errorCodesOf(invalid.outcome.error)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      // Without the explorer (no introspection) validation errors suggest no field names.
      expect(JSON.stringify(invalid.outcome.error)).not.toContain('Did you mean');
      expect(errorCodesOf(unknownVariable.outcome.error)).toEqual(['BAD_USER_INPUT']);

      // Variables nested 30,000 deep (written by hand: JSON.stringify itself overflows on them): as over
      // HTTP, refused before anything recursive (coercion, hashing) sees them.
      const raw = new WebSocket(router.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await new Promise((resolve) => raw.once('open', resolve));
      raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      await new Promise((resolve) => raw.once('message', resolve));
      const nested = `${'['.repeat(30_000)}1${']'.repeat(30_000)}`;
      raw.send(
        `{"id":"1","type":"subscribe","payload":{"query":${JSON.stringify(STATUS)},"variables":{"id":${nested}}}}`,
      );
      const answer = JSON.parse(String(await new Promise((resolve) => raw.once('message', resolve)))) as {
        type: string;
        payload: { extensions?: { code?: string } }[];
      };
      raw.close();
      expect([answer.type, errorCodesOf(answer.payload)]).toEqual(['error', ['BAD_REQUEST']]);

      const silent = new WebSocket(router.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const closed = await new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
      expect(closed).toBe(4408);
      // Without the graphql-transport-ws subprotocol (e.g. the legacy subscriptions-transport-ws client).
      const noProtocol = new WebSocket(router.url.replace(/^http/, 'ws'));
      expect(await new Promise<number>((resolve) => noProtocol.on('close', (code) => resolve(code)))).toBe(4406);
    } finally {
      await router.stop();
    }
  }, 30_000);
});
