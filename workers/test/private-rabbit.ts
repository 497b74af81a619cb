import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const RABBIT_BIN = '/usr/lib/rabbitmq/bin';
const run = promisify(execFile);

/** A port the OS considers free right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A RabbitMQ node of a test's own (temp HOME, data dir, node name and ports), started like
 * deploy/local/stack.sh's rabbit_up, so a test can stop and restart a broker without touching the
 * shared test stack. Data survives stop/start (durable queues, persistent messages).
 */
export class PrivateRabbit {
  private child: ChildProcess | null = null;
  private constructor(
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly node: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PrivateRabbit> {
    const dir = mkdtempSync(path.join(tmpdir(), 'minishop-rabbit-'));
    const [port, distPort] = [await freePort(), await freePort()];
    const node = `${path.basename(dir)}@localhost`;
    mkdirSync(path.join(dir, 'log'), { recursive: true });
    writeFileSync(path.join(dir, 'enabled_plugins'), '[].');
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      RABBITMQ_NODENAME: node,
      RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(dir, 'log'),
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
      RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
    };
    return new PrivateRabbit(dir, env, node, port);
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  /** Starts the node and waits until it accepts connections. */
  async start(): Promise<void> {
    const log = openSync(path.join(this.dir, 'log', 'console.log'), 'a');
    this.child = spawn(path.join(RABBIT_BIN, 'rabbitmq-server'), [], { env: this.env, stdio: ['ignore', log, log] });
    closeSync(log);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`private rabbitmq exited (${this.dir}/log)`);
      try {
        await this.ctl('await_startup', '--timeout', '5');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** Stops the node gracefully and waits for its process to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await this.ctl('stop').catch(() => child.kill('SIGTERM'));
    await exited;
    this.child = null;
  }

  /** Stops the node and deletes its files. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ctl(...args: string[]): Promise<void> {
    await run(path.join(RABBIT_BIN, 'rabbitmqctl'), ['-q', '-n', this.node, ...args], { env: this.env });
  }
}
