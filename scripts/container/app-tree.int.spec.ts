// The container image's application tree (build-app.ts, as deploy/Dockerfile builds it) runs: every
// process starts from the compiled JavaScript through the image's entry point, wired by environment
// variables the way compose and the manifests wire them, against the test stack.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSupergraphConfig, repoRoot } from '@minishop/runtime';
import { launchNode, stopServices, waitReady, type Service } from '../dev/processes';
import { buildApp } from './build-app';

jest.setTimeout(120_000);

const work = mkdtempSync(path.join(os.tmpdir(), 'minishop-app-tree-'));
const app = path.join(work, 'app');
const ROUTER_PORT = 4300;
const METRICS_PORT = 4390;
const WORKERS_PORT = 4310;
const WEB_PORT = 4380;
const subgraphPort = (name: string) =>
  4300 + readSupergraphConfig().findIndex((subgraph) => subgraph.name === name) + 1;
const subgraphUrl = (name: string) => `http://127.0.0.1:${subgraphPort(name)}/graphql`;

const output: string[] = [];
const services: Service[] = [];

/** The image's node_modules: the repo's packages, with the workspace links pointing into the tree. */
function linkNodeModules(): void {
  const modules = path.join(app, 'node_modules');
  mkdirSync(path.join(modules, '@minishop'), { recursive: true });
  for (const entry of readdirSync(path.join(repoRoot, 'node_modules'))) {
    if (entry !== '@minishop') symlinkSync(path.join(repoRoot, 'node_modules', entry), path.join(modules, entry));
  }
  for (const entry of readdirSync(path.join(repoRoot, 'node_modules/@minishop'))) {
    const target = readlinkSync(path.join(repoRoot, 'node_modules/@minishop', entry)); // ../../<workspace>
    symlinkSync(target, path.join(modules, '@minishop', entry));
    const nested = path.join(repoRoot, 'node_modules/@minishop', target, 'node_modules');
    const workspace = path.resolve(modules, '@minishop', target);
    if (existsSync(nested) && existsSync(workspace)) symlinkSync(nested, path.join(workspace, 'node_modules'));
  }
}

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL, REDIS_URL, AMQP_URL, PATH } = process.env;
  return { PATH, DATABASE_URL, REDIS_URL, AMQP_URL, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...extra };
}

function start(name: string, extra: Record<string, string>): Service {
  const service = launchNode(
    name,
    [path.join(app, 'scripts/container/entrypoint.js'), name],
    environment(extra),
    (line) => output.push(`[${name}] ${line}`),
  );
  services.push(service);
  return service;
}

