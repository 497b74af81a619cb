// `npm run bench:checkout`: checkout through the router (placeOrder + payOrder) by BENCH_USERS (20)
// concurrent customers for BENCH_SECONDS (30) against the dev stack with every process running
// (subgraphs, workers, router). Prints orders/s, place/pay/checkout latency, outbox lag (commit ->
// published) and end-to-end event latency (commit -> notification row).
import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@minishop/db';
import { rssMiB, runBenchmark } from '../dev/processes';
import { adminWithProduct, call, percentile, ROUTER_PORT } from './shop-client';

const USERS = Number(process.env.BENCH_USERS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CARD = { cardNumber: '4242424242424242', expiryMonth: 12, expiryYear: 2030, cvc: '123' };

const fmt = (values: number[]) => `${percentile(values, 50).toFixed(0)} ms / ${percentile(values, 99).toFixed(0)} ms`;

async function prepare(): Promise<{ productId: string; tokens: string[] }> {
  const { productId } = await adminWithProduct({
    name: 'Benchmark Mug',
    description: 'Bought many times a second',
    priceAmount: 1200,
  });
  const tokens = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const input = {
        email: `bench-${i}-${randomUUID().slice(0, 8)}@example.com`,
        name: `Bench ${i}`,
        password: 'benchmark password',
      };
      const { register } = await call<{ register: { token: string } }>(
        'mutation($input: RegisterInput!) { register(input: $input) { token } }',
        { input },
      );
      return register.token;
    }),
  );
  return { productId, tokens };
}

async function shopper(token: string, productId: string, deadline: number, stats: Stats): Promise<void> {
  while (Date.now() < deadline) {
    const started = performance.now();
    const { placeOrder } = await call<{ placeOrder: { id: string } }>(
      'mutation($items: [OrderLineInput!], $key: String!) { placeOrder(input: { items: $items }, idempotencyKey: $key) { id } }',
      { items: [{ productId, quantity: 1 }], key: randomUUID() },
      token,
    );
    const placed = performance.now();
    await call(
      'mutation($id: ID!, $card: PaymentInput!) { payOrder(orderId: $id, payment: $card) { order { status } } }',
      { id: placeOrder.id, card: CARD },
      token,
    );
    const paid = performance.now();
    stats.place.push(placed - started);
    stats.pay.push(paid - placed);
    stats.checkout.push(paid - started);
    stats.orderIds.push(placeOrder.id);
  }
}

interface Stats {
  place: number[];
  pay: number[];
  checkout: number[];
  orderIds: string[];
}

runBenchmark('bench:checkout', ROUTER_PORT, async ({ env, service }) => {
  const prisma = createPrismaClient(String(env.DATABASE_URL));
  try {
    const { productId, tokens } = await prepare();
    const stats: Stats = { place: [], pay: [], checkout: [], orderIds: [] };
    const started = Date.now();
    await Promise.all(tokens.map((token) => shopper(token, productId, started + SECONDS * 1000, stats)));
    const elapsed = (Date.now() - started) / 1000;
    const { lag, events, endToEnd, notified, paid } = await eventLatencies(prisma, stats.orderIds);
    const rss = (name: string) => rssMiB(service(name)?.child.pid);
    return {
      title: 'checkout through the router',
      rows: [
        ['users / duration', `${USERS} / ${elapsed.toFixed(1)} s`],
        [
          'orders placed and paid',
          `${stats.orderIds.length} (${(stats.orderIds.length / elapsed).toFixed(1)} orders/s)`,
        ],
        ['placeOrder p50 / p99', fmt(stats.place)],
        ['payOrder p50 / p99', fmt(stats.pay)],
        ['checkout (both) p50 / p99', fmt(stats.checkout)],
        ['outbox lag p50 / p99', `${fmt(lag)} (${events} events)`],
        ['event -> notification p50 / p99', `${fmt(endToEnd)} (${notified} of ${paid} order.paid)`],
        ['RSS router / subgraphs / workers', `${rss('router')} / ${rss('subgraphs')} / ${rss('workers')} MiB`],
      ],
    };
  } finally {
    await prisma.$disconnect();
  }
});

/** Lets the relay and the consumers finish, then reads the lags from the rows' own timestamps. */
async function eventLatencies(prisma: PrismaClient, orderIds: string[]) {
  const deadline = Date.now() + 30_000;
  while ((await prisma.outboxEvent.count({ where: { aggregateId: { in: orderIds }, publishedAt: null } })) > 0) {
    if (Date.now() > deadline) throw new Error('outbox not drained within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const events = await prisma.outboxEvent.findMany({
    where: { aggregateId: { in: orderIds } },
    select: { id: true, type: true, createdAt: true, publishedAt: true },
  });
  const paid = new Map(
    events.filter((event) => event.type === 'order.paid').map((event) => [event.id, event.createdAt]),
  );
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const notifications = await prisma.notification.findMany({
    where: { eventId: { in: [...paid.keys()] } },
    select: { eventId: true, createdAt: true },
  });
  return {
    lag: events.map((event) => Number(event.publishedAt) - Number(event.createdAt)),
    events: events.length,
    endToEnd: notifications.map((row) => Number(row.createdAt) - Number(paid.get(String(row.eventId)))),
    notified: notifications.length,
    paid: paid.size,
  };
}
