import { randomUUID } from 'node:crypto';
// The router's Prometheus metrics, read from its metrics port after real traffic through the router.
import type { RunningRouter } from '../src';
import { sha256Hex } from '../src/persisted';
import { byId, post } from './security-fixtures';
import { metricSamples as samples, metricTotal as total, startStack } from './harness';

jest.setTimeout(60_000);

describe('router metrics', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let router: RunningRouter;
  const scrape = async () => {
    const response = await fetch(router.metricsUrl);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };
  const client = { 'apollographql-client-name': 'metrics-test' };

  beforeAll(async () => {
    stack = await startStack();
    router = stack.router;
  });
  afterAll(() => stack.stop());

  it('serves the metrics on their own port only, never on the public one', async () => {
    expect(router.metricsUrl).not.toContain(`:${router.port}/`);
    expect((await fetch(new URL('/metrics', router.url))).status).toBe(404);
    expect(await scrape()).toContain('# TYPE router_operation_duration_seconds histogram');
  });

  it('counts operations by name, client, type and outcome, with latency buckets', async () => {
    const before = await scrape();
    const labels = { operation: 'MetricsProducts', client: 'metrics-test', type: 'query', outcome: 'success' };
    for (let i = 0; i < 3; i += 1) {
      const { body } = await post(
        router,
        { query: 'query MetricsProducts { products(first: 2) { edges { node { id } } } }' },
        client,
      );
      expect(body.errors).toBeUndefined();
    }
    await post(router, { query: 'query MetricsBroken { noSuchField }' }, client);
    await post(router, { query: '{ products(first: 1) { edges { node { id } } } }' });

    const after = await scrape();
    const count = (text: string, l: Record<string, string>) =>
      total(text, 'router_operation_duration_seconds_count', l);
    expect(count(after, labels) - count(before, labels)).toBe(3);
    const failed = { operation: 'MetricsBroken', client: 'metrics-test', outcome: 'GRAPHQL_VALIDATION_FAILED' };
    expect(count(after, failed) - count(before, failed)).toBe(1);
    const anonymous = { operation: 'anonymous', client: 'unknown', type: 'query', outcome: 'success' };
    expect(count(after, anonymous) - count(before, anonymous)).toBeGreaterThanOrEqual(1);
    const buckets = samples(after, 'router_operation_duration_seconds_bucket').filter(
      (sample) => sample.labels['operation'] === 'MetricsProducts',
    );
    expect(buckets.find((sample) => sample.labels['le'] === '+Inf')?.value).toBeGreaterThanOrEqual(3);
    expect(buckets.length).toBeGreaterThan(5);

    // The gateway planned MetricsProducts once and reused the plan; the products subgraph answered.
    expect(total(after, 'router_query_plan_cache_lookups_total', { result: 'hit' })).toBeGreaterThanOrEqual(2);
    expect(total(after, 'router_query_plan_cache_lookups_total', { result: 'miss' })).toBeGreaterThanOrEqual(1);
    const fetches = { subgraph: 'products', outcome: 'ok' };
    expect(total(after, 'router_subgraph_fetch_duration_seconds_count', fetches)).toBeGreaterThan(
      total(before, 'router_subgraph_fetch_duration_seconds_count', fetches),
    );
  });

  it('cuts operation names to 100 characters for labels (a name can be as long as a request body)', async () => {
    const name = `Long${'x'.repeat(300)}`;
    await post(router, { query: `query ${name} { __typename }` }, client);
    const operations = samples(await scrape(), 'router_operation_duration_seconds_count').map(
      (sample) => sample.labels['operation'],
    );
    expect(operations).toContain(name.slice(0, 100));
    expect(operations).not.toContain(name);
  });

  it('counts APQ misses, registrations and hits', async () => {
    // New text every run: registered APQs outlive a run in Redis.
    const query = `query MetricsApq { products(first: 1) { edges { node { id name } } } } # ${randomUUID()}`;
    const hash = sha256Hex(query);
    const before = await scrape();
    const apq = (text: string, result: string) =>
      total(text, 'router_persisted_operations_total', { source: 'apq', result });
    const miss = (text: string) => total(text, 'router_persisted_operations_total', { source: 'id', result: 'miss' });
    expect((await post(router, byId(hash))).body.errors?.[0]?.extensions?.['code']).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post(router, { query, ...byId(hash) })).body.errors).toBeUndefined();
    expect((await post(router, byId(hash))).body.errors).toBeUndefined();
    const after = await scrape();
    expect(miss(after) - miss(before)).toBe(1);
    expect(apq(after, 'registered') - apq(before, 'registered')).toBe(1);
    expect(apq(after, 'hit') - apq(before, 'hit')).toBe(1);
  });

  it('counts authorization denials by policy', async () => {
    const before = await scrape();
    const { body } = await post(router, { query: '{ products(first: 1) { edges { node { id available } } } }' });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const after = await scrape();
    const denials = (text: string) => total(text, 'router_authorization_denials_total', { reason: 'inventory.read' });
    expect(denials(after) - denials(before)).toBe(1);
  });
});
