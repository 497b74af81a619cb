import path from 'node:path';
import { configFields, readConfig } from '@minishop/runtime';
import { z } from 'zod';

const PACKAGE_DIR = path.resolve(__dirname, '..');
export const SCHEMA_DIR = path.join(PACKAGE_DIR, 'schema');
const DEFAULT_MIGRATIONS_DIR = path.join(PACKAGE_DIR, 'migrations');

export interface MigrationConfig {
  databaseUrl: string;
  /** Overridable (MIGRATIONS_DIR) so tests can apply throw-away migration folders. */
  migrationsDir: string;
}

/** The settings of the processes that only need the database (seed). */
export const databaseConfigShape = { DATABASE_URL: configFields.postgresUrl };

/** Reads and checks DATABASE_URL (errors name the variable, never echo its value: it holds a password). */
export function databaseUrlFrom(env: NodeJS.ProcessEnv): string {
  return readConfig(databaseConfigShape, env).DATABASE_URL;
}

/** The settings of `migrate` (the names are the environment variables; INIT_CWD is set by npm). */
export const migrationConfigShape = {
  ...databaseConfigShape,
  MIGRATIONS_DIR: z.string().trim().min(1).optional(),
  INIT_CWD: z.string().optional(),
};

export function migrationConfigFrom(env: NodeJS.ProcessEnv): MigrationConfig {
  const config = readConfig(migrationConfigShape, env);
  return {
    databaseUrl: config.DATABASE_URL,
    // npm runs workspace scripts from prisma/; a relative MIGRATIONS_DIR means the caller's directory.
    migrationsDir: config.MIGRATIONS_DIR
      ? path.resolve(config.INIT_CWD ?? process.cwd(), config.MIGRATIONS_DIR)
      : DEFAULT_MIGRATIONS_DIR,
  };
}
