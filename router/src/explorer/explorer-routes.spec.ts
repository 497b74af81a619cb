import type { Server } from 'node:http';
import { createHttpServer, listen } from '@minishop/runtime';
import { readRouterConfig } from '../config';
import { exampleTabs } from './examples';
import { explorerRoutes } from './explorer-routes';

describe('explorerRoutes', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createHttpServer(explorerRoutes({ graphqlPath: '/graphql' }), (error) => {
      throw error;
    });
    base = `http://127.0.0.1:${await listen(server, 0)}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${base}${path}`, { method, headers: { 'accept-encoding': 'identity', ...headers } });

  /** The asset URLs the page links to, with their `?v=` versions. */
  async function linkedAssets(): Promise<string[]> {
    const html = await (await get('/explorer')).text();
    return [...html.matchAll(/(?:href|src|data-config)="(\/explorer\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
  }

  it('links every script, stylesheet and its settings with a content version, all served', async () => {
    const links = await linkedAssets();
    expect(links.map((link) => link.replace(/\?v=[\w-]{22}$/, ''))).toEqual([
      '/explorer/assets/graphiql.min.css',
      '/explorer/assets/plugin-explorer.css',
      '/explorer/assets/explorer.css',
      '/explorer/assets/explorer.json',
      '/explorer/assets/react.production.min.js',
      '/explorer/assets/react-dom.production.min.js',
      '/explorer/assets/graphiql.min.js',
      '/explorer/assets/plugin-explorer.umd.js',
      '/explorer/assets/explorer.js',
    ]);
    for (const link of links) {
      const response = await get(link);
      expect([link, response.status]).toEqual([link, 200]);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('serves the settings: the GraphQL path and the example tabs', async () => {
    const response = await get('/explorer/assets/explorer.json');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ graphqlPath: '/graphql', tabs: exampleTabs() });
  });

  it('revalidates an asset requested without its current version, answering 304 to its ETag', async () => {
    const first = await get('/explorer/assets/explorer.js?v=old');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await get('/explorer/assets/explorer.js', { 'if-none-match': `"other", ${etag}` });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await get('/explorer/assets/explorer.js', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('compresses for clients that accept gzip, with an ETag of its own', async () => {
    const plain = await get('/explorer/assets/graphiql.min.js');
    const compressed = await get('/explorer/assets/graphiql.min.js', { 'accept-encoding': 'gzip, br' });
    // fetch decompresses transparently; the headers still tell what crossed the wire.
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    expect(compressed.headers.get('vary')).toBe('accept-encoding');
    expect(compressed.headers.get('etag')).toBe(plain.headers.get('etag')?.replace(/"$/, '-gzip"'));
    expect(Number(compressed.headers.get('content-length'))).toBeLessThan(Number(plain.headers.get('content-length')));
    expect(await compressed.text()).toBe(await plain.text());
  });

  it('answers HEAD with the headers only and other methods with 405', async () => {
    const head = await get('/explorer', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await get('/explorer/assets/explorer.js', {}, method);
      expect([method, response.status, response.headers.get('allow')]).toEqual([method, 405, 'GET, HEAD']);
    }
  });

  it('serves the page at /explorer/ too, and nothing else under /explorer', async () => {
    expect((await get('/explorer/')).status).toBe(200);
    expect((await get('/explorer/assets/graphiql.min.js.map')).status).toBe(404);
  });
});

describe('EXPLORER_ENABLED', () => {
  const explorerEnabled = (env: NodeJS.ProcessEnv) =>
    readRouterConfig([], { REDIS_URL: 'redis://127.0.0.1:6379', AMQP_URL: 'amqp://127.0.0.1:5672', ...env })
      .explorerEnabled;

  it('defaults to on, and to off when NODE_ENV=production', () => {
    expect(explorerEnabled({})).toBe(true);
    expect(explorerEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(explorerEnabled({ NODE_ENV: 'production', EXPLORER_ENABLED: 'true' })).toBe(true);
    expect(explorerEnabled({ EXPLORER_ENABLED: 'false' })).toBe(false);
  });
});
