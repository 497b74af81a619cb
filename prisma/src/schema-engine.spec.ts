import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeDatabase, engineErrorMessage, readMigrations } from './schema-engine';

describe('readMigrations', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'minishop-read-migrations-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists migration folders in name order with their scripts, like the Prisma CLI', async () => {
    await writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    for (const name of ['20240102000000_b', '20240101000000_a']) {
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, 'migration.sql'), `-- ${name}`);
    }
    await mkdir(path.join(dir, '20240103000000_empty'));
    await writeFile(path.join(dir, 'README.txt'), 'not a migration');

    const list = await readMigrations(dir);

    expect(list.baseDir).toBe(dir);
    expect(list.lockfile).toEqual({ path: 'migration_lock.toml', content: 'provider = "postgresql"\n' });
    expect(list.migrationDirectories.map((entry) => entry.path)).toEqual([
      '20240101000000_a',
      '20240102000000_b',
      '20240103000000_empty',
    ]);
    expect(list.migrationDirectories[0]?.migrationFile).toEqual({
      path: 'migration.sql',
      content: { tag: 'ok', value: '-- 20240101000000_a' },
    });
    expect(list.migrationDirectories[2]?.migrationFile.content.tag).toBe('error');
  });

  it('treats a missing folder as an empty history', async () => {
    const list = await readMigrations(path.join(dir, 'missing'));
    expect(list.migrationDirectories).toEqual([]);
    expect(list.lockfile.content).toBeNull();
  });
});

describe('engineErrorMessage', () => {
  it('keeps the message and drops the engine span trace', () => {
    const error = new Error(
      'external connector error\nError querying the database: ERROR: division by zero\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="x"',
    );
    expect(engineErrorMessage(error)).toBe('Error querying the database: ERROR: division by zero');
  });
});

describe('describeDatabase', () => {
  it('names host and database without credentials', () => {
    expect(describeDatabase('postgresql://shop:secret@db.internal:5432/shop')).toBe('db.internal:5432/shop');
  });
});
