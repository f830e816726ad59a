// The store and the state backend chosen from config and environment (docs/configuration.md "Store and
// state"): PostgreSQL and Redis when their URLs are set, else the embedded store and in-process memory.
import { InvalidationBus } from './auth/index.ts';
import type { GatewayConfig } from './config/index.ts';
import { DEFAULT_DATA_DIR, StoreHandle } from './store/index.ts';
import { describeState, openState, type StateBackend } from './state/index.ts';

export interface Backends {
  store: StoreHandle;
  state: StateBackend;
  invalidations: InvalidationBus;
  /** For the start-up log line; no secrets. */
  description: { store: string; state: string };
  close(): Promise<void>;
}

export interface BackendOptions {
  env: NodeJS.ProcessEnv;
  /** Overrides general_settings.igw_data_dir / IGW_DATA_DIR (tests pass `:memory:`). */
  dataDir?: string;
  /**
   * Open the store before serving (migrations at start-up, errors at once). PostgreSQL is always opened
   * eagerly; the embedded store, unless this is set, on first use, so a gateway that only ever sees the
   * master key never pays for it.
   */
  eagerStore?: boolean;
  /** Injected clock (tests): budget periods, rate windows and store timestamps all follow it. */
  now?: () => number;
  /** PostgreSQL schema for igw's tables (tests use one per run); default `public`. */
  schema?: string;
  /** Key and channel prefix on Redis (tests use one per run); default `igw:`. */
  statePrefix?: string;
}

export async function openBackends(config: GatewayConfig, opts: BackendOptions): Promise<Backends> {
  const gs = config.general_settings;
  const databaseUrl = gs.database_url || opts.env.DATABASE_URL || undefined;
  const redisUrl = gs.redis_url || opts.env.REDIS_URL || routerRedisUrl(config.router_settings);
  const dataDir = opts.dataDir ?? (gs.igw_data_dir || opts.env.IGW_DATA_DIR || DEFAULT_DATA_DIR);
  const clock = opts.now;
  const store = new StoreHandle({ databaseUrl, dataDir, schema: opts.schema, now: clock && (() => new Date(clock())) });
  if (databaseUrl || opts.eagerStore) await store.get();
  let state: StateBackend;
  try {
    state = await openState({ redisUrl, now: clock, prefix: opts.statePrefix });
  } catch (err) {
    await store.close();
    throw err;
  }
  const invalidations = new InvalidationBus(state);
  await invalidations.start();
  return {
    store,
    state,
    invalidations,
    description: { store: store.describe(), state: describeState({ redisUrl }) },
    close: async () => {
      await invalidations.stop();
      await state.close();
      await store.close();
    },
  };
}

/**
 * A LiteLLM config names its router's Redis in parts (`router_settings.redis_host`, `redis_port`,
 * `redis_password`); igw's state backend takes them when no URL is given.
 */
export function routerRedisUrl(rs: GatewayConfig['router_settings']): string | undefined {
  if (!rs.redis_host) return undefined;
  const host = rs.redis_host.includes(':') && !rs.redis_host.startsWith('[') ? `[${rs.redis_host}]` : rs.redis_host;
  const auth = rs.redis_password ? `:${encodeURIComponent(rs.redis_password)}@` : '';
  return `redis://${auth}${host}:${rs.redis_port ?? 6379}`;
}
