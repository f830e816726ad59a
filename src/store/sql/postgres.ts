// The production engine: PostgreSQL through node-postgres, with a connection pool.
import pg from 'pg';
import type { Row, Sql, SqlDriver } from './driver.ts';
import { postgresDialect } from './postgres-dialect.ts';

export interface PostgresOptions {
  url: string;
  /**
   * Schema for igw's tables (created if missing). Default: the connection's search_path, which a URL can set
   * with `?options=-c%20search_path%3Dname`. Tests use one schema per run.
   */
  schema?: string;
  /** Pool size; default 10. */
  max?: number;
}

const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgres(opts: PostgresOptions): Promise<SqlDriver> {
  const schema = opts.schema;
  if (schema !== undefined && !SCHEMA_RE.test(schema)) throw new Error(`invalid schema name '${schema}'`);
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener it would crash.
  pool.on('error', () => {});
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    else await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  return new PostgresDriver(pool);
}

class PostgresDriver implements SqlDriver {
  readonly engine = 'postgres' as const;
  readonly dialect = postgresDialect;
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params as unknown[])).rows as T[];
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.pool.query(text, params as unknown[])).rowCount ?? 0;
  }

  async transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({
        dialect: postgresDialect,
        query: async <T extends Row>(text: string, params: readonly unknown[] = []) => (await client.query(text, params as unknown[])).rows as T[],
        run: async (text: string, params: readonly unknown[] = []) => (await client.query(text, params as unknown[])).rowCount ?? 0,
      });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
