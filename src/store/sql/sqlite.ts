// The embedded engine: SQLite through Node's built-in node:sqlite, in this process, in a file or in memory.
// Calls are synchronous and cheap; the async interface is kept so that the repositories serve both engines.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Row, Sql, SqlDriver } from './driver.ts';
import { FLOAT_SUM, sqliteDialect } from './sqlite-dialect.ts';

/** How long a statement waits for another process's write lock before it fails with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** Prepared statements kept, by SQL text; the least recently used is dropped first. */
const STATEMENT_CACHE_SIZE = 256;

/** `file` undefined: in memory, gone when the process ends. The file's directory is created if missing. */
export function openSqlite(file: string | undefined): SqlDriver {
  if (file) mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file ?? ':memory:', { timeout: BUSY_TIMEOUT_MS });
  try {
    // WAL: readers and one writer at a time, across processes too (https://sqlite.org/wal.html). NORMAL
    // syncs at checkpoints rather than at every commit: a commit survives a crash of the process, and the
    // database stays consistent through a power loss, which may take the last commits with it.
    if (file) db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.aggregate(FLOAT_SUM, { start: 0, deterministic: true, step: (total, v) => (typeof v === 'number' ? (total as number) + v : total) });
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteDriver(db);
}

class SqliteDriver implements SqlDriver {
  readonly engine = 'sqlite' as const;
  readonly dialect = sqliteDialect;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  /**
   * One connection: a transaction's statements must not mix with anyone else's. Transactions queue behind
   * one another (`tail` settles when the last one queued has ended); while any is queued or open
   * (`pending`), a statement from outside waits for them too.
   */
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly tx: Sql;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.tx = {
      dialect: sqliteDialect,
      query: async <T extends Row>(text: string, params?: readonly unknown[]) => this.all<T>(text, params),
      run: async (text: string, params?: readonly unknown[]) => this.changes(text, params),
    };
  }

  query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.whenIdle(() => this.all<T>(text, params));
  }

  run(text: string, params: readonly unknown[] = []): Promise<number> {
    return this.whenIdle(() => this.changes(text, params));
  }

  transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R> {
    this.pending++;
    const result = this.tail.then(() => this.inTransaction(fn));
    this.tail = result.then(
      () => {},
      () => {},
    );
    return result;
  }

  exec(script: string): Promise<void> {
    return this.whenIdle(() => this.db.exec(script));
  }

  async close(): Promise<void> {
    await this.tail;
    // Lets SQLite refresh the statistics its query planner uses: https://sqlite.org/pragma.html#pragma_optimize
    this.db.exec('PRAGMA optimize');
    this.db.close();
  }

  private async inTransaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R> {
    try {
      // IMMEDIATE takes the write lock now, so a transaction that reads then writes never fails half-way
      // because another process wrote in between.
      this.db.exec('BEGIN IMMEDIATE');
      const result = await fn(this.tx);
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.pending--;
    }
  }

  /** Runs `work` now when no transaction is queued or open, else after them. */
  private whenIdle<R>(work: () => R): Promise<R> {
    if (this.pending > 0) return this.tail.then(work);
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private all<T>(text: string, params: readonly unknown[] = []): T[] {
    return this.statement(text).all(...(params as SQLInputValue[])) as T[];
  }

  private changes(text: string, params: readonly unknown[] = []): number {
    return Number(this.statement(text).run(...(params as SQLInputValue[])).changes);
  }

  private statement(text: string): StatementSync {
    let s = this.statements.get(text);
    if (s) {
      this.statements.delete(text);
    } else {
      s = this.db.prepare(text);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value as string);
    }
    this.statements.set(text, s);
    return s;
  }
}
