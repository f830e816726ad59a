// The pre-call checks and their post-call bookkeeping, over the state backend only (no store round trip on
// the hot path). Order: budgets (a read), then parallel slots, then rate windows — so that a request refused
// for its budget takes no rate-limit unit, and one refused by a window gives its slots back.
import type { Logger } from '../observability/index.ts';
import type { SlotSpec, StateBackend } from '../state/index.ts';
import { BudgetLedger, type Accumulator, type ModelSpendSource } from './budgets.ts';
import { rateLimited } from './errors.ts';
import { rateLimitHeaders, requestWindows, windowRefusal } from './rate-limits.ts';
import { parallelKey } from './state-keys.ts';
import type { Subject, SubjectKind } from './subjects.ts';

/** What admit() reserved for one request; hand it back to charge() and release(). */
export interface Admission {
  accumulators: Accumulator[];
  tokenWindows: { key: string; windowMs: number }[];
  slots: string[];
  /** Rate-limit headers for the response. */
  headers: Record<string, string>;
  softBudget: SubjectKind[];
}

export interface LimiterOptions {
  state: StateBackend;
  logger: Logger;
  /** Seeds per-model budgets (model_max_budget) from past spend; default: they start at 0. */
  modelSpend?: ModelSpendSource;
}

function nothingHeld(): Admission {
  return { accumulators: [], tokenWindows: [], slots: [], headers: {}, softBudget: [] };
}

export class Limiter {
  readonly state: StateBackend;
  private readonly budgets: BudgetLedger;

  constructor(opts: LimiterOptions) {
    this.state = opts.state;
    this.budgets = new BudgetLedger(opts.state, opts.logger, opts.modelSpend ?? (async () => 0));
  }

  /** Throws the refusal (400 budget_exceeded, 429) or returns what the request holds. */
  async admit(subjects: readonly Subject[], model: string): Promise<Admission> {
    if (subjects.length === 0) return nothingHeld();
    const now = this.state.now();
    const budget = await this.budgets.check(subjects, model, now);
    const admission: Admission = { accumulators: budget.accumulators, tokenWindows: [], slots: [], headers: {}, softBudget: budget.softBudget };
    if (subjects.some((s) => s.parallel !== null)) await this.acquireSlots(subjects, admission);
    const windows = requestWindows(subjects, model);
    if (windows.specs.length === 0) return admission;
    const result = await this.state.consumeWindows(windows.specs);
    if (!result.allowed) {
      await this.release(admission);
      throw windowRefusal(result, windows.meta, now);
    }
    admission.tokenWindows = windows.tokenWindows;
    admission.headers = rateLimitHeaders(result.windows, windows.meta, now);
    return admission;
  }

  /** After the call: its cost into every budget accumulator, its tokens into every tpm window. */
  async charge(admission: Admission, costNanos: number, tokens: number): Promise<void> {
    const work: Promise<unknown>[] = [this.budgets.charge(admission.accumulators, costNanos)];
    if (tokens > 0 && admission.tokenWindows.length > 0) {
      work.push(this.state.consumeWindows(admission.tokenWindows.map((w) => ({ key: w.key, windowMs: w.windowMs, amount: tokens }))));
    }
    await Promise.all(work);
  }

  /** Gives back the parallel-request slots; safe to call twice. */
  async release(admission: Admission): Promise<void> {
    const slots = admission.slots;
    if (slots.length === 0) return;
    admission.slots = [];
    await this.state.releaseSlots(slots);
  }

  private async acquireSlots(subjects: readonly Subject[], admission: Admission): Promise<void> {
    const specs: SlotSpec[] = [];
    const owners: Subject[] = [];
    for (const s of subjects) {
      if (s.parallel === null) continue;
      specs.push({ key: parallelKey(s), limit: s.parallel });
      owners.push(s);
    }
    if (specs.length === 0) return;
    const result = await this.state.acquireSlots(specs);
    if (!result.acquired) {
      const s = owners[result.refusedIndex];
      throw rateLimited(s, 'max_parallel_requests', s.parallel ?? 0, 1, {});
    }
    admission.slots = specs.map((spec) => spec.key);
  }
}
