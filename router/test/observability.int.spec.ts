import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { listen, readSupergraphConfig } from '@minishop/runtime';
import { TEST_CARDS } from '../../subgraphs/orders/src/payment-provider';
import { startServices, stopServices, type Service } from '../../scripts/dev/processes';
import { eventually, metricSamples, metricTotal } from './harness';

// Tracing needs the real processes: OpenTelemetry patches modules as Node loads them, which jest's own
// module loader bypasses. So this suite starts the subgraphs, workers and router as `npm start` does
// (ports 4000-4010, router metrics on 9464) with OTLP export to a receiver here, reads the traces it
// collects, every process's /metrics and every log line (at debug level).

jest.setTimeout(120_000);

const ROUTER = 'http://127.0.0.1:4000/graphql';

interface ReceivedSpan {
  service: string;
  scope: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: OtlpAttribute[];
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number };
}

interface OtlpTraces {
  resourceSpans?: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans?: { scope?: { name?: string }; spans?: Omit<ReceivedSpan, 'service' | 'scope'>[] }[];
  }[];
}

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

/** An OTLP/HTTP (JSON) traces endpoint keeping every span it receives. */
function otlpReceiver(spans: ReceivedSpan[]): Server {
  return createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const traces = JSON.parse(body) as OtlpTraces;
      for (const resourceSpans of traces.resourceSpans ?? []) {
        const attribute = (key: string) =>
          resourceSpans.resource.attributes.find((candidate) => candidate.key === key)?.value.stringValue ?? '';
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({ ...span, service: attribute('service.name'), scope: scopeSpans.scope?.name ?? '' });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
}

const CLIENT_NAME = 'observability-test';

async function post(body: object, headers: Record<string, string> = {}) {
  const response = await fetch(ROUTER, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollographql-client-name': CLIENT_NAME, ...headers },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: Record<string, { [key: string]: unknown }>; errors?: unknown };
}

describe('observability of the running system: traces, metrics, logs', () => {
  const spans: ReceivedSpan[] = [];
  const logs: string[] = [];
  const receiver = otlpReceiver(spans);
  let services: Service[] = [];

  beforeAll(async () => {
    const port = await listen(receiver, 0);
    services = await startServices(
      {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        DEPLOYMENT_ENVIRONMENT: 'test',
        LOG_LEVEL: 'debug',
      },
      4000,
      (service, line) => logs.push(`${service} ${line}`),
    );
  });
  afterAll(async () => {
    await stopServices(services);
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function customerCheckout(traceparent: string) {
    const login = await post({
      query: 'mutation { login(email: "customer@minishop.dev", password: "customer123!") { token } }',
    });
    const authorization = `Bearer ${String((login.data?.login as { token: string }).token)}`;
    const products = await post({
      query: '{ products(first: 1, filter: { inStock: true }) { edges { node { id } } } }',
    });
    const productId = (products.data?.products as { edges: { node: { id: string } }[] }).edges[0]?.node.id;
    const placed = await post(
      {
        query:
          'mutation($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { id status } }',
        variables: { input: { items: [{ productId, quantity: 1 }] }, key: randomBytes(8).toString('hex') },
      },
      { authorization, traceparent },
    );
    expect(placed.errors).toBeUndefined();
    return { authorization, orderId: String(placed.data?.placeOrder?.id) };
  }

  const spansOf = (traceId: string) => spans.filter((span) => span.traceId === traceId);

  /** Spans hanging off neither another span of the trace nor one of the caller's spans. */
  function orphansOf(received: ReceivedSpan[], callerSpanIds: string[]) {
    const ids = new Set([...received.map((span) => span.spanId), ...callerSpanIds]);
    return received.filter((span) => !ids.has(span.parentSpanId));
  }

  /**
   * The spans of a trace once its last batches are in: every parent has arrived and nothing new came
   * for half a second (each process exports on its own timer), or 10 s passed.
   */
  async function settledTrace(traceId: string, callerSpanIds: string[]) {
    let count = -1;
    let changedAt = Date.now();
    await eventually(async () => {
      const received = spansOf(traceId);
      if (received.length !== count) [count, changedAt] = [received.length, Date.now()];
      return Date.now() - changedAt >= 500 && orphansOf(received, callerSpanIds).length === 0;
    }, 10_000);
    return spansOf(traceId);
  }

  it("continues the caller's trace through the router into every subgraph a checkout touches, down to SQL", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    await customerCheckout(`00-${traceId}-${callerSpanId}-01`);

    const trace = () => spansOf(traceId);
    const subgraphSpans = () => trace().filter((span) => span.service === 'subgraphs').length;
    expect(await eventually(async () => subgraphSpans() > 5, 20_000)).toBe(true);

    const received = await settledTrace(traceId, [callerSpanId]);
    expect(orphansOf(received, [callerSpanId])).toEqual([]);

    const routerServer = received.find((span) => span.service === 'router' && span.kind === SERVER);
    expect(routerServer).toMatchObject({ parentSpanId: callerSpanId, name: 'POST' });
    expect(received.map((span) => span.name)).toEqual(expect.arrayContaining(['gateway.request', 'gateway.plan']));

    // The router's fetches to the subgraphs are the parents of the subgraphs' server spans.
    const routerFetches = received.filter((span) => span.service === 'router' && span.kind === CLIENT);
    const subgraphServers = received.filter((span) => span.service === 'subgraphs' && span.kind === SERVER);
    expect(subgraphServers.length).toBeGreaterThan(0);
    expect(subgraphServers.some((span) => routerFetches.some((fetch) => fetch.spanId === span.parentSpanId))).toBe(
      true,
    );
    // The orders subgraph calls products (stock) and cart itself: server spans under its own client spans.
    const subgraphFetches = new Set(
      received.filter((span) => span.service === 'subgraphs' && span.kind === CLIENT).map((span) => span.spanId),
    );
    expect(subgraphServers.some((span) => subgraphFetches.has(span.parentSpanId))).toBe(true);
    expect(received.some((span) => span.scope.includes('instrumentation-pg') && span.name.startsWith('pg.query'))).toBe(
      true,
    );
    expect(received.some((span) => span.scope.includes('instrumentation-graphql'))).toBe(true);
  });

  it('continues a checkout through the outbox, RabbitMQ, the notifications consumer and the subscription push', async () => {
    // The client's checkout is one trace: placing the order, then paying it.
    const traceId = randomBytes(16).toString('hex');
    const [placeSpanId, paySpanId] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
    const { authorization, orderId } = await customerCheckout(`00-${traceId}-${placeSpanId}-01`);

    const pushed: unknown[] = [];
    const client = createClient({
      url: ROUTER.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
      retryAttempts: 0,
    });
    try {
      const subscribed = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      client.subscribe(
        { query: `subscription { orderStatusChanged(orderId: "${orderId}") { status sequence } }` },
        { next: (result) => void pushed.push(result), error: () => undefined, complete: () => undefined },
      );
      await subscribed;
      await new Promise((resolve) => setTimeout(resolve, 300)); // the subscribe-time check
      const paid = await post(
        {
          query:
            'mutation($id: ID!, $payment: PaymentInput!) { payOrder(orderId: $id, payment: $payment) { order { status } } }',
          variables: {
            id: orderId,
            payment: { cardNumber: TEST_CARDS.success, expiryMonth: 12, expiryYear: 2099, cvc: '123' },
          },
        },
        { authorization, traceparent: `00-${traceId}-${paySpanId}-01` },
      );
      expect(paid.errors).toBeUndefined();
      expect(await eventually(async () => pushed.length > 0, 20_000)).toBe(true);
      expect(pushed[0]).toEqual({ data: { orderStatusChanged: { status: 'PAID', sequence: 2 } } });
    } finally {
      await client.dispose();
    }

    const trace = () => spansOf(traceId);
    const named = (name: string, service: string) =>
      trace().filter((span) => span.name === name && span.service === service);
    const notified = () =>
      named('process order.created', 'workers').find((span) =>
        span.attributes.some(
          (a) => a.key === 'messaging.consumer.group.name' && a.value.stringValue === 'notifications',
        ),
      );
    const delivered = () => named('deliver orderStatusChanged', 'router')[0];
    expect(await eventually(async () => notified() !== undefined && delivered() !== undefined, 20_000)).toBe(true);

    const received = await settledTrace(traceId, [placeSpanId, paySpanId]);
    expect(orphansOf(received, [placeSpanId, paySpanId])).toEqual([]);
    const byId = new Map(received.map((span) => [span.spanId, span]));
    const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
      const parent = byId.get(span.parentSpanId);
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    // placeOrder -> orders (outbox row) -> relay publish -> notifications consumer -> its SQL.
    const consumer = notified() as ReceivedSpan;
    // The relay's publish (the amqplib instrumentation's producer span, ended by the broker's confirm).
    const publishOf = (span: ReceivedSpan) => ancestors(span).find((ancestor) => ancestor.kind === PRODUCER);
    const routingKey = (span: ReceivedSpan | undefined) =>
      span?.attributes.find((attribute) => attribute.key === 'messaging.rabbitmq.routing_key')?.value.stringValue;
    expect(consumer.kind).toBe(CONSUMER);
    expect(byId.get(consumer.parentSpanId)).toMatchObject({ name: 'minishop.notifications process', kind: CONSUMER });
    expect(publishOf(consumer)).toMatchObject({ name: 'publish minishop.events', service: 'workers' });
    expect(routingKey(publishOf(consumer))).toBe('order.created');
    expect(ancestors(consumer).map((span) => span.service)).toEqual(expect.arrayContaining(['subgraphs', 'router']));
    expect(ancestors(consumer).at(-1)?.parentSpanId).toBe(placeSpanId);
    expect(received.some((span) => span.parentSpanId === consumer.spanId && span.name.startsWith('pg.query'))).toBe(
      true,
    );

    // payOrder -> orders -> relay publish -> the router's delivery, which resolves through the orders subgraph.
    const delivery = delivered() as ReceivedSpan;
    expect(byId.get(delivery.parentSpanId)).toMatchObject({ name: 'publish minishop.events', service: 'workers' });
    expect(routingKey(byId.get(delivery.parentSpanId))).toBe('order.status_changed');
    expect(ancestors(delivery).at(-1)?.parentSpanId).toBe(paySpanId);
    const deliveryFetches = received.filter((span) => span.kind === CLIENT && ancestors(span).includes(delivery));
    const subgraphServers = received.filter((span) => span.service === 'subgraphs' && span.kind === SERVER);
    expect(subgraphServers.some((span) => deliveryFetches.some((fetch) => fetch.spanId === span.parentSpanId))).toBe(
      true,
    );
  });

  it('puts the request id, operation, client and trace ids on log lines written inside a request', async () => {
    const traceId = randomBytes(16).toString('hex');
    const requestId = `req-${randomBytes(6).toString('hex')}`;
    const operationName = `Unlisted${randomBytes(4).toString('hex')}`;
    // A freeform operation the web safelist does not know is logged (once per document) while handling it.
    const response = await fetch(ROUTER, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'apollographql-client-name': CLIENT_NAME,
        'x-request-id': requestId,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ query: `query ${operationName} { __typename }`, operationName }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const logged = () => logs.find((line) => line.startsWith('router ') && line.includes(`"trace_id":"${traceId}"`));
    expect(await eventually(async () => logged() !== undefined, 10_000)).toBe(true);
    const line = JSON.parse(String(logged()).slice('router '.length)) as Record<string, unknown>;
    expect(line).toMatchObject({
      request_id: requestId,
      operation: operationName,
      client: CLIENT_NAME,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('serves Prometheus metrics from every process, with the Node runtime and each part of the flow', async () => {
    const scrape = async (url: string) => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      return response.text();
    };
    const ordersUrl = readSupergraphConfig().find((subgraph) => subgraph.name === 'orders')?.routingUrl;
    const endpoints = {
      router: 'http://127.0.0.1:9464/metrics',
      subgraphs: new URL('/metrics', ordersUrl).toString(),
      workers: 'http://127.0.0.1:4010/metrics',
    };
    for (const [service, url] of Object.entries(endpoints)) {
      const text = await scrape(url);
      expect(metricTotal(text, 'process_resident_memory_bytes', { service })).toBeGreaterThan(0);
      expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    }
    const [router, subgraphs] = [await scrape(endpoints.router), await scrape(endpoints.subgraphs)];
    const placed = { operation: 'anonymous', client: CLIENT_NAME, type: 'mutation', outcome: 'success' };
    expect(metricTotal(router, 'router_operation_duration_seconds_count', placed)).toBeGreaterThanOrEqual(2);
    expect(metricTotal(router, 'router_subgraph_fetch_duration_seconds_count', { subgraph: 'orders' })).toBeGreaterThan(
      0,
    );
    expect(
      metricTotal(router, 'router_subscription_deliveries_total', { field: 'orderStatusChanged' }),
    ).toBeGreaterThan(0);
    expect(metricTotal(router, 'router_subscription_feed_up')).toBe(1);
    expect(metricTotal(subgraphs, 'subgraph_request_duration_seconds_count', { subgraph: 'orders' })).toBeGreaterThan(
      0,
    );

    // The checkout's events went through the outbox and the consumers (asynchronously: wait for them).
    const workers = async () => scrape(endpoints.workers);
    const processed = { consumer: 'notifications', outcome: 'processed' };
    expect(
      await eventually(async () => metricTotal(await workers(), 'consumer_events_total', processed) >= 2, 10_000),
    ).toBe(true);
    const text = await workers();
    expect(metricTotal(text, 'outbox_events_published_total', { event_type: 'order.created' })).toBeGreaterThan(0);
    expect(metricSamples(text, 'outbox_backlog_events')).toEqual([
      { labels: { schema: 'orders', service: 'workers' }, value: expect.any(Number) },
    ]);
    expect(metricSamples(text, 'outbox_oldest_unpublished_age_seconds')).toHaveLength(1);
    expect(metricTotal(text, 'consumer_event_duration_seconds_count', { consumer: 'notifications' })).toBeGreaterThan(
      0,
    );
    const queues = metricSamples(text, 'consumer_queue_messages').filter(
      (s) => s.labels['consumer'] === 'notifications',
    );
    expect(queues.map((sample) => sample.labels['queue']).sort()).toEqual(['dlq', 'main', 'retry']);
  });

  it('never writes a password, token, API key or card number to any log line', async () => {
    const admin = await post({
      query: 'mutation { login(email: "admin@minishop.dev", password: "admin123!") { token } }',
    });
    const adminToken = String((admin.data?.login as { token: string }).token);
    const created = await post(
      {
        query: `mutation { createPartnerClient(input: { name: "log check ${randomBytes(3).toString('hex')}", manifestId: "acme-feed" }) { apiKey client { id } } }`,
      },
      { authorization: `Bearer ${adminToken}` },
    );
    const apiKey = String((created.data?.createPartnerClient as { apiKey: string } | undefined)?.apiKey);
    expect(apiKey.length).toBeGreaterThan(20);
    await post({ query: '{ __typename }' }, { 'x-api-key': apiKey });
    await post({ query: '{ __typename }' }, { 'x-api-key': `${apiKey.slice(0, 12)}-forged` });
    await post({ query: '{ me { id } }' }, { authorization: 'Bearer not-a-token' });
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await post({
      query: `mutation { register(input: { email: "logs-${randomBytes(4).toString('hex')}@example.com", name: "Log Check", password: "${password}" }) { token } }`,
    });
    await post({ query: `mutation { login(email: "customer@minishop.dev", password: "${password}") { token } }` });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the last lines

    expect(logs.length).toBeGreaterThan(20);
    const secrets = [password, 'customer123!', 'admin123!', adminToken, apiKey, TEST_CARDS.success];
    expect(logs.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);
    // No JSON Web Token of any kind: user tokens, the router's identity tokens to the subgraphs.
    expect(logs.filter((line) => /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/.test(line))).toEqual([]);
  });

  it('sends no spans for health probes', async () => {
    await fetch('http://127.0.0.1:4000/health/ready');
    await fetch('http://127.0.0.1:4000/graphql?query=%7B__typename%7D'); // a traced request after it
    const pathOf = (span: ReceivedSpan) =>
      span.attributes.find((attribute) => ['http.target', 'url.path'].includes(attribute.key))?.value.stringValue;
    expect(await eventually(async () => spans.some((span) => pathOf(span) === '/graphql'), 10_000)).toBe(true);
    expect(spans.filter((span) => pathOf(span)?.startsWith('/health'))).toEqual([]);
  });
});
