// Building blocks shared by the start command and the benchmarks: the local stack, the setup steps
// and the long-running processes (all subgraphs in one process, the workers, the router).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readSupergraphConfig, repoRoot } from '@minishop/runtime';

/** Runs deploy/local/stack.sh; `quiet` captures its output instead of showing it. */
export function stack(command: string, quiet = false): { status: number; stdout: string } {
  const result = spawnSync('bash', ['deploy/local/stack.sh', command], {
    cwd: repoRoot,
    stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    encoding: 'utf8',
  });
  return { status: result.status ?? 1, stdout: result.stdout ?? '' };
}

/** Starts the stack (idempotent), then returns this environment plus its URLs (DATABASE_URL, ...). */
export function stackUp(): NodeJS.ProcessEnv {
  if (stack('up').status !== 0) throw new Error('the local stack did not start');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const line of stack('env', true).stdout.trim().split('\n')) {
    const [name, ...value] = line.split('=');
    if (name) env[name] = value.join('=');
  }
  return env;
}

/** Runs an npm script to completion; a failure throws naming the step. */
export function runStep(label: string, script: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: repoRoot, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
}

export interface Service {
  name: string;
  child: ChildProcess;
}

/** Starts a TypeScript entry point; `onLine` receives each output line (stdout and stderr). */
export function launch(name: string, script: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void): Service {
  return launchNode(name, ['--import', 'tsx', script], env, onLine);
}

/** Starts `node <args>`; `onLine` receives each output line (stdout and stderr). */
export function launchNode(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Service {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    stream.on('end', () => pending && onLine(pending));
  }
  return { name, child };
}

export async function waitReady(url: string, service: Service, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited before it was ready`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} not ready within ${timeoutMs / 1000}s: ${url}`);
}

/** Starts all subgraphs (one process), the workers and the router, each only once the previous is ready. */
export async function startServices(
  env: NodeJS.ProcessEnv,
  routerPort: number,
  onLine: (service: string, line: string) => void,
): Promise<Service[]> {
  const services: Service[] = [];
  // Subgraphs trust the identity tokens of this router (its keys are fetched on first use).
  const processEnv = { IDENTITY_JWKS_URL: `http://127.0.0.1:${routerPort}/.well-known/jwks.json`, ...env };
  const start = (name: string, script: string) => {
    const service = launch(name, script, processEnv, (line) => onLine(name, line));
    services.push(service);
    return service;
  };
  try {
    const subgraphs = start('subgraphs', 'scripts/dev/subgraphs.ts');
    for (const subgraph of readSupergraphConfig()) {
      await waitReady(new URL('/health/ready', subgraph.routingUrl).toString(), subgraphs);
    }
    const workers = start('workers', 'workers/src/main.ts');
    await waitReady(`http://127.0.0.1:${env.WORKERS_PORT ?? 4010}/health/ready`, workers);
    const router = start('router', 'router/src/main.ts');
    await waitReady(`http://127.0.0.1:${routerPort}/health/ready`, router);
    return services;
  } catch (error) {
    await stopServices(services);
    throw error;
  }
}

/** SIGTERM in reverse start order; SIGKILL whatever has not exited after 10 s. */
export async function stopServices(services: Service[]): Promise<void> {
  for (const { child } of [...services].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
    child.kill('SIGTERM');
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref());
    if (!(await Promise.race([exited, timeout]))) child.kill('SIGKILL');
  }
}

/** Resident memory of a process in MiB (Linux /proc). */
export function rssMiB(pid: number | undefined): number {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kib / 1024);
}

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc). */
export function cpuSeconds(pid: number | undefined): number {
  // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock ticks (100 Hz).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface BenchmarkRun {
  env: NodeJS.ProcessEnv;
  /** The running service of that name (subgraphs, workers, router). */
  service: (name: string) => Service | undefined;
}

/**
 * The frame of every benchmark: the dev stack (stopped again afterwards if this run started it),
 * migrations and seed, every service started quietly, `work` measuring and returning its result
 * table, which is printed. On failure the services' last log lines are printed and it exits 1.
 */
export function runBenchmark(
  name: string,
  routerPort: number,
  work: (run: BenchmarkRun) => Promise<{ title: string; rows: [string, string][] }>,
): void {
  const main = async () => {
    const stackWasRunning = stack('status', true).status === 0;
    // The load generator is one client: buckets it cannot drain, so rate limiting runs on every request
    // without throttling the measurement.
    const unthrottled = { capacity: 1_000_000, refillPerSecond: 1_000_000 };
    const env: NodeJS.ProcessEnv = {
      RATE_LIMITS: JSON.stringify({ anonymous: unthrottled, user: unthrottled, partner: unthrottled }),
      ...stackUp(),
      LOG_LEVEL: 'warn',
    };
    runStep('migrations', 'db:migrate', env);
    runStep('seed', 'db:seed', env);
    const logs: string[] = [];
    let services: Service[] = [];
    try {
      services = await startServices(env, routerPort, (service, line) => logs.push(`[${service}] ${line}`));
      const { title, rows } = await work({ env, service: (wanted) => services.find((s) => s.name === wanted) });
      const width = Math.max(...rows.map(([label]) => label.length)) + 2;
      process.stdout.write(
        `\n${title}\n${rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`).join('\n')}\n`,
      );
    } catch (error) {
      process.stderr.write(`${logs.slice(-30).join('\n')}\n`);
      throw error;
    } finally {
      await stopServices(services);
      if (!stackWasRunning) stack('down');
    }
  };
  main().catch((error: unknown) => {
    process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
