// `npm run bench:catalog`: catalog browsing through the router — products(first: 20, filter: {search})
// with nested category — against the dev stack with every subgraph and the router running locally.
// Prints requests/s, latency p50/p99, and RSS/CPU of the router and the subgraphs process.
// Settings: BENCH_CONNECTIONS (50), BENCH_SECONDS (20).
import autocannon from 'autocannon';
import { cpuSeconds, rssMiB, runBenchmark } from '../dev/processes';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PORT = 4000;
const URL = `http://127.0.0.1:${PORT}/graphql`;

const QUERY = `query Catalog($search: String!) {
  products(first: 20, filter: { search: $search }) {
    totalCount
    edges { node { id name sku price { amount currency } inStock category { name parent { name } } } }
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

runBenchmark('bench:catalog', PORT, async ({ service }) => {
  await checkResponses();
  await run(10, 3); // warm-up: JIT, connection pools, query plan cache
  const pids = { router: service('router')?.child.pid, subgraphs: service('subgraphs')?.child.pid };
  const cpuBefore = { router: cpuSeconds(pids.router), subgraphs: cpuSeconds(pids.subgraphs) };
  const result = await run(CONNECTIONS, SECONDS);
  const cores = (name: keyof typeof pids) => ((cpuSeconds(pids[name]) - cpuBefore[name]) / result.duration).toFixed(2);
  return {
    title: 'catalog browsing through the router',
    rows: [
      ['connections / duration', `${CONNECTIONS} / ${result.duration.toFixed(1)} s`],
      ['requests/s (mean)', result.requests.average.toFixed(0)],
      ['latency p50 / p99', `${result.latency.p50} ms / ${result.latency.p99} ms`],
      ['errors / non-2xx / timeouts', `${result.errors} / ${result.non2xx} / ${result.timeouts}`],
      ['router RSS / CPU', `${rssMiB(pids.router)} MiB / ${cores('router')} cores`],
      ['subgraphs RSS / CPU', `${rssMiB(pids.subgraphs)} MiB / ${cores('subgraphs')} cores`],
    ],
  };
});
