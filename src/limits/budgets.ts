// Budgets over the state backend: one accumulator per subject and budget period holding its spend in
// nano-dollars. Before a call: refuse when any subject's spend is at or over its max_budget (LiteLLM's rule:
// a request is refused when it would start over budget); after it: add the cost to every accumulator.
//
// An accumulator starts from the store's spend, once per process (seedAccumulator only sets an absent one,
// so replicas sharing Redis never overwrite each other's counts), and only when the stored spend belongs to
// the current period; a period the store has not reset yet starts at 0.
import type { Logger } from '../observability/index.ts';
import type { StateBackend } from '../state/index.ts';
import { andThen, type Maybe } from './at-once.ts';
import { currentPeriod, type BudgetPeriod } from './budget-period.ts';
import { budgetExceeded, modelBudgetExceeded } from './errors.ts';
import { modelSpendKey, spendKey } from './state-keys.ts';
import type { Subject, SubjectKind } from './subjects.ts';

/** USD spent by the subject on the model since `since` (epoch ms, null: ever); seeds per-model budgets. */
export type ModelSpendSource = (s: Subject, model: string, since: number | null) => Promise<number>;

export interface Accumulator {
  key: string;
  ttlMs?: number;
}

export interface BudgetState {
  /** Where the request's cost is added after the call: the subjects' own budgets. */
  accumulators: Accumulator[];
  /** Their budgets for the model (model_max_budget): charged only when that model serves the request. */
  modelAccumulators: Accumulator[];
  /** Subjects at or over their soft budget. */
  softBudget: SubjectKind[];
}

interface CachedPeriod {
  duration: string | null;
  resetAt: string | null;
  createdAt: string;
  period: BudgetPeriod;
  key: string;
}

interface Check {
  subject: Subject;
  key: string;
  maxNanos: number | null;
  softNanos: number | null;
  model?: string;
}

/** What one check() reads: the accumulators, the budgets to judge, the seeds to write first. */
interface Plan {
  out: BudgetState;
  checks: Check[];
  seeds: Promise<unknown>[];
  now: number;
}

/** Old periods' accumulators outlive their period by this much, then expire. */
const GRACE_MS = 24 * 3_600_000;
const MAX_REMEMBERED = 100_000;

export class BudgetLedger {
  private readonly state: StateBackend;
  private readonly modelSpend: ModelSpendSource;
  private readonly logger: Logger;
  private readonly seeded = new Set<string>();
  /** Each subject's current period and accumulator key, until the period ends or its budget fields change. */
  private readonly periods = new Map<string, CachedPeriod>();
  private readonly softWarned = new Set<string>();

  constructor(state: StateBackend, logger: Logger, modelSpend: ModelSpendSource) {
    this.state = state;
    this.logger = logger;
    this.modelSpend = modelSpend;
  }

  /** Throws 400 `budget_exceeded` when a subject is at or over a budget that applies to this request. */
  check(subjects: readonly Subject[], model: string, now: number): Maybe<BudgetState> {
    const plan = newPlan(now);
    for (const s of subjects) {
      const cached = this.periodOf(s, now);
      this.planOwn(plan, s, cached);
      this.planModel(plan, s, model, cached.period);
    }
    return this.run(plan);
  }

  /** Only the subjects' budgets for `model` (model_max_budget): a fallback to another model is about to serve. */
  checkModel(subjects: readonly Subject[], model: string, now: number): Maybe<BudgetState> {
    const plan = newPlan(now);
    for (const s of subjects) this.planModel(plan, s, model, this.periodOf(s, now).period);
    return this.run(plan);
  }

  private planOwn(plan: Plan, s: Subject, cached: CachedPeriod): void {
    const acc = accumulator(cached.key, cached.period, plan.now);
    plan.out.accumulators.push(acc);
    if (!this.seeded.has(acc.key)) plan.seeds.push(this.seed(acc, storedSpendFor(s, cached.period)));
    if (s.maxBudget !== null || s.softBudget !== null) plan.checks.push({ subject: s, key: acc.key, maxNanos: nanos(s.maxBudget), softNanos: nanos(s.softBudget) });
  }

