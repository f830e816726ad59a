// The embedded engine: PGlite (PostgreSQL compiled to WASM) in this process, in memory or in a data directory.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { StoreError } from '../types.ts';
import type { Row, Sql, SqlDriver } from './driver.ts';

/** `dataDir` undefined: in memory, gone when the process ends. */
export async function openPglite(dataDir: string | undefined): Promise<SqlDriver> {
  let release = (): void => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  try {
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    return new PgliteDriver(db, release);
  } catch (err) {
    release();
    throw err;
  }
}

class PgliteDriver implements SqlDriver {
  readonly engine = 'pglite' as const;
  private readonly db: PGlite;
  private readonly release: () => void;

  constructor(db: PGlite, release: () => void) {
    this.db = db;
    this.release = release;
  }

  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(text, params as unknown[])).rows;
  }

  transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R> {
    return this.db.transaction((tx: Transaction) =>
      fn({ query: async <T extends Row>(text: string, params: readonly unknown[] = []) => (await tx.query<T>(text, params as unknown[])).rows }),
    );
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.release();
    }
  }
}

/**
 * One process per data directory: two PGlite instances on the same files corrupt them. A lock file names the
 * owner's pid; a stale one (its process is gone) is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, 'igw.lock');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const owner = Number(readFileSync(file, 'utf8'));
    if (owner !== process.pid && isAlive(owner)) {
      throw new StoreError(
        'unavailable',
        `the data directory ${dir} is in use by process ${owner}. One igw process per embedded store: ` +
          'set general_settings.igw_data_dir to another directory, or use PostgreSQL (DATABASE_URL) for several replicas',
      );
    }
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
