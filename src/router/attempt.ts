// One attempt on one deployment, wrapped in the policies that belong to a single call: its own abort
// controller (linked to the client's), the time limit until the attempt resolves (the first byte of a
// stream, the whole body otherwise), in-flight counting, latency samples and the circuit breaker.
import { GatewayError, type ErrorKind } from '../canonical/index.ts';
import type { Cooldowns } from './cooldowns.ts';
import type { Deployment } from './deployment.ts';
import type { Group } from './groups.ts';
import type { StatsTable } from './stats.ts';

/** What the caller does with a deployment: send, and resolve once the answer can be committed to. */
export type Attempt<T> = (d: Deployment, signal: AbortSignal) => Promise<T>;

export interface AttemptRecord {
  deployment: string;
  model: string;
  /** `skipped`: a fallback model group the caller may not use; `deployment` then names the group. */
  outcome: 'ok' | ErrorKind | 'cancelled' | 'skipped';
  ms: number;
  hedge?: boolean;
  /** Why it was skipped: the refusal's code. */
  skipReason?: string;
}

/** A resolved attempt that still holds its in-flight slot until `done` is called. */
export interface Running<T> {
  value: T;
  deployment: Deployment;
  /** Abort the upstream call (a hedge that lost). */
  cancel(): void;
  /** Frees the slot and records how the whole response went. */
  done(outcome: { tokens?: number; error?: ErrorKind }): void;
}

/** The router's parts an attempt uses; one object per router. */
export interface AttemptDeps {
  stats: StatsTable;
  cooldowns: Cooldowns;
  now: () => number;
}

export async function runAttempt<T>(
  d: Deployment,
  group: Group,
  stream: boolean,
  clientSignal: AbortSignal,
  attempt: Attempt<T>,
  deps: AttemptDeps,
  records: AttemptRecord[],
  hedge = false,
): Promise<Running<T>> {
  // A deployment alone in its group is not cooled down by a single 429/401/404 (cooldowns.ts).
  const alone = group.usable.length === 1;
  const controller = linkedController(clientSignal);
  const signal = controller.signal;
  const limitMs = stream ? d.streamTimeoutMs : d.timeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(attemptTimeout(d, limitMs, stream));
  }, limitMs);
  const stats = deps.stats.of(d);
  const started = performance.now();
  stats.inFlight++;
  stats.countRequest(deps.now());
  const record: AttemptRecord = { deployment: d.id, model: group.name, outcome: 'ok', ms: 0 };
  if (hedge) record.hedge = true;
  records.push(record);
  try {
    const value = await attempt(d, signal);
    clearTimeout(timer);
    const ms = performance.now() - started;
    record.ms = Math.round(ms);
    stats.recordLatency(stream ? ms : undefined, stream ? undefined : ms);
    return new RunningAttempt(value, d, controller, deps, started, stream, alone);
  } catch (err) {
    clearTimeout(timer);
    controller.unlink();
    stats.inFlight--;
    record.ms = Math.round(performance.now() - started);
    const gerr = classify(err, timedOut ? attemptTimeout(d, limitMs, stream) : undefined, clientSignal);
    record.outcome = gerr.code === 'client_closed' ? 'cancelled' : gerr.kind;
    if (gerr.code === 'client_closed' || controller.signal.aborted && !timedOut) deps.cooldowns.releaseProbe(d);
    else deps.cooldowns.recordFailure(d, gerr.kind, alone);
    throw gerr;
  }
}

/**
 * The attempt's own controller, aborted when the client's signal aborts. A plain listener rather than
 * `AbortSignal.any`: the composite signal costs several microseconds per request in Node's bookkeeping.
 */
interface LinkedController extends AbortController {
  unlink(): void;
}

function linkedController(clientSignal: AbortSignal): LinkedController {
  const controller = new AbortController() as LinkedController;
  if (clientSignal.aborted) {
    controller.abort(clientSignal.reason);
    controller.unlink = () => {};
    return controller;
  }
  const onAbort = (): void => controller.abort(clientSignal.reason);
  clientSignal.addEventListener('abort', onAbort);
  controller.unlink = () => clientSignal.removeEventListener('abort', onAbort);
  return controller;
}

/** One object per answered attempt (this runs once per request: no closures to allocate). */
class RunningAttempt<T> implements Running<T> {
  private finished = false;
  readonly value: T;
  readonly deployment: Deployment;
  private readonly controller: LinkedController;
  private readonly deps: AttemptDeps;
  private readonly started: number;
  private readonly stream: boolean;
  private readonly alone: boolean;

  constructor(value: T, d: Deployment, controller: LinkedController, deps: AttemptDeps, started: number, stream: boolean, alone: boolean) {
    this.value = value;
    this.deployment = d;
    this.controller = controller;
    this.deps = deps;
    this.started = started;
    this.stream = stream;
    this.alone = alone;
  }

  done(outcome: { tokens?: number; error?: ErrorKind }): void {
    if (this.finished) return;
    this.finished = true;
    this.controller.unlink();
    const { stats, cooldowns, now } = this.deps;
    const s = stats.of(this.deployment);
    s.inFlight--;
    if (outcome.tokens) s.countTokens(now(), outcome.tokens);
    if (this.stream) s.recordLatency(undefined, performance.now() - this.started);
    if (outcome.error) cooldowns.recordFailure(this.deployment, outcome.error, this.alone);
    else cooldowns.recordSuccess(this.deployment);
  }

  cancel(): void {
    this.controller.abort(cancelled());
    if (this.finished) return;
    this.finished = true;
    this.controller.unlink();
    this.deps.stats.of(this.deployment).inFlight--;
    this.deps.cooldowns.releaseProbe(this.deployment);
  }
}

function classify(err: unknown, timeout: GatewayError | undefined, clientSignal: AbortSignal): GatewayError {
  if (timeout) return timeout;
  if (clientSignal.aborted) return clientClosed();
  if (err instanceof GatewayError) return err;
  return new GatewayError({ status: 502, kind: 'connection', code: 'upstream_error', message: `Upstream call failed: ${(err as Error).message}` });
}

function attemptTimeout(d: Deployment, ms: number, stream: boolean): GatewayError {
  const what = stream ? 'send the first byte of its stream' : 'answer';
  return new GatewayError({
    status: 504,
    kind: 'timeout',
    code: 'upstream_timeout',
    message: `Deployment ${d.id} did not ${what} within ${ms / 1000} s`,
  });
}

export function clientClosed(): GatewayError {
  return new GatewayError({ status: 499, kind: 'connection', code: 'client_closed', message: 'The client closed the request' });
}

function cancelled(): GatewayError {
  return new GatewayError({ status: 499, kind: 'connection', code: 'hedge_cancelled', message: 'Another attempt answered first' });
}
