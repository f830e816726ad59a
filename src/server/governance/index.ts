// Governance wiring: prices, limiter, spend-log writer, end-user cache and the periodic budget reset, built
// once at start-up from the config and the store and state backends.
import { RecordCache, type InvalidationBus, type InvalidationKind, type Principal } from '../../auth/index.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import { Limiter, type ModelSpendSource } from '../../limits/index.ts';
import type { Logger } from '../../observability/index.ts';
import { PriceBook, SpendWriter, type SpendWriterStats } from '../../spend/index.ts';
import type { StateBackend } from '../../state/index.ts';
import type { SpendEntity, StoreHandle } from '../../store/index.ts';
import { Governance, type EndUserEntry } from './governance.ts';

export { hasBodyMeta } from './request-meta.ts';
export { Governance, COST_HEADERS, type CallOutcome, type CallType, type GovernedCall, type GovernedContext, type GovernedRequest } from './governance.ts';

export interface GovernanceOptions {
  modelList: readonly DeploymentConfig[];
  store: StoreHandle;
  state: StateBackend;
  invalidations: InvalidationBus;
  logger: Logger;
  /** Spend-log batching (defaults 100 rows / 1000 ms); `disabled`: no rows at all (LiteLLM's disable_spend_logs). */
  spendLog?: { batchSize?: number; flushIntervalMs?: number; disabled?: boolean };
  /** How often the store's due budgets are reset (spend := 0); default 60 s. 0: never (tests call it). */
  budgetResetIntervalMs?: number;
}

/** The running governance: the request steps plus what runs beside them. */
export interface GovernanceService extends Governance {
  /** Writes every queued spend-log row now. */
  flushSpendLogs(): Promise<void>;
  /** Spend-log queue counters (queued, written, dropped, failed writes). */
  stats(): SpendWriterStats;
  /** Resets the store's spend of every record whose budget period has ended (on the state clock). */
  resetDueBudgets(): Promise<void>;
  /** Stops the reset timer and drains the spend-log queue into the store. */
  close(): Promise<void>;
}

const ENTITY_KIND: Record<SpendEntity, InvalidationKind> = { key: 'key', user: 'user', team: 'team', organization: 'organization', end_user: 'end_user' };

export function createGovernance(opts: GovernanceOptions): GovernanceService {
  const { store, state, logger } = opts;
  const prices = new PriceBook(opts.modelList, (message, context) => logger.warn(context, message));
  const { disabled: noSpendLogs, ...batching } = opts.spendLog ?? {};
  const writer = new SpendWriter({ logger, ...batching, insert: async (rows) => (await store.get()).spend.insertSpendLogs(rows) });
  const limiter = new Limiter({ state, logger, modelSpend: modelSpendFrom(store) });
  const endUsers = endUserCache(store, opts.invalidations, state.now.bind(state));
  const storeInUse = (p: Principal): boolean => p.key !== null || store.opened;
  const governance = new Governance({
    limiter,
    prices,
    writer,
    logger,
    storeInUse,
    spendLogs: !noSpendLogs,
    endUser: (id) => endUsers.get(id),
    now: () => state.now(),
  });

  const resetDueBudgets = async (): Promise<void> => {
    if (!store.opened) return;
    const s = await store.get();
    const now = new Date(state.now());
    for (const entity of Object.keys(ENTITY_KIND) as SpendEntity[]) {
      const ids = await s.spend.resetDueBudgets(entity, now);
      if (ids.length > 0) await opts.invalidations.publish(...ids.map((id) => ({ kind: ENTITY_KIND[entity], id })));
    }
  };
  const every = opts.budgetResetIntervalMs ?? 60_000;
  const timer = every > 0 ? setInterval(() => void resetDueBudgets().catch((err: unknown) => logger.error({ err }, 'budget reset failed')), every) : undefined;
  timer?.unref();

  return Object.assign(governance, {
    flushSpendLogs: () => writer.flush(),
    stats: () => writer.stats(),
    resetDueBudgets,
    close: async () => {
      clearInterval(timer);
      await writer.close();
    },
  });
}

/** Seeds a per-model budget from the spend logs of its period: one query, the first time a process needs it. */
function modelSpendFrom(store: StoreHandle): ModelSpendSource {
  return async (s, model, since) => {
    const column = { key: 'api_key', user: 'user_id', team: 'team_id', organization: 'organization_id', end_user: 'end_user' } as const;
    const query = { [column[s.kind]]: s.id, model, ...(since === null ? {} : { start: new Date(since).toISOString() }) };
    return (await store.get()).spend.totalSpend(query);
  };
}

function endUserCache(store: StoreHandle, bus: InvalidationBus, now: () => number): RecordCache<EndUserEntry> {
  const cache = new RecordCache<EndUserEntry>(
    async (id) => {
      const s = await store.get();
      const record = await s.endUsers.get(id);
      if (!record) return null;
      return { record, budget: record.budget_id ? await s.budgets.get(record.budget_id) : null };
    },
    { ttlMs: 60_000, negativeTtlMs: 2_000, maxEntries: 100_000, now },
  );
  bus.on((inv) => {
    if (inv.kind === 'end_user' || inv.kind === 'all') cache.invalidate(inv.id);
    // An end-user entry carries its budget row; budgets change rarely, so drop them all.
    if (inv.kind === 'budget') cache.invalidate();
  });
  return cache;
}
