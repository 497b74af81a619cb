// `npm run bench:subscriptions`: BENCH_SUBSCRIBERS (1000) graphql-ws connections on one router, one
// subscription each (half `myOrderUpdates`, half `orderStatusChanged(orderId)`, both reaching the
// products subgraph through the query plan), while order status changes are produced at BENCH_RATE
// (20) per second for BENCH_SECONDS (30) through the router (pay, ship, deliver), after
// BENCH_WARMUP_SECONDS (5) of the same that are not measured (JIT, caches, pools). Prints delivery
// latency from the change's timestamp (written in the order transaction, just before its commit) to
// the client's receipt, deliveries made vs expected, router RSS per 1,000 connections and its CPU.
import { randomUUID } from 'node:crypto';
import { createPrismaClient } from '@minishop/db';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { cpuSeconds, rssMiB, runBenchmark } from '../dev/processes';
import { adminWithProduct, call, percentile, ROUTER_PORT, ROUTER_URL } from './shop-client';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CARD = { cardNumber: '4242424242424242', expiryMonth: 12, expiryYear: 2030, cvc: '123' };
const NEXT_STATUS: Record<string, string> = { PAID: 'SHIPPED', SHIPPED: 'DELIVERED' };

const EVENT = 'status changedAt order { id items { quantity product { name } } }';
const MINE = `subscription { myOrderUpdates { ${EVENT} } }`;
const ONE = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { ${EVENT} } }`;

interface Customer {
  token: string;
  orders: { id: string; status: string }[];
}

/** Customers with enough PENDING orders for the run (each order gives three changes). */
async function prepare(): Promise<{ admin: string; customers: Customer[] }> {
  const { adminToken, productId } = await adminWithProduct({
    name: 'Benchmark Kettle',
    description: 'Watched by a thousand clients',
    priceAmount: 3900,
  });
  const ordersEach = Math.ceil((RATE * (WARMUP_SECONDS + SECONDS)) / 3 / CUSTOMERS) + 1;
  const customers: Customer[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const { register } = await call<{ register: { token: string } }>(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      {
        input: {
          email: `ws-${i}-${randomUUID().slice(0, 8)}@example.com`,
          name: `Watcher ${i}`,
          password: 'bench pw 1234',
        },
      },
    );
    const orders = [];
    for (let n = 0; n < ordersEach; n++) {
      const { placeOrder } = await call<{ placeOrder: { id: string } }>(
        'mutation($items: [OrderLineInput!], $key: String!) { placeOrder(input: { items: $items }, idempotencyKey: $key) { id } }',
        { items: [{ productId, quantity: 1 }], key: randomUUID() },
        register.token,
      );
      orders.push({ id: placeOrder.id, status: 'PENDING' });
    }
    customers.push({ token: register.token, orders });
  }
  return { admin: adminToken, customers };
}

interface Watcher {
  client: Client;
  /** The order watched, or null for all of the customer's orders. */
  orderId: string | null;
  customer: Customer;
  received: number;
}

/** Opens the connections and waits until every subscription is accepted (acknowledged and registered). */
/** One delivery: when the change happened (its `changedAt`) and how long it took to reach the client. */
interface Delivery {
  changedAt: number;
  ms: number;
}

async function watch(customers: Customer[], deliveries: Delivery[]): Promise<Watcher[]> {
  const watchers: Watcher[] = [];
  const accepted: Promise<void>[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const customer = customers[i % customers.length] as Customer;
    const orderId = i % 2 === 0 ? null : (customer.orders[i % customer.orders.length]?.id ?? null);
    const client = createClient({
      url: ROUTER_URL.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${customer.token}` },
      retryAttempts: 0,
    });
    const watcher: Watcher = { client, orderId, customer, received: 0 };
    watchers.push(watcher);
    accepted.push(
      new Promise((resolve, reject) => {
        client.on('connected', () => resolve());
        client.subscribe(orderId ? { query: ONE, variables: { id: orderId } } : { query: MINE }, {
          next: (result) => {
            const data = result.data as Record<string, { changedAt: string }> | undefined;
            const event = data?.['myOrderUpdates'] ?? data?.['orderStatusChanged'];
            if (!event) return reject(new Error(JSON.stringify(result.errors)));
            const changedAt = Date.parse(event.changedAt);
            deliveries.push({ changedAt, ms: Date.now() - changedAt });
            watcher.received += 1;
          },
          error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => undefined,
        });
      }),
    );
  }
  await Promise.all(accepted);
  // Acknowledged connections; the subscribe-time checks finish shortly after.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return watchers;
}

