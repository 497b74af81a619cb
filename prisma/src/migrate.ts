import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { migrationConfigFrom, SCHEMA_DIR } from './config';
import { runCli } from './cli';
import type { MigrationAdapterFactory } from './migration-adapter';
import {
  describeDatabase,
  engineErrorMessage,
  NO_FILTER,
  readMigrations,
  readSchemaFiles,
  withSchemaEngine,
} from './schema-engine';

/**
 * `npm run migrate`: applies the pending migrations of prisma/migrations (or MIGRATIONS_DIR) like
 * `prisma migrate deploy`, through the WebAssembly schema engine (same `_prisma_migrations` records).
 */
async function main(): Promise<void> {
  const config = migrationConfigFrom(process.env);
  const [schemaFiles, migrations] = await Promise.all([
    readSchemaFiles(SCHEMA_DIR),
    readMigrations(config.migrationsDir),
  ]);
  if (migrations.migrationDirectories.length === 0) throw new Error(`no migrations found in ${config.migrationsDir}`);
  const target = describeDatabase(config.databaseUrl);
  const applied = await withSchemaEngine(config.databaseUrl, schemaFiles, (engine, adapters) =>
    applyPending(engine, adapters, migrations),
  );
  if (applied.length === 0) {
    console.log(`migrate: no pending migrations on ${target} (${migrations.migrationDirectories.length} applied)`);
    return;
  }
  console.log(`migrate: applied ${applied.length} migration(s) to ${target}:`);
  for (const name of applied) console.log(`  ${name}`);
}

async function applyPending(
  engine: SchemaEngine,
  adapters: MigrationAdapterFactory,
  migrationsList: MigrationList,
): Promise<string[]> {
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return appliedMigrationNames;
  } catch (error) {
    if (!adapters.scriptRolledBack) throw error;
    // Postgres rolled the whole script back, so the failure record can be closed now; otherwise every later
    // run would refuse to start (P3009) until someone ran `prisma migrate resolve`, which needs the native engine.
    const history = await engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters: NO_FILTER,
    });
    if (history.failedMigrationNames.length === 0) throw error;
    for (const migrationName of history.failedMigrationNames) await engine.markMigrationRolledBack({ migrationName });
    throw new Error(
      `migration ${history.failedMigrationNames.join(', ')} failed and was rolled back: nothing of it was applied.\n` +
        `${engineErrorMessage(error)}\nFix the migration and run migrate again.`,
    );
  }
}

runCli(main);
