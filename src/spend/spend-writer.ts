// The spend-log queue: rows are queued on the request path and written to the store in batches, off it —
// when `batchSize` rows are waiting or `flushIntervalMs` after the first one, whichever comes first. A failed
// write keeps its rows and is retried with backoff (the store skips request_ids it already has, so a batch
// that committed but was not acknowledged is not counted twice). close() drains the queue.
import type { NewSpendLog } from '../store/index.ts';
import type { Logger } from '../observability/index.ts';

export interface SpendWriterOptions {
  insert(rows: readonly NewSpendLog[]): Promise<number>;
  logger: Logger;
  /** Default 100. */
  batchSize?: number;
  /** Default 1000 ms. */
  flushIntervalMs?: number;
  /** Rows kept while the store cannot be written; past it the oldest are dropped, with an error log. Default 100,000. */
  maxQueued?: number;
}

export interface SpendWriterStats {
  queued: number;
  written: number;
  dropped: number;
  failedWrites: number;
}

const MAX_BACKOFF_MS = 30_000;

export class SpendWriter {
  private readonly opts: Required<Omit<SpendWriterOptions, 'logger' | 'insert'>>;
  private readonly insert: SpendWriterOptions['insert'];
  private readonly logger: Logger;
  private queue: NewSpendLog[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private consecutiveFailures = 0;
  private readonly counts: SpendWriterStats = { queued: 0, written: 0, dropped: 0, failedWrites: 0 };

  constructor(options: SpendWriterOptions) {
    this.insert = options.insert;
    this.logger = options.logger;
    this.opts = { batchSize: options.batchSize ?? 100, flushIntervalMs: options.flushIntervalMs ?? 1000, maxQueued: options.maxQueued ?? 100_000 };
  }

  enqueue(row: NewSpendLog): void {
    this.queue.push(row);
    // Never while a batch is being written: the batch is the front of the queue until it is acknowledged.
    if (this.queue.length > this.opts.maxQueued && !this.running) this.dropOldest();
    if (this.running) return;
    if (this.queue.length >= this.opts.batchSize && this.consecutiveFailures === 0) void this.write(false);
    else this.schedule(this.opts.flushIntervalMs);
  }

  /** Writes everything queued now; resolves when done or when a write failed (the rows stay queued). */
  flush(): Promise<void> {
    return this.write(true);
  }

  /** `partial`: also the last, incomplete batch (a size trigger writes only full ones). */
  private write(partial: boolean): Promise<void> {
    this.running ??= this.writeAll(partial).finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.schedule(this.retryDelay());
    });
    return this.running;
  }

  /** Drains the queue, retrying failed writes until `timeoutMs`; rows still unwritten then are logged as lost. */
  async close(timeoutMs = 15_000): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 || this.running) {
      await this.flush();
      if (this.queue.length === 0) break;
      if (Date.now() + this.retryDelay() > deadline) break;
      await new Promise((r) => setTimeout(r, this.retryDelay()));
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length > 0) {
      this.logger.error({ rows: this.queue.length }, 'spend log: rows could not be written before shutdown and are lost');
      this.counts.dropped += this.queue.length;
      this.queue = [];
    }
  }

  stats(): SpendWriterStats {
    return { ...this.counts, queued: this.queue.length };
  }

  private async writeAll(partial: boolean): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length >= (partial ? 1 : this.opts.batchSize)) {
      const batch = this.queue.slice(0, this.opts.batchSize);
      try {
        await this.insert(batch);
      } catch (err) {
        this.consecutiveFailures++;
        this.counts.failedWrites++;
        this.logger.error({ err, rows: this.queue.length, retryInMs: this.retryDelay() }, 'spend log: batch write failed, will retry');
        return;
      }
      this.consecutiveFailures = 0;
      this.counts.written += batch.length;
      // Rows queued while the batch was written were appended; the batch is still at the front.
      this.queue.splice(0, batch.length);
    }
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  private retryDelay(): number {
    if (this.consecutiveFailures === 0) return this.opts.flushIntervalMs;
    return Math.min(MAX_BACKOFF_MS, this.opts.flushIntervalMs * 2 ** Math.min(this.consecutiveFailures, 10));
  }

  private dropOldest(): void {
    const excess = this.queue.length - this.opts.maxQueued;
    this.queue.splice(0, excess);
    this.counts.dropped += excess;
    this.logger.error({ dropped: excess, maxQueued: this.opts.maxQueued }, 'spend log: queue full while the store is failing; oldest rows dropped');
  }
}
