// The start command's supervisor: stack up, migrate, seed, start the processes with prefixed logs,
// wait until each is ready, print the URLs; Ctrl-C / SIGTERM stops every child (and the stack, if
// this run started it; KEEP_STACK=1 leaves it running).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readSupergraphConfig, repoRoot } from '@minishop/runtime';

const startedAt = Date.now();
const ROUTER_PORT = Number(process.env.PORT ?? 4000);
const colors = [36, 33, 35, 32, 34, 31];

/** Runs deploy/local/stack.sh; `quiet` captures its output instead of showing it. */
function stack(command: string, quiet = false): { status: number; stdout: string } {
  const result = spawnSync('bash', ['deploy/local/stack.sh', command], {
    cwd: repoRoot,
    stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    encoding: 'utf8',
  });
  return { status: result.status ?? 1, stdout: result.stdout ?? '' };
}

function runStep(label: string, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync('npm', ['run', '--silent', ...args], { cwd: repoRoot, stdio: 'inherit', env });
  if (result.status !== 0) {
    process.stderr.write(`[start] ${label} failed (exit ${result.status})\n`);
    process.exit(1);
  }
}

function prefixLines(child: ChildProcess, name: string, color: number): void {
  const tag = `\x1b[${color}m[${name}]\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(tag + line + '\n');
    });
    stream?.on('end', () => pending && process.stdout.write(tag + pending + '\n'));
  }
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited before it was ready: ${url}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready within ${timeoutMs / 1000}s: ${url}`);
}

const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;
let stackWasRunning = true;
const stopAll = async (exitCode: number) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\n[start] stopping...\n');
  for (const { child } of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const timeout = new Promise((resolve) => setTimeout(resolve, 10_000));
    if ((await Promise.race([exited.then(() => true), timeout.then(() => false)])) === false) child.kill('SIGKILL');
  }
  if (!stackWasRunning && process.env.KEEP_STACK !== '1') stack('down');
  process.exit(exitCode);
};
async function main(): Promise<void> {
  stackWasRunning = stack('status', true).status === 0;
  if (stack('up').status !== 0) process.exit(1);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const line of stack('env', true).stdout.trim().split('\n')) {
    const [name, ...value] = line.split('=');
    if (name) env[name] = value.join('=');
  }
  runStep('migrations', ['db:migrate'], env);
  runStep('seed', ['db:seed'], env);

  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const launch = (name: string, script: string, extraArgs: string[] = []) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...extraArgs], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prefixLines(child, name, colors[children.length % colors.length] ?? 36);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`[start] ${name} exited unexpectedly (${signal ?? `code ${code}`})\n`);
      void stopAll(1);
    });
    children.push({ name, child });
    return child;
  };

  const subgraphs = launch('subgraphs', 'scripts/dev/subgraphs.ts');
  for (const subgraph of readSupergraphConfig()) {
    await waitReady(new URL('/health/ready', subgraph.routingUrl).toString(), subgraphs);
  }
  const router = launch('router', 'router/src/main.ts');
  await waitReady(`http://127.0.0.1:${ROUTER_PORT}/health/ready`, router);

  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stdout.write(
    [
      '',
      `minishop is ready (${seconds}s)`,
      `  GraphQL endpoint   http://127.0.0.1:${ROUTER_PORT}/graphql`,
      `  Router health      http://127.0.0.1:${ROUTER_PORT}/health/ready`,
      ...readSupergraphConfig().map((s) => `  subgraph ${s.name.padEnd(13)} ${s.routingUrl}`),
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
