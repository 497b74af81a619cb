import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@minishop/runtime';
import type { PolicyInput } from './decision-point';
import { embeddedDecisionPoint } from './embedded-decision-point';
import { guardedDecisionPoint } from './guarded-decision-point';
import { OPA_DECISIONS_PATH, opaDecisionPoint } from './opa-decision-point';

/**
 * A stand-in for OPA's REST Data API on port 0 (OPA itself cannot be installed on these machines; the
 * Rego is tested by `opa test` in CI). Its "ok" answers are computed by the embedded decision point from
 * the shipped policy data, so they are the answers OPA gives for the same bundle. The first path
 * segment picks a behaviour: ok, fail (HTTP 500), garbage (not JSON), undefined (no "result", what OPA
 * answers for an undefined rule), scalar (a non-object result), loose (non-boolean decisions), hang.
 */
const embedded = embeddedDecisionPoint();
const received: { path: string; contentType: string | undefined; body: unknown }[] = [];
const hanging: ServerResponse[] = [];
let server: Server;
let baseUrl: string;

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: PolicyInput };
  const path = request.url ?? '';
  received.push({ path, contentType: request.headers['content-type'], body });
  const json = (status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };
  switch (path.split('/')[1]) {
    case 'ok':
      return json(200, { result: await embedded.decide(body.input) });
    case 'fail':
      return json(500, { code: 'internal_error', message: 'boom' });
    case 'garbage':
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"result": {');
      return;
    case 'undefined':
      return json(200, {});
    case 'scalar':
      return json(200, { result: true });
    case 'loose':
      return json(200, { result: { 'inventory.read': 'yes', 'customer.pii': true, 'orders.refund': true } });
    case 'hang':
      hanging.push(response);
      return;
  }
}

const url = (behaviour: string) => `${baseUrl}/${behaviour}`;
const requestsTo = (behaviour: string) => received.filter((r) => r.path.startsWith(`/${behaviour}/`)).length;
const silentLogger = () => {
  const logger = createLogger('policy-test', 'silent');
  return { logger, warn: jest.spyOn(logger, 'warn') };
};

const ops: PolicyInput = {
  subject: { kind: 'user', id: 'u-ops', roles: ['ops'], scopes: ['orders:manage', 'stock:write'] },
  client: null,
  operation: { name: 'StockLevels', type: 'query' },
  policies: ['customer.pii', 'inventory.read'],
};
const acme: PolicyInput = {
  subject: { kind: 'partner', id: 'pc-acme', roles: [], scopes: [] },
  client: { id: 'pc-acme', manifest_id: 'acme-feed' },
  operation: { name: 'ProductFeed', type: 'query' },
  policies: ['customer.pii', 'inventory.read'],
};

