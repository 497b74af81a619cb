// `npm run bench:router`: a deep federated read (products, reviews, users, orders, cart) by the seeded
// customer through (a) a vanilla @apollo/gateway (scripts/bench/vanilla-gateway.ts) and (b) our router
// with everything on, deduplication on and off, and everything on plus tracing at 100% sampling
// exported over OTLP (to a sink in this process that counts spans), against the dev stack. Each measured process is
// pinned to one core (taskset), this client to the other; subgraphs and the stack are left to the OS.
// Rounds alternate gateway, router, router, ...; then the same at 1 connection. Prints requests/s,
// latency p50/p99, RSS and the router/gateway ratios.
// Settings: BENCH_CONNECTIONS (50), BENCH_SECONDS (20), BENCH_ROUNDS (3), BENCH_OTEL_DISABLED (instrumentations
// left out of the traced router, e.g. `graphql`), BENCH_TRACE_RATIO (the traced router's sampling ratio, 1).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { createIdentitySigner, listen, loadOrCreateSigningKey, repoRoot, type Viewer } from '@minishop/runtime';
import { decodeJwt } from 'jose';
import { cpuSeconds, launch, rssMiB, runBenchmark, stopServices, waitReady, type Service } from '../dev/processes';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TRACE_RATIO = process.env.BENCH_TRACE_RATIO ?? '1';
const MEASURED_CORE = '1';
const CLIENT_CORE = '0';
const ROUTER_PORT = 4000; // started by runBenchmark (unpinned, idle here): subgraphs get the identity keys from it

const DEEP_READ = `query DeepRead {
  products(first: 100) {
    totalCount
    edges {
      cursor
      node {
        id sku name description status
        price { amount currency }
        inStock
        category { id slug name parent { id slug name children { id slug name } } }
        rating { average count }
        reviews(first: 10) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id rating title body createdAt updatedAt author { id name memberSince } } }
        }
      }
    }
  }
  me {
    id name memberSince
    orders(first: 20) {
      edges {
        node {
          id status placedAt
          total { amount currency }
          items { quantity lineTotal { amount currency } product { id name price { amount currency } rating { average count } } }
        }
      }
    }
    cart { itemCount subtotal { amount currency } items { quantity lineTotal { amount currency } product { id name inStock } } }
  }
}`;
const SUBGRAPHS = 'products, reviews, users, orders, cart';
const BODY = JSON.stringify({ query: DEEP_READ });

interface Target {
  label: string;
  url: string;
  authorization: string;
  service: Service;
}

interface Run {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
  rss: number;
  cores: number;
  subgraphsCores: number;
}

