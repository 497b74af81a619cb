// `npm run bench:catalog`: catalog browsing through the router — products(first: 20, filter: {search})
// with nested category — against the dev stack with every subgraph and the router running locally.
// Prints requests/s, latency p50/p99, and RSS/CPU of the router and the subgraphs process.
// Settings: BENCH_CONNECTIONS (50), BENCH_SECONDS (20).
import autocannon from 'autocannon';
import {
  cpuSeconds,
  rssMiB,
  runStep,
  stack,
  stackUp,
  startServices,
  stopServices,
  type Service,
} from '../dev/processes';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PORT = 4000;
const URL = `http://127.0.0.1:${PORT}/graphql`;

const QUERY = `query Catalog($search: String!) {
  products(first: 20, filter: { search: $search }) {
    totalCount
    edges { node { id name sku price { amount currency } available category { name parent { name } } } }
  }
}`;
const SEARCHES = ['headphones', 'cable', 'coffee', 'running shoes', 'lamp', 'wireless', 'steel', 'cotton'];

const body = (search: string) => JSON.stringify({ query: QUERY, variables: { search } });

async function checkResponses(): Promise<void> {
  for (const search of SEARCHES) {
    const response = await fetch(URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(search),
    });
    const json = (await response.json()) as { errors?: unknown; data?: { products: { totalCount: number } } };
    if (json.errors) throw new Error(`benchmark query fails: ${JSON.stringify(json.errors)}`);
    process.stdout.write(`  "${search}": ${json.data?.products.totalCount} matches\n`);
  }
}

function run(connections: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: URL,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: SEARCHES.map((search) => ({ method: 'POST', body: body(search) })),
  });
}

async function main(): Promise<void> {
  const stackWasRunning = stack('status', true).status === 0;
  const env: NodeJS.ProcessEnv = { ...stackUp(), LOG_LEVEL: 'warn' };
  runStep('migrations', 'db:migrate', env);
  runStep('seed', 'db:seed', env);
  const logs: string[] = [];
  let services: Service[] = [];
  try {
    services = await startServices(env, PORT, (name, line) => logs.push(`[${name}] ${line}`));
    const byName = (name: string) => services.find((service) => service.name === name);
    await checkResponses();
    await run(10, 3); // warm-up: JIT, connection pools, query plan cache
    const cpuBefore = new Map(services.map((service) => [service.name, cpuSeconds(service.child.pid)]));
    const result = await run(CONNECTIONS, SECONDS);
    const cores = (name: string) =>
      ((cpuSeconds(byName(name)?.child.pid) - (cpuBefore.get(name) ?? 0)) / result.duration).toFixed(2);
    const rows = [
      ['connections / duration', `${CONNECTIONS} / ${result.duration.toFixed(1)} s`],
      ['requests/s (mean)', result.requests.average.toFixed(0)],
      ['latency p50 / p99', `${result.latency.p50} ms / ${result.latency.p99} ms`],
      ['errors / non-2xx / timeouts', `${result.errors} / ${result.non2xx} / ${result.timeouts}`],
      ['router RSS / CPU', `${rssMiB(byName('router')?.child.pid)} MiB / ${cores('router')} cores`],
      ['subgraphs RSS / CPU', `${rssMiB(byName('subgraphs')?.child.pid)} MiB / ${cores('subgraphs')} cores`],
    ];
    process.stdout.write(
      `\ncatalog browsing through the router\n${rows.map(([k, v]) => `  ${k?.padEnd(28)} ${v}`).join('\n')}\n`,
    );
  } catch (error) {
    process.stderr.write(`${logs.slice(-30).join('\n')}\n`);
    throw error;
  } finally {
    await stopServices(services);
    if (!stackWasRunning) stack('down');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:catalog failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
