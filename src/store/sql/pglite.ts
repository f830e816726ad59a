// The embedded engine: PGlite (PostgreSQL compiled to WASM) in this process, in memory or in a data directory.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { StoreError } from '../types.ts';
import type { Row, Sql, SqlDriver } from './driver.ts';

export interface PgliteTemplate {
  /** Names the template: changes whenever what `prepare` builds changes (PGlite version, migrations). */
  key: string;
  /** Brings a new database to the template's state (applies the migrations). */
  prepare: (driver: SqlDriver) => Promise<unknown>;
}

/**
 * `dataDir` undefined: in memory, gone when the process ends.
 *
 * A new database (in memory, or an empty directory) starts from a cached template when there is one: PGlite's
 * initdb costs seconds of CPU, loading a dump of a freshly migrated database a fraction of that. The template
 * is written once per key under the system's temp directory; without it, the database is created as usual.
 */
export async function openPglite(dataDir: string | undefined, template?: PgliteTemplate): Promise<SqlDriver> {
  let release = (): void => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  try {
    const fresh = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
    const cached = fresh && template ? readTemplate(template.key) : undefined;
    if (cached) {
      try {
        const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), loadDataDir: cached });
        // A template dumped from a data directory holds that process's igw.lock, now unpacked over ours.
        if (dataDir) writeFileSync(join(dataDir, 'igw.lock'), String(process.pid));
        return new PgliteDriver(db, release);
      } catch {
        // A damaged template: build the database the slow way below, and the template again.
        if (dataDir) {
          for (const entry of readdirSync(dataDir)) if (entry !== 'igw.lock') rmSync(join(dataDir, entry), { recursive: true, force: true });
        }
      }
    }
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    const driver = new PgliteDriver(db, release);
    if (fresh && template) {
      await template.prepare(driver);
      await writeTemplate(template.key, db).catch(() => {});
    }
    return driver;
  } catch (err) {
    release();
    throw err;
  }
}

function templateFile(key: string): string {
  return join(tmpdir(), 'igw-pglite-templates', `${key.replace(/[^\w.-]/g, '_')}.tar`);
}

function readTemplate(key: string): Blob | undefined {
  try {
    return new Blob([readFileSync(templateFile(key))]);
  } catch {
    return undefined;
  }
}

async function writeTemplate(key: string, db: PGlite): Promise<void> {
  const file = templateFile(key);
  if (existsSync(file)) return;
  const dump = await db.dumpDataDir('none');
  mkdirSync(join(tmpdir(), 'igw-pglite-templates'), { recursive: true });
  // Written aside and renamed, so a concurrent reader never sees half a file.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
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
