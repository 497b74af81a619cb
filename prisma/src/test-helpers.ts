import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { databaseUrlFrom } from './config';

// Shared by this package's integration tests (not shipped code).

const PACKAGE_DIR = path.resolve(__dirname, '..');

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of this package's scripts (e.g. `src/migrate.ts`) under tsx, as `npm run` would. A run takes
 * seconds; the 60 s kill (below the tests' 120 s) makes a hung run fail with its output instead of a bare timeout.
 */
export function runScript(script: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: PACKAGE_DIR, env: { ...process.env, ...env }, timeout: 60_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const killed = error?.killed ? `\n[killed after 60 s: ${error.signal}]` : '';
        resolve({ code, stdout, stderr: stderr + killed });
      },
    );
  });
}

/** The test stack's DATABASE_URL (jest's global setup sets it). */
export function testDatabaseUrl(): string {
  return databaseUrlFrom(process.env);
}

/** Runs SQL on a database with a short-lived connection and returns the rows. */
export async function query<Row extends pg.QueryResultRow>(databaseUrl: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the test server; `drop()` removes it. */
export async function createTemporaryDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = testDatabaseUrl();
  const name = `minishop_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await query(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await query(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