async function post(url: string, body: string, authorization?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

async function call<T>(query: string, variables: Record<string, unknown>, authorization?: string): Promise<T> {
  const { text } = await post(
    `http://127.0.0.1:${ROUTER_PORT}/graphql`,
    JSON.stringify({ query, variables }),
    authorization,
  );
  const body = JSON.parse(text) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The seeded customer's access token, with three products in the cart (the cart is replaced). */
async function signInCustomer(): Promise<string> {
  const { login } = await call<{ login: { token: string } }>(
    'mutation { login(email: "customer@minishop.dev", password: "customer123!") { token } }',
    {},
  );
  const authorization = `Bearer ${login.token}`;
  await call('mutation { clearCart { itemCount } }', {}, authorization);
  const { products } = await call<{ products: { edges: { node: { id: string } }[] } }>(
    '{ products(first: 3, filter: { inStock: true }) { edges { node { id } } } }',
    {},
  );
  for (const { node } of products.edges) {
    await call(
      'mutation($id: ID!) { addToCart(productId: $id, quantity: 2) { itemCount } }',
      { id: node.id },
      authorization,
    );
  }
  return login.token;
}

/** What our router would send the subgraphs for this user: the vanilla gateway forwards it as-is. */
async function identityTokenFor(userToken: string): Promise<string> {
  const claims = decodeJwt(userToken);
  const viewer: Viewer = {
    userId: String(claims.sub),
    roles: claims['roles'] as string[],
    scopes: String(claims['scope']).split(' ').filter(Boolean),
  };
  const key = await loadOrCreateSigningKey(
    process.env.ROUTER_KEY_FILE ?? path.join(repoRoot, '.data/dev/keys/router-identity-key.json'),
  );
  return createIdentitySigner(key, { ttlSeconds: 3600 }).sign({ kind: 'user', viewer });
}

/** Moves a process and all its threads to `core`. */
function pin(pid: number | undefined, core: string): void {
  const result = spawnSync('taskset', ['-a', '-cp', core, String(pid)], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`taskset failed for pid ${pid}`);
}

/** Polls until `url` answers the deep read without errors (the vanilla gateway has no health route). */
async function waitAnswering(target: Target): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (target.service.child.exitCode !== null) throw new Error(`${target.label} exited before it was ready`);
    const answer = await post(target.url, BODY, target.authorization).catch(() => null);
    if (answer?.status === 200) {
      const body = JSON.parse(answer.text) as { errors?: unknown };
      if (body.errors) throw new Error(`${target.label}: the deep read fails: ${JSON.stringify(body.errors)}`);
      return answer.text;
    }
    if (Date.now() > deadline) throw new Error(`${target.label} did not answer within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function measure(target: Target, subgraphs: Service, connections: number, seconds: number): Promise<Run> {
  const pid = target.service.child.pid;
  const before = { own: cpuSeconds(pid), subgraphs: cpuSeconds(subgraphs.child.pid) };
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: target.authorization },
    body: BODY,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.non2xx + result.timeouts,
    rss: rssMiB(pid),
    cores: (cpuSeconds(pid) - before.own) / result.duration,
    subgraphsCores: (cpuSeconds(subgraphs.child.pid) - before.subgraphs) / result.duration,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

function summary(runs: Run[]): { rps: number; p50: number; p99: number; rss: number; text: string } {
  const rps = median(runs.map((run) => run.requestsPerSecond));
  const p50 = median(runs.map((run) => run.p50));
  const p99 = median(runs.map((run) => run.p99));
  const rss = Math.max(...runs.map((run) => run.rss));
  const perRound = runs.map((run) => run.requestsPerSecond.toFixed(0)).join(', ');
  const failures = runs.reduce((sum, run) => sum + run.failures, 0);
  const cores = median(runs.map((run) => run.cores)).toFixed(2);
  const subgraphsCores = median(runs.map((run) => run.subgraphsCores)).toFixed(2);
  return {
    rps,
    p50,
    p99,
    rss,
    text:
      `${rps.toFixed(0)} req/s (rounds: ${perRound}), p50 ${ms(p50)}, p99 ${ms(p99)}, RSS ${rss} MiB, ` +
      `CPU ${cores} cores (subgraphs ${subgraphsCores}), failures ${failures}`,
  };
}

type Summary = ReturnType<typeof summary>;

/** The distinct messages the measured processes logged (LOG_LEVEL=warn), counting those they suppressed. */
function warningsIn(logs: string[]): string {
  const counts = new Map<string, number>();
  for (const line of logs) {
    const [, label = '', text = ''] = /^\[([^\]]+)\] (.*)$/.exec(line) ?? [];
    let record: { msg?: unknown; suppressedWarnings?: unknown } = {};
    try {
      record = (JSON.parse(text) as typeof record | null) ?? {};
    } catch {
      // not a log record: counted as it is
    }
    const key = `${label}: ${String(record.msg ?? text)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1 + Number(record.suppressedWarnings ?? 0));
  }
  return counts.size === 0 ? 'none' : [...counts].map(([key, count]) => `${count}× ${key}`).join('; ');
}

/** An OTLP/HTTP traces endpoint that only counts what it receives: the traced router pays the real export. */
/** An OTLP/HTTP endpoint that accepts and counts what the traced router exports. */
async function otlpSink(): Promise<{ url: string; exported: () => string; close: () => void }> {
  let bytes = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    exported: () => `${(bytes / 1024 / 1024).toFixed(1)} MiB in ${requests} export requests`,
    close: () => server.close(),
  };
}

// Compared with dedup on: with it off the subgraphs, not the router, limit the deep read's throughput.
const TRACED = 'router, dedup on, traced';
const UNTRACED = 'router, dedup on';

