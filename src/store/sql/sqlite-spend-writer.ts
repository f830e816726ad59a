// Spend-log batches of a file-backed SQLite store, inserted on a worker thread (sqlite-spend-worker.ts) with
// its own connection to the file, so that their synchronous SQLite work (1-3 ms a batch) leaves the event loop
// free. Everything else stays on the main connection: in WAL mode it reads while the worker writes, and each
// connection waits (busy timeout) for the other's write lock.
//
// The thread starts at the first insert, not with the store: it costs ~20 MB of RSS, which a gateway that
// logs no spend should not pay. It is unref'd while idle, so it never keeps the process alive, and ref'd while
// an insert is in flight, so that the insert settles (a drain at shutdown is not cut short).
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { NewSpendLog } from '../types.ts';
import type { SpendWorkerData, SpendWorkerReply, SpendWorkerRequest } from './sqlite-spend-worker.ts';

/** The sibling script: .js when running from dist/, .ts when running from src/. */
const WORKER_SCRIPT = ['sqlite-spend-worker.js', 'sqlite-spend-worker.ts'].map((f) => new URL(f, import.meta.url)).find((u) => existsSync(u));

/** How long close() waits for the thread to close its connection before it terminates it. */
const CLOSE_TIMEOUT_MS = 10_000;

interface Settle {
  resolve(inserted: number): void;
  reject(err: Error): void;
}

/** A started worker and the inserts it has not answered yet. */
interface Thread {
  worker: Worker;
  pending: Map<number, Settle>;
  exited: Promise<void>;
}

export interface SqliteSpendWriterOptions {
  /** The worker's script (tests wrap the real one). Default: sqlite-spend-worker.{js,ts} beside this file. */
  script?: URL;
}

export class SqliteSpendWriter {
  private readonly file: string;
  private readonly script: URL | undefined;
  private thread: Thread | undefined;
  private readonly inFlight = new Set<Promise<number>>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  constructor(file: string, options: SqliteSpendWriterOptions = {}) {
    this.file = file;
    this.script = options.script ?? WORKER_SCRIPT;
  }

  /** The worker's thread id; undefined until the first insert starts one, and after it ended. */
  get threadId(): number | undefined {
    return this.thread?.worker.threadId;
  }

  /** Resolves with the number of fresh rows once the worker has committed them. */
  async insertSpendLogs(rows: readonly NewSpendLog[]): Promise<number> {
    if (rows.length === 0) return 0;
    if (this.closing) throw new Error('the store is closed');
    const done = this.post(this.thread ?? this.start(), rows);
    this.inFlight.add(done);
    const forget = (): void => void this.inFlight.delete(done);
    done.then(forget, forget);
    return done;
  }

  /** Waits for the inserts in flight, then has the thread close its connection, and waits for it to end. */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private start(): Thread {
    if (!this.script) throw new Error('sqlite-spend-worker.js (or .ts) is missing beside sqlite-spend-writer');
    const workerData: SpendWorkerData = { file: this.file };
    // The thread needs none of the process's command-line options, and some would break it or weigh on it
    // (`--input-type`, an `--import`ed instrumentation, `--cpu-prof`), so it inherits none.
    const worker = new Worker(this.script, { workerData, execArgv: [] });
    worker.unref();
    const thread: Thread = { worker, pending: new Map(), exited: new Promise((resolve) => worker.once('exit', () => resolve())) };
    worker.on('message', (reply: SpendWorkerReply) => this.settle(thread, reply));
    worker.on('error', (err) => this.lose(thread, `the spend-log worker failed: ${err.message}`));
    worker.on('exit', (code) => this.lose(thread, `the spend-log worker exited (code ${code})`));
    this.thread = thread;
    return thread;
  }

  private post(thread: Thread, rows: readonly NewSpendLog[]): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // As JSON text: with rows as they are made (distinct strings, many of them concatenated), the structured
      // clone of the objects took 1.3x as long on the event loop as JSON.stringify and posting the text.
      const request: SpendWorkerRequest = { id, rows: JSON.stringify(rows) };
      // Throws (and so rejects) before anything is pending when a row cannot be serialised.
      thread.worker.postMessage(request);
      thread.pending.set(id, { resolve, reject });
      if (thread.pending.size === 1) thread.worker.ref();
    });
  }

  private settle(thread: Thread, reply: SpendWorkerReply): void {
    const waiting = thread.pending.get(reply.id);
    if (!waiting) return;
    thread.pending.delete(reply.id);
    if (thread.pending.size === 0) thread.worker.unref();
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.inserted);
  }

  /** The thread is gone: its unanswered inserts fail, and the next insert starts another. */
  private lose(thread: Thread, reason: string): void {
    if (this.thread === thread) this.thread = undefined;
    for (const waiting of thread.pending.values()) waiting.reject(new Error(reason));
    thread.pending.clear();
  }

  private async stop(): Promise<void> {
    await Promise.allSettled(this.inFlight);
    const thread = this.thread;
    if (!thread) return;
    // Ref'd until it has ended, so that the process does not exit with the connection half-closed.
    thread.worker.ref();
    const request: SpendWorkerRequest = { close: true };
    thread.worker.postMessage(request);
    const timer = setTimeout(() => void thread.worker.terminate(), CLOSE_TIMEOUT_MS);
    await thread.exited;
    clearTimeout(timer);
  }
}
