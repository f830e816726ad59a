// The state backend: fast shared counters and entries (DESIGN.md "store vs state"). One interface, two
// engines: in-process memory (the default) and Redis (`REDIS_URL`), where every replica sees the same numbers.
//
// Keys are plain strings chosen by the caller (e.g. `rpm:key:<hash>`); the backend adds its own prefix.
// Every operation that reads and changes a value is atomic (Lua scripts on Redis). Times come from the
// backend's clock (`StateOptions.now`), so tests can inject one and both engines agree on windows.

/** Fixed windows aligned on multiples of `windowMs` since the epoch: a 60 s window resets on the minute. */
export interface WindowSpec {
  key: string;
  windowMs: number;
  /** Amount to add (1 for a request, N for tokens). */
  amount: number;
  /** Refuse when the window's count plus `amount` would exceed this. Null/undefined: never refuse. */
  limit?: number | null;
}

export interface WindowCount {
  key: string;
  /** The window's count after this operation (unchanged when refused). */
  count: number;
  limit: number | null;
  /** Epoch ms when this window ends and the count restarts at 0. */
  resetAt: number;
}

export interface WindowResult {
  /** False when any window would exceed its limit; then no window was incremented. */
  allowed: boolean;
  windows: WindowCount[];
  /** Index in `windows` of the first window that refused, or -1. */
  refusedIndex: number;
}

/** A slot for concurrent work (max_parallel_requests). */
export interface SlotSpec {
  key: string;
  /** Refuse when this many are already held. Null/undefined: count only. */
  limit?: number | null;
}

export interface SlotResult {
  acquired: boolean;
  /** In-flight counts after this operation, one per spec (unchanged when refused). */
  counts: number[];
  refusedIndex: number;
}

export type Unsubscribe = () => Promise<void>;

export interface StateBackend {
  readonly engine: 'memory' | 'redis';
  /** The clock every operation uses, epoch ms. */
  now(): number;

  // --- windowed counters (rpm / tpm) ---
  /**
   * Adds `amount` to every window, all or nothing: if any would exceed its limit, none changes. The in-memory
   * backend answers at once (this and getAccumulators are on every governed request); Redis with a promise.
   */
  consumeWindows(specs: readonly WindowSpec[]): WindowResult | Promise<WindowResult>;
  /** Current counts, without changing them. `amount` and `limit` of the specs are ignored / echoed. */
  peekWindows(specs: readonly Pick<WindowSpec, 'key' | 'windowMs' | 'limit'>[]): Promise<WindowCount[]>;

  // --- accumulators (budget spend per entity per period) ---
  /**
   * Adds to each accumulator (creating it at 0), returning the new totals in order. `ttlMs` refreshes expiry.
   * At once from the in-memory backend (a priced call of a key with a budget adds to it on every request).
   */
  addAccumulators(items: readonly { key: string; amount: number; ttlMs?: number }[]): number[] | Promise<number[]>;
  /** Current totals, 0 for missing ones. At once from the in-memory backend, as consumeWindows. */
  getAccumulators(keys: readonly string[]): number[] | Promise<number[]>;
  /** Sets the total only when the accumulator does not exist (seeding from the store). True if it was set. */
  seedAccumulator(key: string, value: number, ttlMs?: number): Promise<boolean>;

  // --- in-flight counts (max_parallel_requests) ---
  /** All or nothing. `ttlMs` bounds how long a crashed replica's slots can linger (default 10 minutes). */
  acquireSlots(specs: readonly SlotSpec[], ttlMs?: number): Promise<SlotResult>;
  /** Releases one slot of each key (never below 0). */
  releaseSlots(keys: readonly string[]): Promise<void>;
  getSlots(keys: readonly string[]): Promise<number[]>;

  // --- key-value entries with TTL (cooldowns, cache) ---
  get(key: string): Promise<string | null>;
  /** `ttlMs` undefined: no expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when absent; true if set (a lock or a first-writer-wins entry). */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(keys: readonly string[]): Promise<void>;

  // --- invalidation across replicas ---
  /** Delivers to every subscriber of `channel` on every replica, including this one. */
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  /** Calls `listener` each time the subscriptions come back after the connection to a shared backend was
   * lost: what was published meanwhile is gone, so subscribers re-read what they need. Returns how to stop. */
  onReconnect(listener: () => void): () => void;
  /** A monotonically increasing counter per name, for "has anything changed since" checks. */
  bumpVersion(name: string): Promise<number>;
  getVersion(name: string): Promise<number>;

  close(): Promise<void>;
}

export interface StateOptions {
  /** Injected clock (epoch ms). Default Date.now. */
  now?: () => number;
}
