import path from 'node:path';
import { ConfigError } from '@minishop/runtime';
import { databaseUrlFrom, migrationConfigFrom } from './config';

describe('databaseUrlFrom', () => {
  it('accepts a PostgreSQL URL naming a database', () => {
    const url = 'postgresql://shop:secret@127.0.0.1:5432/shop';
    expect(databaseUrlFrom({ DATABASE_URL: url })).toBe(url);
    expect(databaseUrlFrom({ DATABASE_URL: 'postgres://localhost/shop' })).toBe('postgres://localhost/shop');
  });

  it.each([
    [undefined, /DATABASE_URL: is required/],
    ['not a url', /DATABASE_URL: must be a postgresql:\/\/ URL/],
    ['mysql://localhost/shop', /DATABASE_URL: must be a postgresql:\/\/ URL/],
    ['postgresql://localhost', /DATABASE_URL: must name a database/],
  ])('rejects %j', (value, message) => {
    expect(() => databaseUrlFrom({ DATABASE_URL: value })).toThrow(ConfigError);
    expect(() => databaseUrlFrom({ DATABASE_URL: value })).toThrow(message);
  });

  it('never echoes the URL, which holds a password', () => {
    expect(() => databaseUrlFrom({ DATABASE_URL: 'mysql://user:hunter2@host/db' })).not.toThrow(/hunter2/);
  });
});

describe('migrationConfigFrom', () => {
  const DATABASE_URL = 'postgresql://localhost/shop';

  it('defaults to the package migrations folder', () => {
    expect(migrationConfigFrom({ DATABASE_URL }).migrationsDir).toBe(path.resolve(__dirname, '../migrations'));
  });

  it('resolves a relative MIGRATIONS_DIR from where npm was started', () => {
    const config = migrationConfigFrom({ DATABASE_URL, MIGRATIONS_DIR: 'tmp/migrations', INIT_CWD: '/repo' });
    expect(config.migrationsDir).toBe('/repo/tmp/migrations');
  });
});
