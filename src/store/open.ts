// Choosing the engine: PostgreSQL when a database URL is given, else the embedded SQLite store (node:sqlite).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sqlStore } from './sql/sql-store.ts';
import { SqliteSpendWriter } from './sql/sqlite-spend-writer.ts';
import { openSqlite } from './sql/sqlite.ts';
import type { Store } from './types.ts';

/** `:memory:` as the data directory keeps the embedded store in memory (gone at exit). */
export const MEMORY = ':memory:';
export const DEFAULT_DATA_DIR = '.igw-data';
/** The embedded store's database file inside the data directory. */
export const DATABASE_FILE = 'igw.sqlite';

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
    return sqlStore(await (await import('./sql/postgres.ts')).openPostgres({ url: opts.databaseUrl, schema: opts.schema }), opts.now);
  }
  const file = embeddedFile(opts);
  const db = openSqlite(file);
  try {
    // A file can be shared with a worker thread, which takes the spend-log inserts off the event loop; an
    // in-memory database exists on its one connection only.
    return await sqlStore(db, opts.now, file ? new SqliteSpendWriter(file) : undefined);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}

/** The embedded store's file; undefined when it is kept in memory. */
function embeddedFile(opts: StoreOptions): string | undefined {
  const dir = opts.dataDir ?? DEFAULT_DATA_DIR;
  return dir === MEMORY ? undefined : join(resolve(dir), DATABASE_FILE);
}

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
  return `embedded SQLite (${embeddedFile(opts) ?? 'in memory'})`;
}

/**
 * Earlier igw versions kept the embedded store in PGlite files in the same directory; igw does not read
 * them. Says so (for a start-up warning) when such files are there, rather than leaving their keys, teams
 * and spend silently behind.
 */
export function legacyStoreNotice(opts: StoreOptions): string | undefined {
  if (opts.databaseUrl || opts.dataDir === MEMORY) return undefined;
  const dir = resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
  if (!existsSync(join(dir, 'PG_VERSION'))) return undefined;
  return `${dir} holds a PGlite store from an earlier igw; this version keeps the embedded store in ${join(dir, DATABASE_FILE)} and does not read it. Keys, teams and spend made before must be created again (or move to PostgreSQL with DATABASE_URL)`;
}
