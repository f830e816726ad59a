// The shared state backend: Redis (REDIS_URL), so limits, budgets, cooldowns and invalidations hold across
// replicas. Read-and-change operations are Lua scripts (atomic on the server); window and slot keys of one
// call must live on one node, so Redis Cluster needs hash tags in the caller's keys (not supported yet).
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { slotKey, versionKey, windowEnd, windowKey } from './keys.ts';
import type { SlotResult, SlotSpec, StateBackend, StateOptions, Unsubscribe, WindowCount, WindowResult, WindowSpec } from './types.ts';

export interface RedisStateOptions extends StateOptions {
  url: string;
  /** Prepended to every key and channel; default `igw:`. Tests use one prefix per run. */
  prefix?: string;
}

const DEFAULT_SLOT_TTL_MS = 600_000;
/** Window keys outlive their window a little, so a slow replica's late increment is not lost mid-window. */
const WINDOW_SLACK_MS = 5_000;

/** KEYS: window keys. ARGV: triples (amount, limit or '', ttl ms). Returns {allowed, refused index, counts…}. */
const CONSUME_WINDOWS = `
local counts = {}
for i = 1, #KEYS do counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0') end
for i = 1, #KEYS do
  local amount = tonumber(ARGV[i * 3 - 2])
  local limit = ARGV[i * 3 - 1]
  if limit ~= '' and counts[i] + amount > tonumber(limit) then
    local out = {0, i - 1}
    for j = 1, #KEYS do out[j + 2] = tostring(counts[j]) end
    return out
  end
end
local out = {1, -1}
for i = 1, #KEYS do
  out[i + 2] = redis.call('INCRBYFLOAT', KEYS[i], ARGV[i * 3 - 2])
  redis.call('PEXPIRE', KEYS[i], ARGV[i * 3])
end
return out`;

/** KEYS: slot keys. ARGV: limits ('' for none), then the ttl ms last. */
const ACQUIRE_SLOTS = `
local ttl = ARGV[#ARGV]
local counts = {}
for i = 1, #KEYS do counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0') end
for i = 1, #KEYS do
  if ARGV[i] ~= '' and counts[i] + 1 > tonumber(ARGV[i]) then
    local out = {0, i - 1}
    for j = 1, #KEYS do out[j + 2] = counts[j] end
    return out
  end
end
local out = {1, -1}
for i = 1, #KEYS do
  out[i + 2] = redis.call('INCR', KEYS[i])
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return out`;

const RELEASE_SLOTS = `
for i = 1, #KEYS do
  local v = redis.call('DECR', KEYS[i])
  if v <= 0 then redis.call('DEL', KEYS[i]) end
end
return 1`;

export class RedisState implements StateBackend {
  readonly engine = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly clock: () => number;
  private subscriber: Redis | undefined;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private readonly reconnectListeners = new Set<() => void>();

  private constructor(redis: Redis, prefix: string, clock: () => number) {
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clock;
  }

