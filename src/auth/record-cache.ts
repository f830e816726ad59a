// An in-memory cache of store records by id. A miss loads once (concurrent misses share one load); a found
// record is served from memory and refreshed in the background after `ttlMs` (a safety net for a missed
// invalidation — never a store round trip on the request); "not found" is remembered for `negativeTtlMs`.

export interface RecordCacheOptions {
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries: number;
  now: () => number;
}

interface Entry<T> {
  value: T | null;
  loadedAt: number;
}

export class RecordCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly loading = new Map<string, Promise<T | null>>();
  private readonly opts: RecordCacheOptions;
  private readonly loader: (id: string) => Promise<T | null>;
  /** Bumped by invalidate(): a load that began before it must not land in the cache. */
  private generation = 0;

  constructor(loader: (id: string) => Promise<T | null>, opts: RecordCacheOptions) {
    this.loader = loader;
    this.opts = opts;
  }

  get(id: string): T | null | Promise<T | null> {
    const e = this.entries.get(id);
    if (e) {
      const age = this.opts.now() - e.loadedAt;
      if (e.value !== null) {
        if (age >= this.opts.ttlMs) void this.load(id).catch(() => {});
        return e.value;
      }
      if (age < this.opts.negativeTtlMs) return null;
    }
    return this.load(id);
  }

  /** Forgets one record, or all. */
  invalidate(id?: string): void {
    this.generation++;
    if (id === undefined) {
      this.entries.clear();
      this.loading.clear();
    } else {
      this.entries.delete(id);
      this.loading.delete(id);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private load(id: string): Promise<T | null> {
    let pending = this.loading.get(id);
    if (pending) return pending;
    const generation = this.generation;
    pending = this.loader(id).then(
      (value) => {
        if (this.loading.get(id) === pending) this.loading.delete(id);
        if (generation === this.generation) this.put(id, value);
        return value;
      },
      (err: unknown) => {
        if (this.loading.get(id) === pending) this.loading.delete(id);
        throw err;
      },
    );
    this.loading.set(id, pending);
    return pending;
  }

  private put(id: string, value: T | null): void {
    if (this.entries.size >= this.opts.maxEntries && !this.entries.has(id)) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(id);
    this.entries.set(id, { value, loadedAt: this.opts.now() });
  }
}
