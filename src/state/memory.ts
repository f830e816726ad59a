// The in-process state backend: the default for one process. Every operation is synchronous inside, so it is
// atomic by construction; the async signatures match the Redis backend.
import { EventEmitter } from 'node:events';
import { slotKey, versionKey, windowEnd, windowKey } from './keys.ts';
import type { SlotResult, SlotSpec, StateBackend, StateOptions, Unsubscribe, WindowCount, WindowResult, WindowSpec } from './types.ts';

interface Entry {
  value: number | string;
  /** Epoch ms; Infinity: no expiry. */
  expiresAt: number;
}

const DEFAULT_SLOT_TTL_MS = 600_000;
/** Expired entries are swept at most this often (reads also ignore them). */
const SWEEP_EVERY_MS = 30_000;

export class MemoryState implements StateBackend {
  readonly engine = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly bus = new EventEmitter();
  private readonly clock: () => number;
  private lastSweep: number;

  constructor(opts: StateOptions = {}) {
    this.clock = opts.now ?? Date.now;
    this.lastSweep = this.clock();
    this.bus.setMaxListeners(0);
  }

  now(): number {
    return this.clock();
  }

  consumeWindows(specs: readonly WindowSpec[]): WindowResult {
    const now = this.sweep();
    const windows = specs.map((s) => this.windowCount(s, now));
    const refusedIndex = specs.findIndex((s, i) => s.limit != null && windows[i].count + s.amount > s.limit);
    if (refusedIndex === -1) {
      for (let i = 0; i < specs.length; i++) {
        const w = windows[i];
        w.count += specs[i].amount;
        const key = windowKey(w.key, w.resetAt);
        const entry = this.entries.get(key);
        // The window's entry, counted in place once it exists (it lives until its window ends).
        if (entry) entry.value = w.count;
        else this.entries.set(key, { value: w.count, expiresAt: w.resetAt });
      }
    }
    return { allowed: refusedIndex === -1, windows, refusedIndex };
  }

  async peekWindows(specs: readonly Pick<WindowSpec, 'key' | 'windowMs' | 'limit'>[]): Promise<WindowCount[]> {
    const now = this.sweep();
    return specs.map((s) => this.windowCount(s, now));
  }

  private windowCount(s: Pick<WindowSpec, 'key' | 'windowMs' | 'limit'>, now: number): WindowCount {
    const resetAt = windowEnd(now, s.windowMs);
    return { key: s.key, count: this.number(windowKey(s.key, resetAt), now), limit: s.limit ?? null, resetAt };
  }

  addAccumulators(items: readonly { key: string; amount: number; ttlMs?: number }[]): number[] {
    const now = this.sweep();
    return items.map((it) => {
      const current = this.live(it.key, now);
      const total = (typeof current?.value === 'number' ? current.value : 0) + it.amount;
      const expiresAt = it.ttlMs !== undefined ? now + it.ttlMs : (current?.expiresAt ?? Infinity);
      this.entries.set(it.key, { value: total, expiresAt });
      return total;
    });
  }

  getAccumulators(keys: readonly string[]): number[] {
    const now = this.sweep();
    return keys.map((k) => this.number(k, now));
  }

  async seedAccumulator(key: string, value: number, ttlMs?: number): Promise<boolean> {
    const now = this.sweep();
    if (this.live(key, now)) return false;
    this.entries.set(key, { value, expiresAt: ttlMs !== undefined ? now + ttlMs : Infinity });
    return true;
  }

  async acquireSlots(specs: readonly SlotSpec[], ttlMs = DEFAULT_SLOT_TTL_MS): Promise<SlotResult> {
    const now = this.sweep();
    const counts = specs.map((s) => this.number(slotKey(s.key), now));
    const refusedIndex = specs.findIndex((s, i) => s.limit != null && counts[i] + 1 > s.limit);
    if (refusedIndex === -1) {
      specs.forEach((s, i) => {
        counts[i] += 1;
        this.entries.set(slotKey(s.key), { value: counts[i], expiresAt: now + ttlMs });
      });
    }
    return { acquired: refusedIndex === -1, counts, refusedIndex };
  }

  async releaseSlots(keys: readonly string[]): Promise<void> {
    const now = this.sweep();
    for (const k of keys) {
      const e = this.live(slotKey(k), now);
      if (e && typeof e.value === 'number' && e.value > 1) e.value -= 1;
      else this.entries.delete(slotKey(k));
    }
  }

  async getSlots(keys: readonly string[]): Promise<number[]> {
    const now = this.sweep();
    return keys.map((k) => this.number(slotKey(k), now));
  }

  async get(key: string): Promise<string | null> {
    const e = this.live(key, this.sweep());
    return e === undefined ? null : String(e.value);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const now = this.sweep();
    this.entries.set(key, { value, expiresAt: ttlMs !== undefined ? now + ttlMs : Infinity });
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const now = this.sweep();
    if (this.live(key, now)) return false;
    this.entries.set(key, { value, expiresAt: ttlMs !== undefined ? now + ttlMs : Infinity });
    return true;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const k of keys) this.entries.delete(k);
  }

  async publish(channel: string, message: string): Promise<void> {
    // Delivered on a later tick, as Redis would, so a publisher never re-enters its own subscriber.
    setImmediate(() => this.bus.emit(channel, message));
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe> {
    this.bus.on(channel, onMessage);
    return async () => {
      this.bus.off(channel, onMessage);
    };
  }

  onReconnect(): () => void {
    return () => {}; // one process never loses its own bus
  }

  async bumpVersion(name: string): Promise<number> {
    const [v] = await this.addAccumulators([{ key: versionKey(name), amount: 1 }]);
    return v;
  }

  async getVersion(name: string): Promise<number> {
    return this.number(versionKey(name), this.sweep());
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.bus.removeAllListeners();
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private number(key: string, now: number): number {
    const e = this.live(key, now);
    return typeof e?.value === 'number' ? e.value : 0;
  }

  /** Drops expired entries now and then, so windows of idle keys do not pile up. Returns the time. */
  private sweep(): number {
    const now = this.clock();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return now;
    this.lastSweep = now;
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    return now;
  }
}
