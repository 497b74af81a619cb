import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  MigrationDirectory,
  MigrationList,
  SchemaContainer,
  SchemaEngine,
  SchemaFilter,
} from '@prisma/schema-engine-wasm';
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  type ErrorRegistry,
} from '@prisma/driver-adapter-utils';
import { MigrationAdapterFactory } from './migration-adapter';
import { loadEngineClass, runEngineWork } from './wasm-engine';

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };
export const LOCKFILE_NAME = 'migration_lock.toml';
export const MIGRATION_FILE_NAME = 'migration.sql';

/** The `*.prisma` files of a schema folder, in a stable order. */
export async function readSchemaFiles(schemaDir: string): Promise<SchemaContainer[]> {
  const names = (await readdir(schemaDir)).filter((name) => name.endsWith('.prisma')).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(schemaDir, name);
      return { path: file, content: await readFile(file, 'utf8') };
    }),
  );
}

/** Reads a migrations folder the way the Prisma CLI does (a missing folder is an empty history). */
export async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  const lockfile = await readFile(path.join(migrationsDir, LOCKFILE_NAME), 'utf8').catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const directories = await Promise.all(names.sort().map((name) => readMigrationDirectory(migrationsDir, name)));
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE_NAME, content: lockfile },
    shadowDbInitScript: '',
    migrationDirectories: directories,
  };
}

async function readMigrationDirectory(migrationsDir: string, name: string): Promise<MigrationDirectory> {
  const file = path.join(migrationsDir, name, MIGRATION_FILE_NAME);
  const content = await readFile(file, 'utf8').then(
    (value) => ({ tag: 'ok' as const, value }),
    (error: Error) => ({ tag: 'error' as const, value: error.message }),
  );
  return { path: name, migrationFile: { path: MIGRATION_FILE_NAME, content } };
}

/** Runs `work` with a schema engine connected to `databaseUrl`, then closes every connection it opened. */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  schemaFiles: SchemaContainer[],
  work: (engine: SchemaEngine, adapters: MigrationAdapterFactory) => Promise<T>,
): Promise<T> {
  const adapters = new MigrationAdapterFactory(databaseUrl);
  const boundAdapters = bindMigrationAwareSqlAdapterFactory(adapters);
  try {
    return await runEngineWork(startEngine(schemaFiles, boundAdapters, (engine) => work(engine, adapters)));
  } catch (error) {
    const message = resolveExternalErrors(engineErrorMessage(error), boundAdapters.errorRegistry);
    throw new Error(message, { cause: error });
  } finally {
    await adapters.close();
  }
}

async function startEngine<T>(
  schemaFiles: SchemaContainer[],
  adapters: ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const Engine = await loadEngineClass();
  const datamodels = schemaFiles.map((file): [string, string] => [file.path, file.content]);
  const engine = await Engine.new({ datamodels }, ignoreEngineLog, adapters);
  const result = await work(engine);
  engine.free(); // only after success: an engine that failed mid-call (a panic) refuses to be freed
  return result;
}

/** Errors thrown by adapter code reach the engine only as an id ("External error id#3"): restore their text. */
function resolveExternalErrors(message: string, registry: ErrorRegistry): string {
  return message.replace(/External error id#(\d+)/g, (text, id: string) => {
    const record = registry.consumeError(Number(id));
    return record?.error instanceof Error ? record.error.message : text;
  });
}

/** The engine logs progress as JSON lines; the scripts print their own summary instead. */
function ignoreEngineLog(): void {}

/** `host:port/database` of a connection URL, without credentials, for log lines. */
export function describeDatabase(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.host}${url.pathname}`;
}

/** An engine error's message without its internal span trace (`0: sql_schema_connector::...`) and noise. */
export function engineErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((line) => line !== 'external connector error');
  const traceStart = lines.findIndex((line) => /^\s+\d+: \S+::/.test(line));
  return (traceStart === -1 ? lines : lines.slice(0, traceStart)).join('\n').trim();
}
