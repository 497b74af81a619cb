import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { connect } from 'amqplib';
import { eventually, testUrls, uniqueName } from './fixtures';

const MAIN = path.join(__dirname, '../src/main.ts');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function run(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

describe('workers process', () => {
  it('reports ready once its consumers are connected and shuts down cleanly on SIGTERM', async () => {
    const { databaseUrl, amqpUrl } = testUrls();
    const [port, exchange, prefix] = [await freePort(), uniqueName('events'), uniqueName('queue')];
    // Consumers only: a relay here would publish the outbox rows of other tests sharing the database.
    const workers = run({
      ...process.env,
      DATABASE_URL: databaseUrl,
      AMQP_URL: amqpUrl,
      WORKERS: 'notifications,reviews',
      WORKERS_PORT: String(port),
      EVENTS_EXCHANGE: exchange,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
    });
    try {
      await eventually('ready', async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
        return response?.status === 200;
      });
      const live = await fetch(`http://127.0.0.1:${port}/health/live`);
      expect(await live.json()).toEqual({ status: 'live' });

      workers.child.kill('SIGTERM');
      expect(await workers.exit).toBe(0);
      expect(workers.output()).toContain('shutting down');
    } finally {
      workers.child.kill('SIGKILL');
      const model = await connect(amqpUrl);
      const channel = await model.createChannel();
      for (const name of ['notifications', 'reviews']) {
        for (const suffix of ['', '.retry', '.dlq']) await channel.deleteQueue(`${prefix}.${name}${suffix}`);
      }
      await channel.deleteExchange(exchange);
      await model.close();
    }
  });

  it('refuses to start with a bad configuration, naming every bad variable', async () => {
    const workers = run({ PATH: process.env.PATH, WORKERS: 'relay,mailer', AMQP_URL: 'http://nope' });
    expect(await workers.exit).toBe(1);
    expect(workers.output()).toContain('workers: failed to start');
    for (const name of ['DATABASE_URL', 'AMQP_URL', 'WORKERS']) expect(workers.output()).toContain(name);
  });
});
