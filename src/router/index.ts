// The router: model name → deployment, with retries, fallbacks, cooldowns, timeouts and hedging wrapped
// around one caller-supplied attempt. It knows nothing about HTTP bodies or dialects.
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError, type ErrorKind } from '../canonical/index.ts';
import type { DeploymentConfig } from '../config/types.ts';
import { clientClosed, runAttempt, type Attempt, type AttemptDeps, type AttemptRecord, type Running } from './attempt.ts';
import { Cooldowns } from './cooldowns.ts';
import type { Deployment } from './deployment.ts';
import { fallbacksFor, type RequestFallbacks } from './fallbacks.ts';
import { ModelGroups, modelNotFound, type Group } from './groups.ts';
import { raceWithHedge } from './hedge.ts';
import { backoffMs, canFallBack, retriesFor } from './retry-policy.ts';
import { loneDeployment, pickDeployment, type Picked } from './select.ts';
import type { RouterOptions } from './settings.ts';
import { StatsTable } from './stats.ts';
import { strategyFor, type Strategy } from './strategies.ts';

export type { Deployment, DeploymentDefaults } from './deployment.ts';
export type { Attempt, AttemptRecord } from './attempt.ts';
export type { RequestFallbacks } from './fallbacks.ts';
export type { Group } from './groups.ts';
export { routerOptions, type RouterOptions } from './settings.ts';
export { referencedModels } from './fallbacks.ts';
export { CooldownSharing, type CooldownSharingOptions } from './shared-cooldowns.ts';

export interface RouteRequest {
  model: string;
  stream: boolean;
  signal: AbortSignal;
  fallbacks?: RequestFallbacks;
  /** The request's own `num_retries` (LiteLLM accepts it in the body). */
  numRetries?: number;
  /**
   * Asked before each fallback model group is tried (the requested one is checked before routing): a
   * GatewayError skips the group, which is listed in the attempt log and never called.
   */
  admitFallback?: (model: string) => Promise<void>;
}

export interface Routed<T> {
  value: T;
  deployment: Deployment;
  /** The model name that finally answered (differs from the request's after a fallback). */
  model: string;
  attempts: AttemptRecord[];
  /** Call once when the response is complete: frees the in-flight slot, counts tokens, feeds the breaker. */
  finish(outcome: { tokens?: number; error?: ErrorKind }): void;
}

export class ModelRouter {
  readonly groups: ModelGroups;
  readonly cooldowns: Cooldowns;
  readonly stats = new StatsTable();
  private readonly options: RouterOptions;
  private readonly strategy: Strategy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly attemptDeps: AttemptDeps;

  constructor(list: readonly DeploymentConfig[], options: RouterOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.groups = new ModelGroups(list, options.defaults);
    this.cooldowns = new Cooldowns({ allowedFails: options.allowedFails, cooldownMs: options.cooldownMs, now: this.now });
    this.strategy = strategyFor(options.strategy);
    this.attemptDeps = { stats: this.stats, cooldowns: this.cooldowns, now: this.now };
  }

  get fallbacks(): RouterOptions['fallbacks'] {
    return this.options.fallbacks;
  }

  modelNames(): string[] {
    return this.groups.names();
  }

  has(model: string): boolean {
    return this.groups.get(model) !== undefined;
  }

  /** Runs `attempt` until one deployment answers: retries within the group, then fallbacks in order. */
  async execute<T>(req: RouteRequest, attempt: Attempt<T>): Promise<Routed<T>> {
    const records: AttemptRecord[] = [];
    let group = this.groups.get(req.model);
    if (!group) throw modelNotFound(req.model, this.modelNames());
    // The fallback queue is built from the first failure on: most requests never need it.
    let fallbacks: FallbackQueue | undefined;
    let lastError: GatewayError;
    do {
      try {
        const won = await this.runGroup(group, req, attempt, records);
        return { value: won.value, deployment: won.deployment, model: group.name, attempts: records, finish: (outcome) => won.done(outcome) };
      } catch (err) {
        lastError = err as GatewayError;
        if (lastError.code === 'client_closed' || !canFallBack(lastError.kind)) break;
        fallbacks ??= new FallbackQueue(req.model);
        fallbacks.add(fallbacksFor(group.name, lastError.kind, this.options.fallbacks, req.fallbacks ?? {}));
      }
      group = await this.nextFallback(fallbacks, req, records);
    } while (group);
    throw exhausted(lastError, records);
  }

  /** The next fallback group not tried yet that exists and that the caller may use. */
  private async nextFallback(fallbacks: FallbackQueue, req: RouteRequest, records: AttemptRecord[]): Promise<Group | undefined> {
    for (let model = fallbacks.next(); model !== undefined; model = fallbacks.next()) {
      const group = this.groups.get(model);
      if (!group) continue; // a fallback naming an unknown model is reported at start-up
      if (await fallbackAdmitted(model, req, records)) return group;
    }
    return undefined;
  }