/** The aims: at 50 connections ≥ 5× (dedup on) / ≥ 1× (off) the gateway's req/s; at 1, p50 no worse. */
function aims(connections: number, label: string, own: Summary, base: Summary): string {
  if (connections === 1) return ` — aim p50 ≤ gateway: ${own.p50 <= base.p50 ? 'met' : 'MISSED'}`;
  const factor = label.endsWith('dedup on') ? 5 : 1;
  return ` — aim req/s ≥ ${factor}×: ${own.rps >= factor * base.rps ? 'met' : 'MISSED'}`;
}

runBenchmark('bench:router', ROUTER_PORT, async ({ env, service }) => {
  const subgraphs = service('subgraphs');
  if (!subgraphs) throw new Error('subgraphs are not running');
  pin(process.pid, CLIENT_CORE); // the load generator never takes the measured core

  const userToken = await signInCustomer();
  const identityToken = await identityTokenFor(userToken);
  const logs: string[] = [];
  const started: Service[] = [];
  const start = (label: string, script: string, port: number, extraEnv: NodeJS.ProcessEnv) => {
    const ports = { PORT: String(port), METRICS_PORT: String(port + 1000) };
    const child = launch(label, script, { ...env, ...extraEnv, ...ports }, (line) => logs.push(`[${label}] ${line}`));
    started.push(child);
    pin(child.child.pid, MEASURED_CORE);
    return child;
  };
  // runBenchmark's env sizes the rate-limit buckets so the client is never throttled; they still run.
  const routerEnv = (deduplicate: boolean) => ({
    DEDUPLICATE_QUERIES: String(deduplicate),
    DEDUPLICATE_SUBGRAPH_FETCHES: String(deduplicate),
  });
  const sink = await otlpSink();
  try {
    const gateway = start('vanilla gateway', 'scripts/bench/vanilla-gateway.ts', 4200, {});
    const routerOn = start(UNTRACED, 'router/src/main.ts', 4100, routerEnv(true));
    const routerOff = start('router, dedup off', 'router/src/main.ts', 4101, routerEnv(false));
    const routerTraced = start(TRACED, 'router/src/main.ts', 4102, {
      ...routerEnv(true),
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER_ARG: TRACE_RATIO,
      ...(process.env.BENCH_OTEL_DISABLED
        ? { OTEL_NODE_DISABLED_INSTRUMENTATIONS: process.env.BENCH_OTEL_DISABLED }
        : {}),
    });
    await waitReady('http://127.0.0.1:4100/health/ready', routerOn);
    await waitReady('http://127.0.0.1:4101/health/ready', routerOff);
    await waitReady('http://127.0.0.1:4102/health/ready', routerTraced);
    const targets: Target[] = [
      {
        label: 'vanilla gateway',
        url: 'http://127.0.0.1:4200/',
        authorization: `Bearer ${identityToken}`,
        service: gateway,
      },
      {
        label: UNTRACED,
        url: 'http://127.0.0.1:4100/graphql',
        authorization: `Bearer ${userToken}`,
        service: routerOn,
      },
      {
        label: 'router, dedup off',
        url: 'http://127.0.0.1:4101/graphql',
        authorization: `Bearer ${userToken}`,
        service: routerOff,
      },
      {
        label: TRACED,
        url: 'http://127.0.0.1:4102/graphql',
        authorization: `Bearer ${userToken}`,
        service: routerTraced,
      },
    ];

    const answers = await Promise.all(targets.map(waitAnswering));
    for (const target of targets) pin(target.service.child.pid, MEASURED_CORE); // threads started since, too
    const [expected, ...others] = answers.map((text) => JSON.parse(text) as unknown);
    if (!others.every((answer) => isDeepStrictEqual(answer, expected))) {
      throw new Error('the router and the vanilla gateway answer the deep read differently');
    }
    const responseKB = Buffer.byteLength(answers[0] ?? '') / 1024;
    process.stdout.write(`deep read: ${responseKB.toFixed(1)} KB response from ${SUBGRAPHS}; identical everywhere\n`);

    for (const target of targets) await measure(target, subgraphs, 10, 3); // warm-up: JIT, pools, plan caches
    const results = new Map<string, Run[]>();
    for (const connections of [CONNECTIONS, 1]) {
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (const target of targets) {
          const run = await measure(target, subgraphs, connections, SECONDS);
          process.stdout.write(
            `  ${connections} conn, round ${round}, ${target.label}: ${run.requestsPerSecond.toFixed(0)} req/s, ` +
              `p50 ${ms(run.p50)}, p99 ${ms(run.p99)}\n`,
          );
          const key = `${connections}|${target.label}`;
          results.set(key, [...(results.get(key) ?? []), run]);
        }
      }
    }

    const rows: [string, string][] = [
      ['deep read', `${responseKB.toFixed(1)} KB from 5 subgraphs (${SUBGRAPHS}), same answer from all`],
      [
        'cores',
        `each measured process pinned to core ${MEASURED_CORE} (taskset -a -cp), this client (autocannon) to ` +
          `core ${CLIENT_CORE}; subgraphs (one process), Postgres, Redis, workers and the idle router ` +
          `:${ROUTER_PORT} unpinned`,
      ],
      [
        'router',
        'JWT verification, identity token, rate limiting (a Redis token bucket per request, sized so the ' +
          'client is not throttled), persisted-query check, limits, @authenticated/@policy authorization',
      ],
      ['vanilla gateway', '@apollo/gateway + @apollo/server standalone, Authorization forwarded as-is'],
      ['rounds', `${ROUNDS} alternating rounds of ${SECONDS} s per connection count; medians below`],
      ['warnings logged', warningsIn(logs)],
    ];
    for (const connections of [CONNECTIONS, 1]) {
      const [gatewayRuns, ...routerRuns] = targets.map((target) => results.get(`${connections}|${target.label}`) ?? []);
      const base = summary(gatewayRuns ?? []);
      rows.push([`${connections} conn: vanilla gateway`, base.text]);
      targets.slice(1).forEach((target, index) => {
        const own = summary(routerRuns[index] ?? []);
        rows.push([`${connections} conn: ${target.label}`, own.text]);
        const aim = aims(connections, target.label, own, base);
        rows.push([
          `${connections} conn: ${target.label} / gateway`,
          `req/s ×${(own.rps / base.rps).toFixed(2)}, p50 ×${(own.p50 / base.p50).toFixed(2)}, ` +
            `p99 ×${(own.p99 / base.p99).toFixed(2)}, RSS ×${(own.rss / base.rss).toFixed(2)}${aim}`,
        ]);
      });
      const untracedRuns = results.get(`${connections}|${UNTRACED}`) ?? [];
      const tracedRuns = results.get(`${connections}|${TRACED}`) ?? [];
      const untraced = summary(untracedRuns);
      const traced = summary(tracedRuns);
      // Router CPU time per request, in ms: what tracing adds whether or not the core is saturated.
      const cpuPerRequest = (runs: Run[]) => median(runs.map((run) => (run.cores / run.requestsPerSecond) * 1000));
      rows.push([
        `${connections} conn: tracing overhead`,
        `traced / untraced req/s ×${(traced.rps / untraced.rps).toFixed(3)} ` +
          `(cost ${((1 - traced.rps / untraced.rps) * 100).toFixed(1)} %), p50 ×${(traced.p50 / untraced.p50).toFixed(2)}` +
          `, router CPU per request ${cpuPerRequest(untracedRuns).toFixed(2)} -> ${cpuPerRequest(tracedRuns).toFixed(2)} ms` +
          ` — aim cost < 10 %: ${traced.rps >= 0.9 * untraced.rps ? 'met' : 'MISSED'}`,
      ]);
    }
    rows.push(['OTLP export (traced router)', `${sink.exported()} (OTLP/HTTP JSON, sampling ratio ${TRACE_RATIO})`]);
    return { title: 'deep federated read: vanilla @apollo/gateway vs our router (everything on)', rows };
  } catch (error) {
    process.stderr.write(`${logs.slice(-30).join('\n')}\n`);
    throw error;
  } finally {
    await stopServices(started);
    sink.close();
  }
});
