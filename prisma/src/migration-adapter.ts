import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type ConnectionInfo,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

/** The key of Prisma's migration advisory lock (prisma-engines: `pg_advisory_lock(72707369)`). */
const MIGRATION_LOCK_KEY = 72707369;
const CHAR_OID = 18;
const TEXT_OID = 25;

/** The part of pg's RowDescription protocol message touched here. */
interface RowDescription {
  fields: Array<{ dataTypeID: number }>;
}

/**
 * Driver adapter for the WebAssembly schema engine, fixing three problems of the stock PrismaPg one:
 * - its executeScript splits a migration on every `;` (breaking strings and function bodies) and runs
 *   the pieces one by one, so a failure leaves the earlier statements applied. Here the whole script
 *   goes out as ONE simple-protocol query, which Postgres runs in one implicit transaction.
 * - its shadow database pool keeps the connection string's database name (pg lets the URL win over
 *   `database`), so shadow work would land in the main database. Here the shadow URL is rewritten.
 * - it cannot map Postgres' internal `"char"` type, which the engine's introspection reads from the
 *   catalogs (pg_constraint.contype...): "Column type 'char' could not be deserialized". Here such
 *   columns are reported as the Character column type the engine expects.
 * Each connection is a single-connection pool, so the session-level advisory lock is held by the
 * connection that runs every statement, until close().
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = '@minishop/db-migrate';
  private readonly closers: Array<() => Promise<void>> = [];
  /** Set when a migration script failed inside its implicit transaction, i.e. left nothing behind. */
  scriptRolledBack = false;

  constructor(private readonly databaseUrl: string) {}

  async connect(): Promise<SqlDriverAdapter> {
    const pool = this.pool(this.databaseUrl);
    await holdMigrationLock(pool);
    return this.adapter(pool);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    await this.admin(`CREATE DATABASE "${database}"`);
    this.closers.push(() => this.admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    const url = new URL(this.databaseUrl);
    url.pathname = `/${database}`;
    return this.adapter(this.pool(url.toString()));
  }

  /** Closes every connection (releasing the advisory lock) and drops shadow databases, newest first. */
  async close(): Promise<void> {
    for (const closer of this.closers.splice(0).reverse()) await closer();
  }

  private pool(connectionString: string): pg.Pool {
    const pool = new pg.Pool({ connectionString, max: 1, idleTimeoutMillis: 0 });
    this.closers.push(() => pool.end());
    return pool;
  }

  private async adapter(pool: pg.Pool): Promise<SqlDriverAdapter> {
    const charColumns = new CharColumns();
    pool.on('connect', (client) => client.connection.prependListener('rowDescription', charColumns.observe));
    const adapter = await new PrismaPg(pool).connect();
    return new MigrationAdapter(adapter, pool, charColumns, () => {
      this.scriptRolledBack = true;
    });
  }

  private async admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

/**
 * Takes the advisory lock that the engine's applyMigrations takes (same key) on the connection the engine
 * will use. The engine's own attempt then succeeds at once (the lock is re-entrant per session) instead
 * of giving up after 10 s, so concurrent runs queue up. Closing the pool releases it.
 */
async function holdMigrationLock(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    MIGRATION_LOCK_KEY,
  ]);
  if (rows[0]?.locked) return;
  console.log('waiting for another migration run on this database to finish...');
  await pool.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
}

/**
 * Remembers where `"char"` columns were in the latest result of a single-connection pool, and presents
 * them to pg and PrismaPg as text so the result can be read at all.
 */
class CharColumns {
  private positions: number[] = [];

  readonly observe = (message: RowDescription): void => {
    this.positions = [];
    message.fields.forEach((field, position) => {
      if (field.dataTypeID !== CHAR_OID) return;
      field.dataTypeID = TEXT_OID;
      this.positions.push(position);
    });
  };

  take(): number[] {
    const positions = this.positions;
    this.positions = [];
    return positions;
  }
}

class MigrationAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter['provider'];
  readonly adapterName: string;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly pool: pg.Pool,
    private readonly charColumns: CharColumns,
    private readonly onScriptRolledBack: () => void,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    this.charColumns.take(); // the pool has one connection and the engine awaits each query: no overlap
    const result = await this.inner.queryRaw(query);
    for (const position of this.charColumns.take()) result.columnTypes[position] = ColumnTypeEnum.Character;
    return result;
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.inner.startTransaction(isolationLevel);
  }

  getConnectionInfo(): ConnectionInfo {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: true };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }

  async executeScript(script: string): Promise<void> {
    try {
      await this.pool.query(script);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) throw error;
      this.onScriptRolledBack();
      throw new DriverAdapterError({
        kind: 'postgres',
        code: error.code ?? 'N/A',
        severity: error.severity ?? 'ERROR',
        message: error.message,
        detail: error.detail,
        column: error.column,
        hint: error.hint,
      });
    }
  }
}
