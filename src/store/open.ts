// Choosing the engine: PostgreSQL when a database URL is given, else the embedded PGlite store.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MIGRATIONS, migrate } from './sql/migrations.ts';
import { openPglite, type PgliteTemplate } from './sql/pglite.ts';
import { openPostgres } from './sql/postgres.ts';
import { sqlStore } from './sql/sql-store.ts';
import type { Store } from './types.ts';

/** `:memory:` as the data directory keeps the embedded store in memory (gone at exit). */
export const MEMORY = ':memory:';
export const DEFAULT_DATA_DIR = '.igw-data';

export interface StoreOptions {
  /** `postgres://…`: use PostgreSQL. From `DATABASE_URL` or `general_settings.database_url`. */
  databaseUrl?: string;
  /** Postgres schema for igw's tables (default: the connection's search_path, normally `public`). */
  schema?: string;
  /** Embedded store directory, or `:memory:`. Default `./.igw-data`. Ignored with a database URL. */
  dataDir?: string;
  /** Injected clock (tests). */
  now?: () => Date;
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  if (opts.databaseUrl) {
    return sqlStore(await openPostgres({ url: opts.databaseUrl, schema: opts.schema }), opts.now);
  }
  const dir = opts.dataDir ?? DEFAULT_DATA_DIR;
  return sqlStore(await openPglite(dir === MEMORY ? undefined : resolve(dir), TEMPLATE), opts.now);
}

/** PGlite does not export its package.json; it sits two levels above the entry point (dist/index.js). */
const PGLITE_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('@electric-sql/pglite')), 'utf8')) as { version: string }).version;

/** A fresh embedded database is the migrated schema: cached per PGlite version and migration list. */
const TEMPLATE: PgliteTemplate = {
  key: `pglite-${PGLITE_VERSION}-${createHash('sha256').update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 16)}`,
  prepare: (driver) => migrate(driver),
};

/** Describes where the store lives, for the start-up log line (the URL's password is not shown). */
export function describeStore(opts: StoreOptions): string {
  if (opts.databaseUrl) {
    try {
      const u = new URL(opts.databaseUrl);
      return `postgres ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
    } catch {
      return 'postgres';
    }
  }
  const dir = opts.dataDir ?? DEFAULT_DATA_DIR;
  return dir === MEMORY ? 'embedded (in memory)' : `embedded (${resolve(dir)})`;
}
