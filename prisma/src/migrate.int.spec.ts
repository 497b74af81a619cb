import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTemporaryDatabase, query, runScript, testDatabaseUrl } from './test-helpers';

jest.setTimeout(120_000);

const MIGRATIONS_DIR = path.resolve(__dirname, '../migrations');
const LOCKFILE = 'provider = "postgresql"\n';

interface MigrationRow {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

function migrationRows(databaseUrl: string): Promise<MigrationRow[]> {
  return query<MigrationRow>(
    databaseUrl,
    'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
  );
}

async function tableExists(databaseUrl: string, table: string): Promise<boolean> {
  const [row] = await query<{ found: string | null }>(databaseUrl, `SELECT to_regclass('${table}')::text AS found`);
  return row?.found != null;
}

/** A throw-away migrations folder: `{ '20240101000000_a': 'SQL' }`. */
async function writeMigrations(dir: string, migrations: Record<string, string>): Promise<void> {
  await writeFile(path.join(dir, 'migration_lock.toml'), LOCKFILE);
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, 'migration.sql'), sql);
  }
}

describe('migrate', () => {
  let database: Awaited<ReturnType<typeof createTemporaryDatabase>>;

  beforeEach(async () => {
    database = await createTemporaryDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  it('applies every migration of prisma/migrations once, recording each like prisma migrate deploy', async () => {
    const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);

    const first = await runScript('src/migrate.ts', { DATABASE_URL: database.url });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`applied ${names.length} migration(s)`);
    for (const name of names) expect(first.stdout).toContain(name);
    const recorded = await migrationRows(database.url);
    expect(recorded.map((row) => row.migration_name).sort()).toEqual(names.sort());
    expect(recorded.every((row) => row.finished_at !== null && row.rolled_back_at === null)).toBe(true);
    expect(await tableExists(database.url, 'products.products')).toBe(true);

    const second = await runScript('src/migrate.ts', { DATABASE_URL: database.url });
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain('no pending migrations');
    expect(await migrationRows(database.url)).toHaveLength(names.length);
  });

  it('serializes two concurrent runs: one applies, the other finds nothing pending', async () => {
    const runs = await Promise.all([
      runScript('src/migrate.ts', { DATABASE_URL: database.url }),
      runScript('src/migrate.ts', { DATABASE_URL: database.url }),
    ]);

    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    expect(runs.filter((run) => run.stdout.includes('no pending migrations'))).toHaveLength(1);
    const recorded = await migrationRows(database.url);
    expect(new Set(recorded.map((row) => row.migration_name)).size).toBe(recorded.length);
  });

  describe('with a temporary migrations folder', () => {
    let migrationsDir: string;

    beforeEach(async () => {
      migrationsDir = await mkdtemp(path.join(os.tmpdir(), 'minishop-migrations-'));
    });

    afterEach(async () => {
      await rm(migrationsDir, { recursive: true, force: true });
    });

    it('applies a script whole: semicolons inside strings and function bodies are not statement ends', async () => {
      await writeMigrations(migrationsDir, {
        '20240101000000_tricky': [
          "CREATE TABLE notes (body text NOT NULL DEFAULT 'a; b');",
          "INSERT INTO notes VALUES ('semicolon; inside');",
          'CREATE FUNCTION note_count() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT count(*) FROM notes); END; $$;',
        ].join('\n'),
      });

      const run = await runScript('src/migrate.ts', { DATABASE_URL: database.url, MIGRATIONS_DIR: migrationsDir });

      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(await query(database.url, 'SELECT body, note_count()::int AS count FROM notes')).toEqual([
        { body: 'semicolon; inside', count: 1 },
      ]);
    });

    it('fails a broken migration with a readable error, leaving nothing of it applied', async () => {
      await writeMigrations(migrationsDir, {
        '20240101000000_good': 'CREATE TABLE good (id int);',
        '20240102000000_broken': 'CREATE TABLE half_applied (id int);\nSELECT 1 / 0;',
      });
      const env = { DATABASE_URL: database.url, MIGRATIONS_DIR: migrationsDir };

      const run = await runScript('src/migrate.ts', env);

      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('migration 20240102000000_broken failed and was rolled back');
      expect(run.stderr).toContain('division by zero');
      expect(await tableExists(database.url, 'good')).toBe(true);
      expect(await tableExists(database.url, 'half_applied')).toBe(false);
      expect(await migrationRows(database.url)).toEqual([
        expect.objectContaining({ migration_name: '20240101000000_good', rolled_back_at: null }),
        expect.objectContaining({
          migration_name: '20240102000000_broken',
          finished_at: null,
          rolled_back_at: expect.any(Date),
        }),
      ]);

      // Once fixed, the next run applies it: the failure does not block the history.
      await writeMigrations(migrationsDir, { '20240102000000_broken': 'CREATE TABLE half_applied (id int);' });
      const retry = await runScript('src/migrate.ts', env);
      expect(retry).toMatchObject({ code: 0, stderr: '' });
      expect(retry.stdout).toContain('20240102000000_broken');
      expect(await tableExists(database.url, 'half_applied')).toBe(true);
    });
  });

  it('refuses to run without a usable DATABASE_URL, naming the variable', async () => {
    for (const value of ['', 'not a url', 'mysql://localhost/shop']) {
      const run = await runScript('src/migrate.ts', { DATABASE_URL: value });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/^error: invalid configuration:\n {2}- DATABASE_URL: /);
    }
  });
});

describe('migration:new', () => {
  it('reports no changes when the migrations already match the schema, and leaves no shadow database', async () => {
    const run = await runScript('src/migration-new.ts', { DATABASE_URL: testDatabaseUrl() }, ['unchanged']);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('no schema changes');
    expect((await readdir(MIGRATIONS_DIR)).some((name) => name.endsWith('_unchanged'))).toBe(false);
    const shadows = await query(
      testDatabaseUrl(),
      "SELECT 1 FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'",
    );
    expect(shadows).toEqual([]);
  });

  it('writes the difference between an empty history and the schema as a new migration', async () => {
    const migrationsDir = await mkdtemp(path.join(os.tmpdir(), 'minishop-migrations-'));
    try {
      const run = await runScript(
        'src/migration-new.ts',
        { DATABASE_URL: testDatabaseUrl(), MIGRATIONS_DIR: migrationsDir },
        ['init'],
      );

      expect(run).toMatchObject({ code: 0, stderr: '' });
      const [folder, ...others] = (await readdir(migrationsDir)).filter((name) => name !== 'migration_lock.toml');
      expect(others).toEqual([]);
      expect(folder).toMatch(/^\d{14}_init$/);
      expect(await readdir(migrationsDir)).toContain('migration_lock.toml');
    } finally {
      await rm(migrationsDir, { recursive: true, force: true });
    }
  });

  it.each(['', 'Add-Thing', '1st', 'has space'])('rejects the migration name %j', async (name) => {
    const run = await runScript('src/migration-new.ts', { DATABASE_URL: testDatabaseUrl() }, name ? [name] : []);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^error: (usage|invalid migration name)/);
  });
});
