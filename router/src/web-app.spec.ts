import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHttpServer, listen, sendJson } from '@minishop/runtime';
import { webAppHandler } from './web-app';

const INDEX = '<!doctype html><title>shop</title><div id="root"></div>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;

describe('webAppHandler (the web build served at /)', () => {
  let dist: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'minishop-web-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), INDEX);
    writeFileSync(path.join(dist, 'assets/index-AbC123.js'), SCRIPT);
    writeFileSync(path.join(dist, 'assets/index-AbC123.js.gz'), gzipSync(SCRIPT));
    writeFileSync(path.join(dist, '.env'), 'SECRET=1');
    writeFileSync(path.join(tmpdir(), 'outside.txt'), 'outside');
    const routes = {
      '/graphql': (_req: unknown, res: Parameters<typeof sendJson>[0]) => sendJson(res, 200, { ok: 1 }),
    };
    server = createHttpServer(
      routes,
      (error) => {
        throw error;
      },
      webAppHandler(dist),
    );
    base = `http://127.0.0.1:${await listen(server, 0)}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dist, { recursive: true, force: true });
    rmSync(path.join(tmpdir(), 'outside.txt'), { force: true });
  });

  const get = (pathname: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${base}${pathname}`, { method, headers: { 'accept-encoding': 'identity', ...headers } });

  it('answers the app page for / and for client-side routes, revalidated every time, with a strict CSP', async () => {
    for (const pathname of ['/', '/orders/6f1c', '/admin/products?page=2']) {
      const response = await get(pathname);
      expect([pathname, response.status, await response.text()]).toEqual([pathname, 200, INDEX]);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('serves hashed assets for a year, gzipped from the precompressed file when accepted', async () => {
    const plain = await get('/assets/index-AbC123.js');
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe(SCRIPT);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('etag')).toBeTruthy();

    const zipped = await fetch(`${base}/assets/index-AbC123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(await zipped.text()).toBe(SCRIPT); // fetch decompresses
  });

  it('answers 404, not the app page, for a missing file, a dotfile or a path outside the build', async () => {
    for (const pathname of ['/assets/index-gone.js', '/.env', '/../outside.txt', '/%2e%2e/outside.txt']) {
      const response = await get(pathname);
      const body = await response.text();
      expect([pathname, body.includes('SECRET'), body.includes('outside')]).toEqual([pathname, false, false]);
      if (pathname.startsWith('/assets')) expect(response.status).toBe(404);
    }
  });

  it('leaves exact routes to their handlers and refuses writes', async () => {
    expect(await (await get('/graphql')).json()).toEqual({ ok: 1 });
    const post = await get('/', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses to start without a build', () => {
    expect(() => webAppHandler(path.join(dist, 'assets'))).toThrow(/holds no index\.html: build the web app first/);
  });
});