function runToEnd(args: string[], extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(app, 'scripts/container/entrypoint.js'), ...args], {
    env: environment(extra),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

async function graphql(query: string, token?: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(`http://127.0.0.1:${ROUTER_PORT}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

beforeAll(async () => {
  await buildApp(app);
  linkNodeModules();
  const keys = path.join(work, 'keys');
  const identity = { IDENTITY_JWKS_URL: `http://127.0.0.1:${ROUTER_PORT}/.well-known/jwks.json` };
  try {
    for (const { name } of readSupergraphConfig()) {
      const subgraph = start(name, {
        ...identity,
        PORT: String(subgraphPort(name)),
        ...(name === 'users' ? { JWT_SIGNING_KEY_FILE: path.join(keys, 'jwt-signing-key.json') } : {}),
        ...(name === 'orders' || name === 'cart' ? { PRODUCTS_URL: subgraphUrl('products') } : {}),
        ...(name === 'orders' ? { COUPONS_URL: subgraphUrl('coupons'), CART_URL: subgraphUrl('cart') } : {}),
      });
      await waitReady(`http://127.0.0.1:${subgraphPort(name)}/health/ready`, subgraph);
    }
    const workers = start('workers', {
      WORKERS_PORT: String(WORKERS_PORT),
      WORKERS: 'notifications',
      QUEUE_PREFIX: 'app-tree',
    });
    await waitReady(`http://127.0.0.1:${WORKERS_PORT}/health/ready`, workers);
    const router = start('router', {
      PORT: String(ROUTER_PORT),
      METRICS_PORT: String(METRICS_PORT),
      ROUTER_KEY_FILE: path.join(keys, 'router-identity-key.json'),
      USERS_JWKS_URL: `http://127.0.0.1:${subgraphPort('users')}/.well-known/jwks.json`,
      ...Object.fromEntries(
        readSupergraphConfig().map(({ name }) => [`SUBGRAPH_URL_${name.toUpperCase()}`, subgraphUrl(name)]),
      ),
    });
    await waitReady(`http://127.0.0.1:${ROUTER_PORT}/health/ready`, router);
    const dist = path.join(work, 'web-dist');
    mkdirSync(dist);
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>minishop</title>');
    const web = start('web', { PORT: String(WEB_PORT), WEB_DIST_DIR: dist });
    await waitReady(`http://127.0.0.1:${WEB_PORT}/health/ready`, web);
  } catch (error) {
    process.stderr.write(`${output.slice(-40).join('\n')}\n`);
    throw error;
  }
});

afterAll(async () => {
  await stopServices(services);
  rmSync(work, { recursive: true, force: true });
});

describe('the container application tree', () => {
  it('holds compiled JavaScript and the run-time files, not the TypeScript sources', () => {
    const files = execFileSync('find', [app, '-path', `${app}/node_modules`, '-prune', '-o', '-type', 'f', '-print'], {
      encoding: 'utf8',
    }).split('\n');
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        path.join(app, 'router/src/main.js'),
        path.join(app, 'schema/supergraph.graphql'),
        path.join(app, 'subgraphs/orders/schema.graphql'),
        path.join(app, 'deploy/opa/bundle/minishop/data.json'),
        path.join(app, 'schema/persisted-queries/web.json'),
      ]),
    );
    expect(files.some((file) => file.includes('/prisma/migrations/') && file.endsWith('migration.sql'))).toBe(true);
  });

  it('serves a federated query and a signed-in one across subgraphs through the router', async () => {
    const catalog = await graphql(
      '{ products(first: 2) { edges { node { name reviews(first: 1) { totalCount } } } } }',
    );
    expect(catalog.errors).toBeUndefined();
    expect((catalog.data?.products as { edges: unknown[] }).edges).toHaveLength(2);
    const login = await graphql(
      'mutation { login(email: "customer@minishop.dev", password: "customer123!") { token } }',
    );
    const token = (login.data?.login as { token: string }).token;
    const me = await graphql(
      '{ me { email cart { itemCount } coupons { code } notifications(first: 1) { totalCount } } }',
      token,
    );
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toMatchObject({ email: 'customer@minishop.dev' });
  });

  it('names each process after the name it was started with (metrics and traces)', async () => {
    const router = await (await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`)).text();
    expect(router).toMatch(/router_operation_duration_seconds_count\{[^}]*service="router"/);
    const orders = await (await fetch(`http://127.0.0.1:${subgraphPort('orders')}/metrics`)).text();
    expect(orders).toContain('service="orders"');
  });

  it('serves the web app with its client-side routes from the web process', async () => {
    for (const route of ['/', '/orders/123']) {
      const response = await fetch(`http://127.0.0.1:${WEB_PORT}${route}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>minishop</title>');
    }
  });

  it('applies migrations (none pending here), writes the demo data again and refuses an unknown process', () => {
    const migrate = runToEnd(['migrate']);
    expect([migrate.status, migrate.stdout]).toEqual([0, expect.stringContaining('no pending migrations')]);
    const seed = runToEnd(['seed']);
    expect([seed.status, seed.stdout]).toEqual([0, expect.stringMatching(/^seed: \d+ categories, \d+ products/)]);
    const unknown = runToEnd(['mailer']);
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toContain('one of: router, users, products');
  });

  it('answers the compose health check for a ready process and fails it for a closed port', () => {
    const check = (port: number) =>
      spawnSync(process.execPath, [path.join(app, 'scripts/container/healthcheck.js'), String(port)]).status;
    expect(check(ROUTER_PORT)).toBe(0);
    expect(check(4399)).toBe(1);
  });
});
