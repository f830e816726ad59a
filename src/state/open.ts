// Choosing the engine: Redis when a URL is given, else memory.
import { MemoryState } from './memory.ts';
import type { StateBackend, StateOptions } from './types.ts';

export interface OpenStateOptions extends StateOptions {
  /** `redis://…` / `rediss://…`: from `REDIS_URL` or `general_settings.redis_url`. */
  redisUrl?: string;
  /** Key and channel prefix on Redis; default `igw:`. */
  prefix?: string;
}

export async function openState(opts: OpenStateOptions = {}): Promise<StateBackend> {
  // Imported on demand: ioredis costs ~12 MB of memory that a gateway without Redis should not pay.
  if (opts.redisUrl) return (await import('./redis.ts')).RedisState.connect({ url: opts.redisUrl, prefix: opts.prefix, now: opts.now });
  return new MemoryState({ now: opts.now });
}

/** For the start-up log line; the URL's password is not shown. */
export function describeState(opts: OpenStateOptions): string {
  if (!opts.redisUrl) return 'memory';
  try {
    const u = new URL(opts.redisUrl);
    return `redis ${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return 'redis';
  }
}
