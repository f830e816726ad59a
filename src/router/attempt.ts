// One attempt on one deployment, wrapped in the policies that belong to a single call: its own abort
// controller (linked to the client's), the time limit until the attempt resolves (the first byte of a
// stream, the whole body otherwise), in-flight counting, latency samples and the circuit breaker.
import { GatewayError, type ErrorKind } from '../canonical/index.ts';
import type { Cooldowns } from './cooldowns.ts';
import type { Deployment } from './deployment.ts';
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

export interface AttemptDeps {
  stats: StatsTable;
  cooldowns: Cooldowns;
  now: () => number;
  /** The deployment is the only one of its group. */
  alone: boolean;
}

export async function runAttempt<T>(
  d: Deployment,
  model: string,
  stream: boolean,
  clientSignal: AbortSignal,
  attempt: Attempt<T>,
  deps: AttemptDeps,
  records: AttemptRecord[],
  hedge = false,
): Promise<Running<T>> {
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
  const record: AttemptRecord = { deployment: d.id, model, outcome: 'ok', ms: 0 };
  if (hedge) record.hedge = true;
  records.push(record);
  try {
    const value = await attempt(d, signal);
    clearTimeout(timer);
    const ms = performance.now() - started;
    record.ms = Math.round(ms);
    stats.recordLatency(stream ? ms : undefined, stream ? undefined : ms);
    return running(value, d, controller, deps, started, stream);
  } catch (err) {
    clearTimeout(timer);
    controller.unlink();
    stats.inFlight--;
    record.ms = Math.round(performance.now() - started);
    const gerr = classify(err, timedOut ? attemptTimeout(d, limitMs, stream) : undefined, clientSignal);
    record.outcome = gerr.code === 'client_closed' ? 'cancelled' : gerr.kind;
    if (gerr.code === 'client_closed' || controller.signal.aborted && !timedOut) deps.cooldowns.releaseProbe(d);
    else deps.cooldowns.recordFailure(d, gerr.kind, deps.alone);
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
  clientSignal.addEventListener('abort', onAbort, { once: true });
  controller.unlink = () => clientSignal.removeEventListener('abort', onAbort);
  return controller;
}

function running<T>(value: T, d: Deployment, controller: LinkedController, deps: AttemptDeps, started: number, stream: boolean): Running<T> {
  let finished = false;
  const stats = deps.stats.of(d);
  const done = (outcome: { tokens?: number; error?: ErrorKind }): void => {
    if (finished) return;
    finished = true;
    controller.unlink();
    stats.inFlight--;
    if (outcome.tokens) stats.countTokens(deps.now(), outcome.tokens);
    if (stream) stats.recordLatency(undefined, performance.now() - started);
    if (outcome.error) deps.cooldowns.recordFailure(d, outcome.error, deps.alone);
    else deps.cooldowns.recordSuccess(d);
  };
  return {
    value,
    deployment: d,
    cancel: () => {
      controller.abort(cancelled());
      if (!finished) {
        finished = true;
        controller.unlink();
        stats.inFlight--;
        deps.cooldowns.releaseProbe(d);
      }
    },
    done,
  };
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