  private async runGroup<T>(group: Group, req: RouteRequest, attempt: Attempt<T>, records: AttemptRecord[]): Promise<Running<T>> {
    let failed: Set<Deployment> | undefined;
    for (let retry = 0; ; retry++) {
      const picked = this.pick(group, req.stream, failed ?? NONE_FAILED);
      try {
        return await this.runPicked(picked, group, req, attempt, records);
      } catch (err) {
        const gerr = err as GatewayError;
        if (gerr.code === 'client_closed' || req.signal.aborted) throw clientClosed();
        (failed ??= new Set()).add(picked.deployment);
        if (retry >= retriesFor(gerr.kind, this.options.retry, req.numRetries)) throw gerr;
        await this.waitBeforeRetry(group, gerr, retry, failed, req);
      }
    }
  }

  private runPicked<T>(picked: Picked, group: Group, req: RouteRequest, attempt: Attempt<T>, records: AttemptRecord[]): Promise<Running<T>> {
    const delay = this.hedgeDelay(group);
    if (delay === undefined) return runAttempt(picked.deployment, group, req.stream, req.signal, attempt, this.attemptDeps, records);
    return raceWithHedge<T>(
      (cancel) => runAttempt(picked.deployment, group, req.stream, AbortSignal.any([req.signal, cancel]), attempt, this.attemptDeps, records),
      async (cancel) => {
        const other = this.pick(group, req.stream, new Set([picked.deployment]), true);
        return runAttempt(other.deployment, group, req.stream, AbortSignal.any([req.signal, cancel]), attempt, this.attemptDeps, records, true);
      },
      delay,
    );
  }

  private pick(group: Group, stream: boolean, failed: ReadonlySet<Deployment>, hedge = false): Picked {
    const lone = loneDeployment(group, failed, this.cooldowns, hedge);
    if (lone) return lone;
    return pickDeployment(group, failed, this.strategy, {
      stats: this.stats,
      cooldowns: this.cooldowns,
      stream,
      now: this.now(),
      latencyBuffer: this.options.latencyBuffer,
      random: this.random,
      hedge,
    });
  }

  /** No wait when another healthy deployment can take the retry; otherwise back off (or give up if the
   * upstream asks for longer than max_retry_after). */
  private async waitBeforeRetry(group: Group, err: GatewayError, retry: number, failed: ReadonlySet<Deployment>, req: RouteRequest): Promise<void> {
    const fresh = group.usable.some((d) => !failed.has(d) && this.cooldowns.admission(d) !== 'cooling');
    if (fresh) return;
    const wait = backoffMs(err, retry, this.options.retry, this.random);
    if (wait === undefined) throw err;
    try {
      await sleep(wait, undefined, { signal: req.signal });
    } catch {
      throw clientClosed();
    }
  }

  private hedgeDelay(group: Group): number | undefined {
    if (group.usable.length < 2) return undefined;
    const setting = this.options.hedgeAfter.get(group.name);
    if (setting === undefined) return undefined;
    return setting === 'p95' ? this.stats.groupP95Ttft(group.usable) : setting;
  }
}

const NONE_FAILED: ReadonlySet<Deployment> = new Set();

/** Model groups to fall back to, in order, each at most once (the requested one counts as tried). */
class FallbackQueue {
  private readonly queue: string[] = [];
  private readonly seen: Set<string>;

  constructor(requested: string) {
    this.seen = new Set([requested]);
  }

  add(models: readonly string[]): void {
    for (const m of models) this.queue.push(m);
  }

  next(): string | undefined {
    while (this.queue.length > 0) {
      const model = this.queue.shift()!;
      if (this.seen.has(model)) continue;
      this.seen.add(model);
      return model;
    }
    return undefined;
  }
}

/** Whether the caller may fall back to `model`; a refusal is recorded as a skipped group. */
async function fallbackAdmitted(model: string, req: RouteRequest, records: AttemptRecord[]): Promise<boolean> {
  if (!req.admitFallback) return true;
  try {
    await req.admitFallback(model);
    return true;
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    records.push({ deployment: model, model, outcome: 'skipped', ms: 0, skipReason: err.code ?? err.kind });
    return false;
  }
}

/** The last error, annotated with what igw tried; igw has spent its retries, so the SDKs should not add theirs. */
function exhausted(err: GatewayError, records: AttemptRecord[]): GatewayError {
  const upstream = upstreamAttempts(records);
  const headers: Record<string, string> = { ...err.headers, 'x-igw-attempts': String(upstream) };
  if (records.length > 0) headers['x-igw-attempt-log'] = attemptLog(records);
  if (upstream > 1) headers['x-should-retry'] = 'false';
  return new GatewayError({ status: err.status, kind: err.kind, code: err.code, type: err.type, param: err.param, message: err.message, headers });
}

/** Calls made upstream: every record but the skipped fallback groups. */
export function upstreamAttempts(records: readonly AttemptRecord[]): number {
  let n = 0;
  for (const r of records) if (r.outcome !== 'skipped') n++;
  return n;
}

/** `id=outcome, …`; a hedge is marked `(hedge)`, a skipped group carries its reason: `gpt-4o=skipped(budget_exceeded)`. */
export function attemptLog(records: readonly AttemptRecord[]): string {
  return records.map((r) => `${r.deployment}=${r.outcome}${r.hedge ? '(hedge)' : ''}${r.skipReason ? `(${r.skipReason})` : ''}`).join(', ');
}