beforeAll(async () => {
  server = createServer((request, response) => {
    answer(request, response).catch(() => response.writeHead(400).end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

describe('opaDecisionPoint', () => {
  it("POSTs {input} to the Data API and returns OPA's decisions", async () => {
    const point = opaDecisionPoint({ url: url('ok'), timeoutMs: 5_000 });
    expect(await point.decide(acme)).toEqual({ 'customer.pii': false, 'inventory.read': true });
    expect(received.at(-1)).toEqual({
      path: `/ok/${OPA_DECISIONS_PATH}`,
      contentType: 'application/json',
      body: { input: acme },
    });
  });

  it('keeps a trailing slash of the base URL from doubling', async () => {
    const point = opaDecisionPoint({ url: `${url('ok')}/`, timeoutMs: 5_000 });
    expect(await point.decide(ops)).toEqual({ 'customer.pii': true, 'inventory.read': true });
    expect(received.at(-1)?.path).toBe(`/ok/${OPA_DECISIONS_PATH}`);
  });

  it('throws on a non-2xx answer', async () => {
    await expect(opaDecisionPoint({ url: url('fail'), timeoutMs: 5_000 }).decide(ops)).rejects.toThrow('HTTP 500');
  });

  it.each([
    ['garbage', SyntaxError],
    ['undefined', /decisions object/],
    ['scalar', /decisions object/],
  ])('throws on a malformed answer (%s)', async (behaviour, error) => {
    await expect(opaDecisionPoint({ url: url(behaviour), timeoutMs: 5_000 }).decide(ops)).rejects.toThrow(error);
  });

  it('drops non-boolean decisions', async () => {
    const point = opaDecisionPoint({ url: url('loose'), timeoutMs: 5_000 });
    expect(await point.decide(ops)).toEqual({ 'customer.pii': true, 'orders.refund': true });
  });

  it('throws when OPA does not answer within its timeout', async () => {
    await expect(opaDecisionPoint({ url: url('hang'), timeoutMs: 100 }).decide(ops)).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it('throws when nothing listens', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    await expect(opaDecisionPoint({ url: `http://127.0.0.1:${port}`, timeoutMs: 5_000 }).decide(ops)).rejects.toThrow();
  });
});

describe('guardedDecisionPoint over OPA', () => {
  const guard = (behaviour: string, cacheTtlMs: number, logger = silentLogger().logger, timeoutMs = 5_000) =>
    guardedDecisionPoint(opaDecisionPoint({ url: url(behaviour), timeoutMs: 10_000 }), {
      cacheTtlMs,
      maxEntries: 100,
      timeoutMs,
      logger,
    });

  it('answers an identical input from its cache, whatever the key and policy order', async () => {
    const point = guard('ok', 60_000);
    const before = requestsTo('ok');
    expect(await point.decide(acme)).toEqual({ 'customer.pii': false, 'inventory.read': true });
    const reordered: PolicyInput = {
      operation: { type: 'query', name: 'ProductFeed' },
      policies: ['inventory.read', 'customer.pii', 'inventory.read'],
      client: { manifest_id: 'acme-feed', id: 'pc-acme' },
      subject: { scopes: [], roles: [], id: 'pc-acme', kind: 'partner' },
    };
    expect(await point.decide(reordered)).toEqual({ 'customer.pii': false, 'inventory.read': true });
    expect(requestsTo('ok')).toBe(before + 1);
    expect(await point.decide(ops)).toEqual({ 'customer.pii': true, 'inventory.read': true });
    expect(requestsTo('ok')).toBe(before + 2);
  });

  it('asks OPA again once the cached decision has expired', async () => {
    const ttlMs = 30;
    const point = guard('ok', ttlMs);
    const before = requestsTo('ok');
    await point.decide(ops);
    await new Promise((resolve) => setTimeout(resolve, ttlMs * 3));
    expect(await point.decide(ops)).toEqual({ 'customer.pii': true, 'inventory.read': true });
    expect(requestsTo('ok')).toBe(before + 2);
  });

  it('denies every requested policy when OPA hangs past the timeout, and logs a warning', async () => {
    const { logger, warn } = silentLogger();
    const decisions = await guard('hang', 60_000, logger, 100).decide(ops);
    expect(decisions).toEqual({ 'customer.pii': false, 'inventory.read': false });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it.each(['fail', 'garbage', 'undefined'])(
    'denies on a broken answer (%s) and does not cache it',
    async (behaviour) => {
      const { logger, warn } = silentLogger();
      const point = guard(behaviour, 60_000, logger);
      const before = requestsTo(behaviour);
      expect(await point.decide(acme)).toEqual({ 'customer.pii': false, 'inventory.read': false });
      expect(await point.decide(acme)).toEqual({ 'customer.pii': false, 'inventory.read': false });
      expect(requestsTo(behaviour)).toBe(before + 2);
      expect(warn).toHaveBeenCalledTimes(2);
    },
  );

  it('reads a non-boolean decision as deny and returns only the requested policies', async () => {
    expect(await guard('loose', 60_000).decide(ops)).toEqual({ 'customer.pii': true, 'inventory.read': false });
  });
});
