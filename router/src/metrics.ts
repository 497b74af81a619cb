// The router's Prometheus metrics (served on METRICS_PORT, apart from the public port). Operation
// and client names come from callers, so their label values are bounded (see boundedLabel).
import { boundedLabel, Counter, Gauge, Histogram, LATENCY_BUCKETS, metrics, secondsSince } from '@minishop/runtime';

const operationDuration = new Histogram({
  name: 'router_operation_duration_seconds',
  help: 'GraphQL operations over HTTP, by operation name, client, operation type and outcome (success or the first error code)',
  labelNames: ['operation', 'client', 'type', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metrics],
});
const operationLabel = boundedLabel();
const clientLabel = boundedLabel();

/** Records one HTTP operation: started at `start` (process.hrtime.bigint()), ended now. */
export function observeOperation(
  operation: { name: string | undefined; client: string; type: string | undefined; outcome: string },
  start: bigint,
): void {
  operationDuration.observe(
    {
      operation: operationLabel(operation.name ?? 'anonymous'),
      client: clientLabel(operation.client),
      type: operation.type ?? 'unknown',
      outcome: operation.outcome,
    },
    secondsSince(start),
  );
}

export const subgraphFetchDuration = new Histogram({
  name: 'router_subgraph_fetch_duration_seconds',
  help: 'Fetches from the router to a subgraph, by subgraph and outcome (ok, http_<status>, timeout, network_error)',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metrics],
});

export const queryPlanCacheLookups = new Counter({
  name: 'router_query_plan_cache_lookups_total',
  help: "Lookups in the gateway's query plan cache, by result (hit, miss)",
  labelNames: ['result'] as const,
  registers: [metrics],
});

export const persistedOperationLookups = new Counter({
  name: 'router_persisted_operations_total',
  help: 'How operations arrived: manifest ids, APQ (hit, miss, registered) or freeform text, and refusals by the safelists',
  labelNames: ['source', 'result'] as const,
  registers: [metrics],
});

export const rateLimitRejections = new Counter({
  name: 'router_rate_limit_rejections_total',
  help: 'Requests and subscriptions refused by the rate limiter, by caller kind and transport',
  labelNames: ['caller', 'transport'] as const,
  registers: [metrics],
});

export const authorizationDenials = new Counter({
  name: 'router_authorization_denials_total',
  help: 'Operations with fields denied, by the reason: a @policy name, or @authenticated / @requiresScopes',
  labelNames: ['reason'] as const,
  registers: [metrics],
});

export const subscriptionDeliveries = new Counter({
  name: 'router_subscription_deliveries_total',
  help: 'Subscription results sent for events, by subscription field and outcome',
  labelNames: ['field', 'outcome'] as const,
  registers: [metrics],
});

/** Readings of the routers of this process (tests run several), summed at scrape time. */
const readings = { connections: new Set<() => number>(), subscriptions: new Set<() => number>() };
const feeds = new Set<() => boolean>();

new Gauge({
  name: 'router_websocket_connections',
  help: 'Open graphql-ws connections',
  registers: [metrics],
  collect() {
    this.set([...readings.connections].reduce((sum, read) => sum + read(), 0));
  },
});
new Gauge({
  name: 'router_subscriptions_active',
  help: 'Live subscriptions',
  registers: [metrics],
  collect() {
    this.set([...readings.subscriptions].reduce((sum, read) => sum + read(), 0));
  },
});
new Gauge({
  name: 'router_subscription_feed_up',
  help: '1 while every router here is connected to the RabbitMQ event feed, else 0',
  registers: [metrics],
  collect() {
    this.set([...feeds].every((connected) => connected()) ? 1 : 0);
  },
});

/** Registers a router's live figures for the gauges; the returned function removes them. */
export function trackLiveFigures(figures: {
  connections: () => number;
  subscriptions: () => number;
  feedConnected: () => boolean;
}): () => void {
  readings.connections.add(figures.connections);
  readings.subscriptions.add(figures.subscriptions);
  feeds.add(figures.feedConnected);
  return () => {
    readings.connections.delete(figures.connections);
    readings.subscriptions.delete(figures.subscriptions);
    feeds.delete(figures.feedConnected);
  };
}
