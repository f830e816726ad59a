// The spend-log thread of a file-backed SQLite store, started by sqlite-spend-writer.ts: its own connection to
// the store's file, on which it runs the batch inserts that the main thread posts. Migrations are not run
// here: the main connection applied them before any insert could be posted.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { NewSpendLog } from '../types.ts';
import { SqlSpend } from './spend.ts';
import { openSqlite } from './sqlite.ts';

/** Main thread → worker: a batch to insert (its rows as JSON text), or the request to close the connection and end. */
export type SpendWorkerRequest = { id: number; rows: string } | { close: true };
/** Worker → main thread: the number of fresh rows, after COMMIT, or the error's message. */
export type SpendWorkerReply = { id: number; inserted: number } | { id: number; error: string };

/** What the worker is started with: the database file. */
export interface SpendWorkerData {
  file: string;
}

function serve(port: MessagePort, { file }: SpendWorkerData): void {
  const db = openSqlite(file);
  const spend = new SqlSpend({ db, now: () => new Date() });
  port.on('message', (message: SpendWorkerRequest) => {
    if ('close' in message) void closeAndEnd();
    else void insert(message.id, JSON.parse(message.rows) as NewSpendLog[]);
  });

  async function insert(id: number, rows: readonly NewSpendLog[]): Promise<void> {
    let reply: SpendWorkerReply;
    try {
      reply = { id, inserted: await spend.insertSpendLogs(rows) };
    } catch (err) {
      reply = { id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  }

  async function closeAndEnd(): Promise<void> {
    await db.close();
    // With its port closed the thread has nothing left to wait for, and ends.
    port.close();
  }
}

if (!parentPort) throw new Error('sqlite-spend-worker.ts runs as a worker thread (see sqlite-spend-writer.ts)');
serve(parentPort, workerData as SpendWorkerData);
