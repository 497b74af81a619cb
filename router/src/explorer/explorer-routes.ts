import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RouteHandler } from '@minishop/runtime';
import { BROWSER_SECURITY_HEADERS } from '../browser-security';
import { exampleTabs } from './examples';

export interface ExplorerOptions {
  /** Path of the GraphQL endpoint the explorer sends operations (and introspection) to, e.g. `/graphql`. */
  graphqlPath: string;
}

const PAGE_PATHS = ['/explorer', '/explorer/'];
const ASSETS_PATH = '/explorer/assets/';

/** The npm bundles served as they are: asset name -> [package, file inside the package]. */
const PACKAGE_FILES: Record<string, [pkg: string, file: string]> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js'],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js'],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js'],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css'],
  'plugin-explorer.umd.js': ['@graphiql/plugin-explorer', 'dist/index.umd.js'],
  'plugin-explorer.css': ['@graphiql/plugin-explorer', 'dist/style.css'],
};
/** Files of ./browser: the start script (no inline script, see the CSP) and the page's layout. */
const OWN_FILES = ['explorer.js', 'explorer.css'];
const SETTINGS_FILE = 'explorer.json';
/** Load order matters: the UMD bundles read React, ReactDOM and GraphiQL from globals. */
const STYLES = ['graphiql.min.css', 'plugin-explorer.css', 'explorer.css'];
const SCRIPTS = [
  'react.production.min.js',
  'react-dom.production.min.js',
  'graphiql.min.js',
  'plugin-explorer.umd.js',
  'explorer.js',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

const gzipAsync = promisify(gzip);

/** One file held in memory; `version` is its content hash (ETag and the `?v=` the page links with). */
interface Asset {
  body: Buffer;
  contentType: string;
  version: string;
  /** Compressed on first demand, then kept. */
  gzipped?: Promise<Buffer>;
}

function asset(name: string, content: Buffer | string): Asset {
  const body = Buffer.from(content);
  const contentType = CONTENT_TYPES[path.extname(name)];
  if (!contentType) throw new Error(`no content type for explorer asset ${name}`);
  return { body, contentType, version: createHash('sha256').update(body).digest('base64url').slice(0, 22) };
}

function packageFile(pkg: string, file: string): Buffer {
  const root = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [__dirname] }));
  return readFileSync(path.join(root, file));
}

function page(assets: Map<string, Asset>): string {
  const href = (name: string) => `${ASSETS_PATH}${name}?v=${assets.get(name)?.version ?? ''}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>minishop explorer</title>
    <link rel="icon" href="data:," />
${STYLES.map((name) => `    <link rel="stylesheet" href="${href(name)}" />`).join('\n')}
  </head>
  <body>
    <div id="graphiql" data-config="${href(SETTINGS_FILE)}">Loading the explorer…</div>
${SCRIPTS.map((name) => `    <script src="${href(name)}"></script>`).join('\n')}
  </body>
</html>
`;
}

/** True when the request's If-None-Match names `etag` (or `*`); weak and strong tags compare alike. */
function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((tag) => ['*', etag].includes(tag.trim().replace(/^W\//, '')));
}

function serve(file: Asset, cacheControl: (req: IncomingMessage) => string): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...BROWSER_SECURITY_HEADERS, allow: 'GET, HEAD', 'content-length': 0 });
      res.end();
      return;
    }
    const compress = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const etag = compress ? `"${file.version}-gzip"` : `"${file.version}"`;
    const headers = { ...BROWSER_SECURITY_HEADERS, etag, vary: 'accept-encoding', 'cache-control': cacheControl(req) };
    if (notModified(req, etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = compress ? await (file.gzipped ??= gzipAsync(file.body)) : file.body;
    res.writeHead(200, {
      ...headers,
      'content-type': file.contentType,
      'content-length': body.length,
      ...(compress ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/**
 * The developer explorer: GraphiQL with the explorer plugin, served from the npm bundles (no CDN, works
 * offline) at `/explorer`, one route per asset under `/explorer/assets/`. Reads every file once, when
 * called; throws when a bundle or example is missing. Assets linked with their current `?v=` are cached
 * for good, anything else is revalidated by ETag.
 */
export function explorerRoutes(options: ExplorerOptions): Record<string, RouteHandler> {
  const files: [name: string, content: Buffer | string][] = [
    ...Object.entries(PACKAGE_FILES).map(([name, [pkg, file]]): [string, Buffer] => [name, packageFile(pkg, file)]),
    ...OWN_FILES.map((name): [string, Buffer] => [name, readFileSync(path.join(__dirname, 'browser', name))]),
    [SETTINGS_FILE, JSON.stringify({ graphqlPath: options.graphqlPath, tabs: exampleTabs() })],
  ];
  const assets = new Map(files.map(([name, content]) => [name, asset(name, content)]));

  const routes: Record<string, RouteHandler> = {};
  for (const [name, file] of assets) {
    routes[`${ASSETS_PATH}${name}`] = serve(file, (req) =>
      new URL(req.url ?? '/', 'http://explorer').searchParams.get('v') === file.version
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    );
  }
  const html = serve(asset('index.html', page(assets)), () => 'no-cache');
  for (const pagePath of PAGE_PATHS) routes[pagePath] = html;
  return routes;
}
