// The start command's supervisor: stack up, migrate, seed, start the processes with prefixed logs,
// wait until each is ready, print the URLs; Ctrl-C / SIGTERM stops every child (and the stack, if
// this run started it; KEEP_STACK=1 leaves it running).
import path from 'node:path';
import { readSupergraphConfig, repoRoot } from '@minishop/runtime';
import { runStep, stack, stackUp, startServices, stopServices, type Service } from './processes';

const startedAt = Date.now();
const ROUTER_PORT = Number(process.env.PORT ?? 4000);
const WEB_DIST_DIR = path.join(repoRoot, 'web/dist');
const COLORS: Record<string, number> = { subgraphs: 36, router: 33 };

let services: Service[] = [];
let stopping = false;
let stackWasRunning = true;

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\n[start] stopping...\n');
  await stopServices(services);
  if (!stackWasRunning && process.env.KEEP_STACK !== '1') stack('down');
  process.exit(exitCode);
}

async function main(): Promise<void> {
  stackWasRunning = stack('status', true).status === 0;
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const env = stackUp();
  runStep('migrations', 'db:migrate', env);
  runStep('seed', 'db:seed', env);
  runStep('web build', 'web:build', env);
  env.WEB_DIST_DIR = WEB_DIST_DIR;

  services = await startServices(env, ROUTER_PORT, (name, line) =>
    process.stdout.write(`\x1b[${COLORS[name] ?? 35}m[${name}]\x1b[0m ${line}\n`),
  );
  for (const service of services) {
    service.child.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`[start] ${service.name} exited unexpectedly (${signal ?? `code ${code}`})\n`);
      void stopAll(1);
    });
  }

  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stdout.write(
    [
      '',
      `minishop is ready (${seconds}s)`,
      `  Web shop           http://127.0.0.1:${ROUTER_PORT}/   (admin console: /admin)`,
      `  GraphQL endpoint   http://127.0.0.1:${ROUTER_PORT}/graphql`,
      `  Subscriptions      ws://127.0.0.1:${ROUTER_PORT}/graphql (graphql-transport-ws)`,
      `  Explorer           http://127.0.0.1:${ROUTER_PORT}/explorer`,
      `  Router health      http://127.0.0.1:${ROUTER_PORT}/health/ready`,
      ...readSupergraphConfig().map((s) => `  subgraph ${s.name.padEnd(13)} ${s.routingUrl}`),
      `  Workers health     http://127.0.0.1:${env.WORKERS_PORT ?? 4010}/health/ready`,
      `  Metrics            http://127.0.0.1:${env.METRICS_PORT ?? 9464}/metrics (router), :${env.WORKERS_PORT ?? 4010}/metrics (workers), each subgraph's port /metrics`,
      `  Postgres           ${env.DATABASE_URL}`,
      `  Redis              ${env.REDIS_URL}`,
      `  RabbitMQ           ${env.AMQP_URL}`,
      '  Demo logins (dev only): customer@minishop.dev / customer123!, admin@minishop.dev / admin123!, ops@minishop.dev / ops123!',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll(1);
});
