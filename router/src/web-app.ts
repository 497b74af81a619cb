import { existsSync } from 'node:fs';
import path from 'node:path';
import { configFields, repoRoot, type RouteHandler } from '@minishop/runtime';
import sirv from 'sirv';
import { z } from 'zod';
import { BROWSER_SECURITY_HEADERS } from './browser-security';

/** The settings of the `web` process (web-main.ts): the web app served on its own, without the router. */
export const webServerConfigShape = {
  PORT: configFields.port.default(8080),
  HOST: configFields.host,
  LOG_LEVEL: configFields.logLevel,
  WEB_DIST_DIR: z.string().min(1).default(path.join(repoRoot, 'web/dist')),
};

/** Vite's output folder for content-hashed files: they never change under their name. */
const HASHED_ASSETS = '/assets/';

/**
 * Serves the web app's production build (`npm run build -w web` -> web/dist): files as they are
 * (precompressed `.gz` siblings when the client accepts gzip), every other GET path the app's
 * index.html, so client-side routes survive a reload. Throws when `distDir` holds no build.
 */
export function webAppHandler(distDir: string): RouteHandler {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`WEB_DIST_DIR ${distDir} holds no index.html: build the web app first (npm run build -w web)`);
  }
  const files = sirv(distDir, {
    single: true,
    etag: true,
    gzip: true,
    dotfiles: false,
    setHeaders: (res, pathname) => {
      for (const [name, value] of Object.entries(BROWSER_SECURITY_HEADERS)) res.setHeader(name, value);
      res.setHeader(
        'cache-control',
        pathname.startsWith(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...BROWSER_SECURITY_HEADERS, allow: 'GET, HEAD', 'content-length': 0 });
      res.end();
      return;
    }
    files(req, res);
  };
}
