import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import { listen } from '@minishop/runtime';
import { runBenchmark, waitReady } from '../dev/processes';

const source = readFileSync('scripts/bench/router-vs-gateway.ts', 'utf8');
const DEEP_READ = /const DEEP_READ = `([\s\S]*?)`;/.exec(source)?.[1] ?? '';

runBenchmark('prof', 4000, async ({ env }) => {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('{}'));
  });
  const port = await listen(sink, 0);
  const login = await fetch('http://127.0.0.1:4000/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation { login(email: "customer@minishop.dev", password: "customer123!") { token } }',
    }),
  });
  const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
  const traced = process.env.PROF_TRACED === '1';
  const child = spawn(
    process.execPath,
    ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--import', 'tsx', 'router/src/main.ts'],
    {
      env: {
        ...env,
        PORT: '4102',
        METRICS_PORT: '5102',
        DEDUPLICATE_QUERIES: 'true',
        ...(traced ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` } : {}),
      },
      stdio: 'inherit',
    },
  );
  const router = { name: 'prof', child };
  await waitReady('http://127.0.0.1:4102/health/ready', router);
  const run = () =>
    autocannon({
      url: 'http://127.0.0.1:4102/graphql',
      connections: 50,
      duration: 15,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: DEEP_READ }),
    });
  await autocannon({
    url: 'http://127.0.0.1:4102/graphql',
    connections: 10,
    duration: 3,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: DEEP_READ }),
  });
  const result = await run();
  router.child.kill('SIGINT');
  await new Promise((resolve) => router.child.once('exit', resolve));
  sink.close();
  return { title: 'prof', rows: [['req/s', String(result.requests.average)]] };
});
