// The pre-call checks and their post-call bookkeeping, over the state backend only (no store round trip on
// the hot path). Order: budgets (a read), then parallel slots, then rate windows — so that a request refused
// for its budget takes no rate-limit unit, and one refused by a window gives its slots back.
import type { Logger } from '../observability/index.ts';
import type { SlotSpec, StateBackend } from '../state/index.ts';
import { andThen, type Maybe } from './at-once.ts';
import { BudgetLedger, type Accumulator, type ModelSpendSource } from './budgets.ts';
import { rateLimited } from './errors.ts';
import { keyModelHeaders, rateLimitHeaders, requestWindows, windowRefusal, type TokenWindow } from './rate-limits.ts';
import { parallelKey } from './state-keys.ts';
import type { Subject, SubjectKind } from './subjects.ts';

/** What admit() reserved for one request; hand it back to charge() and release(). */
export interface Admission {
  /** The parties it was admitted for: a fallback's per-model limits are theirs too. */
  subjects: readonly Subject[];
  accumulators: Accumulator[];
  tokenWindows: TokenWindow[];
  slots: string[];
  /** Rate-limit headers for the response. */
  headers: Record<string, string>;
  softBudget: SubjectKind[];
  /** The per-model limits of the model that serves the request; admitModel() moves them to a fallback. */
  model: ModelHold;
}

/** The per-model part of an admission (model_max_budget, model_tpm_limit): charged for the model that served. */
export interface ModelHold {
  model: string;
  accumulators: Accumulator[];
  tokenWindows: TokenWindow[];
}

export interface LimiterOptions {
  state: StateBackend;
  logger: Logger;
  /** Seeds per-model budgets (model_max_budget) from past spend; default: they start at 0. */
  modelSpend?: ModelSpendSource;
}

function nothingHeld(model: string): Admission {
  return { subjects: [], accumulators: [], tokenWindows: [], slots: [], headers: {}, softBudget: [], model: { model, accumulators: [], tokenWindows: [] } };
}

export class Limiter {
  readonly state: StateBackend;
  private readonly budgets: BudgetLedger;

  constructor(opts: LimiterOptions) {
    this.state = opts.state;
    this.budgets = new BudgetLedger(opts.state, opts.logger, opts.modelSpend ?? (async () => 0));
  }

  /**
   * What the request holds, or the refusal (400 budget_exceeded, 429) as a rejected promise. A caller with
   * nothing to check (the master key), or whose checks the state answers at once (the in-memory state), is
   * admitted without a promise.
   */
  admit(subjects: readonly Subject[], model: string): Admission | Promise<Admission> {
    if (subjects.length === 0) return nothingHeld(model);
    try {
      return this.admitSubjects(subjects, model);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Budgets, then parallel slots, then the request windows; each step at once when the state answers at once. */
  private admitSubjects(subjects: readonly Subject[], model: string): Maybe<Admission> {
    const now = this.state.now();
    return andThen(this.budgets.check(subjects, model, now), (budget) => {
      const admission: Admission = {
        subjects,
        accumulators: budget.accumulators,
        tokenWindows: [],
        slots: [],
        headers: {},
        softBudget: budget.softBudget,
        model: { model, accumulators: budget.modelAccumulators, tokenWindows: [] },
      };
      const slots = subjects.some((s) => s.parallel !== null) ? this.acquireSlots(subjects, admission) : undefined;
      return andThen(slots, () => this.countRequest(admission, model, now));
    });
  }

  private countRequest(admission: Admission, model: string, now: number): Maybe<Admission> {
    const windows = requestWindows(admission.subjects, model);
    if (windows.specs.length === 0) return admission;
    return andThen(this.state.consumeWindows(windows.specs), (result) => {
      if (!result.allowed) {
        return andThen(this.release(admission), () => {
          throw windowRefusal(result, windows.meta, now);
        });
      }
      admission.tokenWindows = windows.tokenWindows;
      admission.model.tokenWindows = windows.modelTokenWindows;
      admission.headers = rateLimitHeaders(result.windows, windows.meta, now);
      return admission;
    });
  }

  /**
   * A fallback to `model` is about to serve the admitted request: that model's budgets and rate limits
   * (model_max_budget, model_rpm_limit, model_tpm_limit) are checked, its request windows counted, and it
   * becomes the model charged after the call. Throws the refusal and leaves the admission as it was; returns
   * LiteLLM's per-model headers for the response.
   */
  async admitModel(admission: Admission, model: string): Promise<Record<string, string>> {
    const subjects = admission.subjects;
    if (subjects.length === 0) {
      admission.model = { model, accumulators: [], tokenWindows: [] };
      return {};
    }
    const now = this.state.now();
    const budget = await this.budgets.checkModel(subjects, model, now);
    const windows = requestWindows(subjects, model, 'model');
    let headers: Record<string, string> = {};
    if (windows.specs.length > 0) {
      const result = await this.state.consumeWindows(windows.specs);
      if (!result.allowed) throw windowRefusal(result, windows.meta, now);
      headers = keyModelHeaders(result.windows, windows.meta);
    }
    admission.model = { model, accumulators: budget.modelAccumulators, tokenWindows: windows.modelTokenWindows };
    return headers;
  }

  /**
   * After the call: its cost into every budget accumulator, its tokens into every tpm window (the served
   * model's). Undefined when there is nothing to add (no cost or no budgets, no tokens or no tpm limits), or
   * when the state has added it at once (the in-memory state): the answer then need not wait for a promise.
   */
  charge(admission: Admission, costNanos: number, tokens: number): Promise<void> | undefined {
    // A failure comes back as a rejected promise, whether the state answers at once or not (as admit's).
    try {
      const work = this.chargeEach(admission, costNanos, tokens);
      return work.some((w) => w instanceof Promise) ? Promise.all(work).then(() => undefined) : undefined;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private chargeEach(admission: Admission, costNanos: number, tokens: number): Maybe<unknown>[] {
    const work: Maybe<unknown>[] = [];
    if (costNanos > 0) {
      const accumulators = admission.accumulators.concat(admission.model.accumulators);
      if (accumulators.length > 0) work.push(this.budgets.charge(accumulators, costNanos));
    }
    if (tokens > 0) {
      const tokenWindows = admission.tokenWindows.concat(admission.model.tokenWindows);
      if (tokenWindows.length > 0) work.push(this.state.consumeWindows(tokenWindows.map((w) => ({ key: w.key, windowMs: w.windowMs, amount: tokens }))));
    }
    return work;
  }

  /** Gives back the parallel-request slots; safe to call twice. Undefined when there are none to give back. */
  release(admission: Admission): Promise<void> | undefined {
    const slots = admission.slots;
    if (slots.length === 0) return undefined;
    admission.slots = [];
    return this.state.releaseSlots(slots);
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