/** One status change every 1/RATE s, round-robin over the customers: pay, then ship, then deliver. */
async function produce(admin: string, customers: Customer[], seconds: number) {
  const changes: { orderId: string; customer: Customer }[] = [];
  const failures: string[] = [];
  const started = Date.now();
  const pending: Promise<void>[] = [];
  for (let n = 0; Date.now() - started < seconds * 1000; n++) {
    const customer = customers[n % customers.length] as Customer;
    const order = customer.orders.find((candidate) => candidate.status !== 'DELIVERED');
    if (order) {
      const status = order.status;
      order.status = status === 'PENDING' ? 'PAID' : (NEXT_STATUS[status] ?? 'DELIVERED');
      const change = { orderId: order.id, customer };
      const request =
        status === 'PENDING'
          ? call(
              'mutation($id: ID!, $card: PaymentInput!) { payOrder(orderId: $id, payment: $card) { order { id } } }',
              { id: order.id, card: CARD },
              customer.token,
            )
          : call(
              'mutation($id: ID!, $s: OrderStatus!) { updateOrderStatus(orderId: $id, status: $s) { id } }',
              { id: order.id, s: order.status },
              admin,
            );
      pending.push(
        request
          .then(() => void changes.push(change))
          .catch((error: unknown) => {
            // A failed change rolled back: it produced no event, so none is expected for it.
            order.status = status;
            failures.push(error instanceof Error ? error.message : String(error));
          }),
      );
    }
    const next = started + ((n + 1) * 1000) / RATE;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
  }
  await Promise.all(pending);
  return { changes, failures };
}

runBenchmark('bench:subscriptions', ROUTER_PORT, async ({ env, service }) => {
  const router = service('router')?.child.pid;
  const subgraphs = service('subgraphs')?.child.pid;
  const { admin, customers } = await prepare();
  const rssBefore = rssMiB(router);
  const deliveries: Delivery[] = [];
  const watchers = await watch(customers, deliveries);
  const rssConnected = rssMiB(router);
  await produce(admin, customers, WARMUP_SECONDS);
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  const started = Date.now();
  const cpuStart = cpuSeconds(router);
  const subgraphsCpuStart = cpuSeconds(subgraphs);
  const { changes, failures } = await produce(admin, customers, SECONDS);
  const expected = changes.reduce(
    (sum, change) =>
      sum +
      watchers.filter(
        (watcher) =>
          watcher.customer === change.customer && (watcher.orderId === null || watcher.orderId === change.orderId),
      ).length,
    0,
  );
  const measured = () => deliveries.filter((delivery) => delivery.changedAt >= started);
  const deadline = Date.now() + 10_000;
  while (measured().length < expected && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const elapsed = (Date.now() - started) / 1000;
  const cpu = cpuSeconds(router) - cpuStart;
  const subgraphsCpu = cpuSeconds(subgraphs) - subgraphsCpuStart;
  const rssEnd = rssMiB(router);
  await Promise.all(watchers.map((watcher) => watcher.client.dispose()));
  const latencies = measured().map((delivery) => delivery.ms);
  const pickup = await relayPickup(
    String(env.DATABASE_URL),
    [...new Set(changes.map((change) => change.orderId))],
    started,
  );
  const perThousand = ((rssConnected - rssBefore) * 1000) / SUBSCRIBERS;
  return {
    title: 'subscriptions on one router',
    rows: [
      ['subscribers / customers', `${SUBSCRIBERS} connections / ${CUSTOMERS} customers`],
      ['status changes', `${changes.length} in ${SECONDS} s (${(changes.length / SECONDS).toFixed(1)}/s)`],
      ['failed changes', failures.length === 0 ? '0' : `${failures.length}, e.g. ${failures[0]}`],
      ['deliveries', `${latencies.length} of ${expected} expected (${(latencies.length / elapsed).toFixed(0)}/s)`],
      [
        'change -> client p50 / p99 / max',
        `${percentile(latencies, 50)} / ${percentile(latencies, 99)} / ${Math.max(...latencies)} ms`,
      ],
      ['of which change -> relay claim p50 / p99', `${percentile(pickup, 50)} / ${percentile(pickup, 99)} ms`],
      ['router RSS idle / connected / end', `${rssBefore} / ${rssConnected} / ${rssEnd} MiB`],
      ['router RSS per 1,000 connections', `${perThousand.toFixed(0)} MiB`],
      ['router CPU while producing', `${((cpu / elapsed) * 100).toFixed(0)} % of one core (${cpu.toFixed(1)} s)`],
      ['subgraphs CPU (all, one process)', `${((subgraphsCpu / elapsed) * 100).toFixed(0)} % of one core`],
    ],
  };
});

/** How long each change waited in the outbox: its timestamp to the relay's claiming transaction. */
async function relayPickup(databaseUrl: string, orderIds: string[], since: number): Promise<number[]> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const rows = await prisma.outboxEvent.findMany({
      where: { aggregateId: { in: orderIds }, type: 'order.status_changed' },
      select: { payload: true, publishedAt: true },
    });
    return rows
      .map((row) => ({
        published: Number(row.publishedAt),
        changed: Date.parse((row.payload as { changedAt: string }).changedAt),
      }))
      .filter((row) => row.changed >= since)
      .map((row) => row.published - row.changed);
  } finally {
    await prisma.$disconnect();
  }
}
