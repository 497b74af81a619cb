import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const WEB_DIR = import.meta.dirname;
/** Where `npm run dev -w web` sends /graphql (HTTP and WebSocket): a running router. */
const ROUTER_URL = process.env.ROUTER_URL ?? 'http://127.0.0.1:4000';

/** Writes `<file>.gz` next to each text file of the build; the router serves them to gzip-capable clients. */
function precompress(): Plugin {
  return {
    name: 'minishop:precompress',
    apply: 'build',
    closeBundle() {
      const outDir = path.join(WEB_DIR, 'dist');
      for (const name of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
        const file = path.join(outDir, name);
        if (!/\.(js|css|html|svg|json)$/.test(name) || statSync(file).size < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: WEB_DIR,
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/graphql': { target: ROUTER_URL, ws: true } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Mantine marks its modules "use client" (for React Server Components); meaningless in an SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  plugins: [precompress()],
});