  /** Connects and checks the server answers; throws if it does not within 10 s. */
  static async connect(opts: RedisStateOptions): Promise<RedisState> {
    const prefix = opts.prefix ?? 'igw:';
    const redis = new Redis(opts.url, { keyPrefix: prefix, lazyConnect: true, connectTimeout: 10_000, maxRetriesPerRequest: 2 });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect(); // else ioredis keeps reconnecting, and the process never exits
      throw err;
    }
    return new RedisState(redis, prefix, opts.now ?? Date.now);
  }

  now(): number {
    return this.clock();
  }

  async consumeWindows(specs: readonly WindowSpec[]): Promise<WindowResult> {
    if (!specs.length) return { allowed: true, windows: [], refusedIndex: -1 };
    const now = this.clock();
    const resets = specs.map((s) => windowEnd(now, s.windowMs));
    const args = specs.flatMap((s, i) => [String(s.amount), s.limit == null ? '' : String(s.limit), String(resets[i] - now + WINDOW_SLACK_MS)]);
    const out = (await this.script(CONSUME_WINDOWS, specs.map((s, i) => windowKey(s.key, resets[i])), args)) as (number | string)[];
    const windows = specs.map((s, i) => ({ key: s.key, count: Number(out[i + 2]), limit: s.limit ?? null, resetAt: resets[i] }));
    return { allowed: Number(out[0]) === 1, windows, refusedIndex: Number(out[1]) };
  }

  async peekWindows(specs: readonly Pick<WindowSpec, 'key' | 'windowMs' | 'limit'>[]): Promise<WindowCount[]> {
    if (!specs.length) return [];
    const now = this.clock();
    const resets = specs.map((s) => windowEnd(now, s.windowMs));
    const values = await this.redis.mget(...specs.map((s, i) => windowKey(s.key, resets[i])));
    return specs.map((s, i) => ({ key: s.key, count: Number(values[i] ?? 0), limit: s.limit ?? null, resetAt: resets[i] }));
  }

  async addAccumulators(items: readonly { key: string; amount: number; ttlMs?: number }[]): Promise<number[]> {
    if (!items.length) return [];
    const tx = this.redis.multi();
    for (const it of items) {
      tx.incrbyfloat(it.key, it.amount);
      if (it.ttlMs !== undefined) tx.pexpire(it.key, Math.max(1, Math.ceil(it.ttlMs)));
    }
    const results = await execOrThrow(tx.exec());
    const totals: number[] = [];
    let r = 0;
    for (const it of items) {
      totals.push(Number(results[r]));
      r += it.ttlMs !== undefined ? 2 : 1;
    }
    return totals;
  }

  async getAccumulators(keys: readonly string[]): Promise<number[]> {
    if (!keys.length) return [];
    return (await this.redis.mget(...keys)).map((v) => Number(v ?? 0));
  }

  async seedAccumulator(key: string, value: number, ttlMs?: number): Promise<boolean> {
    const ok = ttlMs !== undefined ? await this.redis.set(key, String(value), 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX') : await this.redis.set(key, String(value), 'NX');
    return ok === 'OK';
  }

  async acquireSlots(specs: readonly SlotSpec[], ttlMs = DEFAULT_SLOT_TTL_MS): Promise<SlotResult> {
    if (!specs.length) return { acquired: true, counts: [], refusedIndex: -1 };
    const args = [...specs.map((s) => (s.limit == null ? '' : String(s.limit))), String(Math.max(1, Math.ceil(ttlMs)))];
    const out = (await this.script(ACQUIRE_SLOTS, specs.map((s) => slotKey(s.key)), args)) as number[];
    return { acquired: out[0] === 1, counts: specs.map((_, i) => Number(out[i + 2])), refusedIndex: Number(out[1]) };
  }

  async releaseSlots(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.script(RELEASE_SLOTS, keys.map(slotKey), []);
  }

  async getSlots(keys: readonly string[]): Promise<number[]> {
    if (!keys.length) return [];
    return (await this.redis.mget(...keys.map(slotKey))).map((v) => Number(v ?? 0));
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs !== undefined) await this.redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
    else await this.redis.set(key, value);
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const ok = ttlMs !== undefined ? await this.redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX') : await this.redis.set(key, value, 'NX');
    return ok === 'OK';
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.redis.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe> {
    const sub = await this.subscriberConnection();
    const full = this.prefix + channel;
    let set = this.handlers.get(full);
    if (!set) {
      set = new Set();
      this.handlers.set(full, set);
      await sub.subscribe(full);
    }
    set.add(onMessage);
    return async () => {
      const current = this.handlers.get(full);
      if (!current?.delete(onMessage) || current.size > 0) return;
      this.handlers.delete(full);
      // Not while the connection is down: ioredis would hold the call through its reconnect attempts (seconds),
      // and the channel, without handlers now, is harmless.
      if (sub.status === 'ready') await sub.unsubscribe(full).catch(() => {});
    };
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async bumpVersion(name: string): Promise<number> {
    return this.redis.incr(versionKey(name));
  }

  async getVersion(name: string): Promise<number> {
    return Number((await this.redis.get(versionKey(name))) ?? 0);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([closeClient(this.redis), this.subscriber && closeClient(this.subscriber)]);
  }

  private async subscriberConnection(): Promise<Redis> {
    if (this.subscriber) return this.subscriber;
    // A subscribed connection can run no other command, hence a second one. Channels carry no keyPrefix.
    const sub = this.redis.duplicate({ keyPrefix: '', lazyConnect: true });
    sub.on('error', () => {});
    sub.on('message', (channel: string, message: string) => {
      for (const h of this.handlers.get(channel) ?? []) h(message);
    });
    let connected = false;
    sub.on('ready', () => {
      if (!connected) {
        connected = true;
        return;
      }
      // ioredis subscribes again right after 'ready'; a PING queued behind those SUBSCRIBEs answers once they
      // hold, so listeners re-read only when nothing more can be missed.
      const notify = (): void => this.reconnectListeners.forEach((l) => l());
      setImmediate(() => void sub.ping().then(notify, () => {})); // failed: another 'ready' will follow
    });
    this.subscriber = sub;
    await sub.connect();
    return sub;
  }

  /** EVALSHA with a fallback to EVAL the first time a server sees the script. */
  private async script(lua: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const sha = shaOf(lua);
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return this.redis.eval(lua, keys.length, ...keys, ...args);
    }
  }
}

/** QUIT lets the replies in flight arrive. A connection that is down has none, and a QUIT queued behind its
 * offline commands would wait out the retries, fail, and leave ioredis reconnecting forever. */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

const shas = new Map<string, string>();
function shaOf(lua: string): string {
  let sha = shas.get(lua);
  if (!sha) {
    sha = createHash('sha1').update(lua).digest('hex');
    shas.set(lua, sha);
  }
  return sha;
}

async function execOrThrow(p: Promise<[error: Error | null, result: unknown][] | null>): Promise<unknown[]> {
  const results = await p;
  if (!results) throw new Error('redis transaction aborted');
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