  private planModel(plan: Plan, s: Subject, model: string, period: BudgetPeriod): void {
    const modelMax = s.modelMaxBudget[model];
    if (modelMax === undefined) return;
    const acc = accumulator(modelSpendKey(s, model, period), period, plan.now);
    plan.out.modelAccumulators.push(acc);
    if (!this.seeded.has(acc.key)) plan.seeds.push(this.modelSpend(s, model, period.startsAt).then((usd) => this.seed(acc, usd)));
    plan.checks.push({ subject: s, key: acc.key, maxNanos: nanos(modelMax), softNanos: null, model });
  }

  /** Seeds what is new, reads every budget judged, and throws the first refusal. */
  private run(plan: Plan): Maybe<BudgetState> {
    if (plan.seeds.length > 0) return Promise.all(plan.seeds).then(() => this.readAndJudge(plan));
    return this.readAndJudge(plan);
  }

  private readAndJudge(plan: Plan): Maybe<BudgetState> {
    if (plan.checks.length === 0) return plan.out;
    return andThen(this.state.getAccumulators(plan.checks.map((c) => c.key)), (totals) => {
      for (let i = 0; i < plan.checks.length; i++) this.judge(plan.checks[i], totals[i], plan.out);
      return plan.out;
    });
  }

  /**
   * Adds the request's cost to every accumulator; returns the new totals in order (at once from the in-memory
   * state). Its caller (Limiter.charge) calls it only with a cost and at least one accumulator.
   */
  charge(accumulators: readonly Accumulator[], costNanos: number): Maybe<number[]> {
    return this.state.addAccumulators(accumulators.map((a) => ({ key: a.key, amount: costNanos, ttlMs: a.ttlMs })));
  }

  private judge(c: Check, total: number, out: BudgetState): void {
    const s = c.subject;
    if (c.maxNanos !== null && total >= c.maxNanos) {
      const spend = total / 1e9;
      const max = c.maxNanos / 1e9;
      throw c.model === undefined ? budgetExceeded(s, spend, max) : modelBudgetExceeded(s, c.model, spend, max);
    }
    if (c.softNanos !== null && total >= c.softNanos) {
      out.softBudget.push(s.kind);
      if (!this.softWarned.has(c.key)) {
        remember(this.softWarned, c.key);
        this.logger.warn({ subject: s.kind, id: s.id, spend: total / 1e9, soft_budget: c.softNanos / 1e9 }, 'soft budget reached');
      }
    }
  }

  private periodOf(s: Subject, now: number): CachedPeriod {
    const id = `${s.kind}:${s.id}`;
    const hit = this.periods.get(id);
    if (
      hit &&
      hit.duration === s.budgetDuration &&
      hit.resetAt === s.budgetResetAt &&
      hit.createdAt === s.createdAt &&
      (hit.period.endsAt === null || (now < hit.period.endsAt && now >= (hit.period.startsAt ?? -Infinity)))
    ) {
      return hit;
    }
    const period = currentPeriod(s.budgetDuration, s.budgetResetAt, s.createdAt, now);
    const fresh: CachedPeriod = { duration: s.budgetDuration, resetAt: s.budgetResetAt, createdAt: s.createdAt, period, key: spendKey(s, period) };
    if (this.periods.size >= MAX_REMEMBERED) this.periods.clear();
    this.periods.set(id, fresh);
    return fresh;
  }

  private async seed(acc: Accumulator, usd: number): Promise<void> {
    await this.state.seedAccumulator(acc.key, Math.round(usd * 1e9), acc.ttlMs);
    remember(this.seeded, acc.key);
  }
}

function newPlan(now: number): Plan {
  return { out: { accumulators: [], modelAccumulators: [], softBudget: [] }, checks: [], seeds: [], now };
}

function accumulator(key: string, period: BudgetPeriod, now: number): Accumulator {
  return period.endsAt === null ? { key } : { key, ttlMs: period.endsAt - now + GRACE_MS };
}

/** The store's spend counts only if it is this period's: its reset date is this period's end. */
function storedSpendFor(s: Subject, period: BudgetPeriod): number {
  if (period.endsAt === null) return s.storedSpend;
  return s.budgetResetAt !== null && Date.parse(s.budgetResetAt) === period.endsAt ? s.storedSpend : 0;
}

function nanos(usd: number | null): number | null {
  return usd === null ? null : Math.round(usd * 1e9);
}

function remember(set: Set<string>, key: string): void {
  if (set.size >= MAX_REMEMBERED) set.clear();
  set.add(key);
}
