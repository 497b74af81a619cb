// Builds the application tree of the container image (deploy/Dockerfile): every runtime TypeScript file
// compiled one-to-one to CommonJS beside its source path, plus the files the processes read at run time.
// The layout stays the repo's, so `__dirname`-relative paths and the workspace symlinks in node_modules
// work unchanged. Usage: tsx scripts/container/build-app.ts --out <dir> (the dir must not exist).
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { globSync } from 'tinyglobby';
import { repoRoot } from '@minishop/runtime';

/** Runtime sources; tests, test helpers and development-only scripts stay out. */
const SOURCES = [
  'subgraphs/*/src/**/*.ts',
  'router/src/**/*.ts',
  'workers/src/**/*.ts',
  'prisma/src/**/*.ts',
  'prisma/generated/**/*.ts',
  'scripts/container/{entrypoint,processes,healthcheck}.ts',
];
const NOT_RUNTIME = [/\.spec\.ts$/, /\/test-helpers\.ts$/, /\/test\//, /\.d\.ts$/];

/** Read at run time: SDL, the supergraph and its config, safelists, policy data, migrations, static files. */
const FILES = [
  'package.json',
  '{subgraphs/*,router,workers,prisma}/package.json',
  'supergraph.yaml',
  'schema/supergraph.graphql',
  'schema/persisted-queries/**/*.json',
  'subgraphs/*/schema.graphql',
  'router/src/explorer/examples/**/*',
  'router/src/explorer/browser/**/*',
  'deploy/opa/bundle/**/*',
  'prisma/schema/**/*.prisma',
  'prisma/migrations/**/*',
  'web/dist/**/*',
];

export async function buildApp(out: string): Promise<{ modules: number; web: boolean }> {
  if (existsSync(out)) throw new Error(`${out} exists: give a new directory`);
  if (!existsSync(path.join(repoRoot, 'prisma/generated/client.ts'))) {
    throw new Error('prisma/generated is missing: run `npm run db:generate` first');
  }
  const sources = globSync(SOURCES, { cwd: repoRoot }).filter(
    (file) => !NOT_RUNTIME.some((excluded) => excluded.test(`/${file}`)),
  );
  await build({
    absWorkingDir: repoRoot,
    entryPoints: sources,
    outbase: repoRoot,
    outdir: out,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const file of globSync(FILES, { cwd: repoRoot, dot: true })) {
    const target = path.join(out, file);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(repoRoot, file), target);
  }
  // Workspace packages name their TypeScript entry; the image has only the compiled one.
  for (const manifest of globSync('{subgraphs/*,router,workers,prisma}/package.json', { cwd: out })) {
    const file = path.join(out, manifest);
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { main?: string };
    if (pkg.main?.endsWith('.ts')) pkg.main = pkg.main.replace(/\.ts$/, '.js');
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  return { modules: sources.length, web: existsSync(path.join(out, 'web/dist/index.html')) };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  if (!values.out) {
    process.stderr.write('usage: tsx scripts/container/build-app.ts --out <dir>\n');
    process.exit(64);
  }
  const out = path.resolve(values.out);
  buildApp(out).then(
    ({ modules, web }) => {
      const note = web ? '' : ' (no web/dist: build the web app first to serve it)';
      process.stdout.write(`built ${modules} modules into ${out}${note}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`build-app: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
