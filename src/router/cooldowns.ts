// The circuit breaker. A deployment that fails more than `allowed_fails` times within a minute, or answers
// 429, 401 or 404 (LiteLLM's rules: those will not get better on the next call), cools down for
// `cooldown_time`. When the time is up it is half-open: exactly one probe request decides whether it is back.
// The breakers live in this process, so routing never waits on the network; shared-cooldowns.ts tells other
// replicas of this one's changes (`observe`) and applies theirs here (`apply`).
import type { ErrorKind } from '../canonical/index.ts';
import type { Deployment } from './deployment.ts';

export interface CooldownSettings {
  allowedFails: number;
  cooldownMs: number;
  now: () => number;
}

export type Admission = 'closed' | 'probe' | 'cooling';

/** A breaker that tripped (`cool`) or that a probe closed (`clear`), as told to and by other replicas.
 * `until`: the epoch ms the cooldown ends (for `clear`, the cooldown the probe ended). */
export interface CooldownChange {
  op: 'cool' | 'clear';
  /** `Deployment.id`: the same on every replica with the same config. */
  id: string;
  until: number;
}

interface BreakerState {
  failures: number[];
  until: number;
  probing: boolean;
  /** The breaker tripped at least once and has not seen a success since. */
  tripped: boolean;
}

const IMMEDIATE: ReadonlySet<ErrorKind> = new Set(['rate_limit', 'auth', 'not_found']);
/** The request's fault, not the deployment's: never counted. */
const NOT_COUNTED: ReadonlySet<ErrorKind> = new Set(['bad_request', 'context_window', 'content_policy', 'payload_too_large']);

export class Cooldowns {
  private readonly states = new Map<string, BreakerState>();
  private readonly settings: CooldownSettings;
  private readonly observers = new Set<(change: CooldownChange) => void>();

  constructor(settings: CooldownSettings) {
    this.settings = settings;
  }

  /** Whether a request may go to `d` now, without claiming the half-open probe. */
  admission(d: Deployment): Admission {
    const s = this.states.get(d.id);
    if (!s || !s.tripped) return 'closed';
    if (this.settings.now() < s.until || s.probing) return 'cooling';
    return 'probe';
  }

  /** Claims the probe slot of a half-open deployment; false if another request holds it. */
  claimProbe(d: Deployment): boolean {
    const s = this.states.get(d.id);
    if (!s || s.probing) return false;
    s.probing = true;
    return true;
  }

  /** A success closes a tripped breaker (the probe passed); failures in the window still count otherwise. */
  recordSuccess(d: Deployment): void {
    const s = this.states.get(d.id);
    if (!s) return;
    if (!s.tripped) {
      s.probing = false;
      return;
    }
    this.states.delete(d.id);
    // Only a probe's verdict is news for other replicas: a call sent before the trip that succeeds late
    // closes this breaker alone.
    if (this.settings.now() >= s.until) this.notify({ op: 'clear', id: d.id, until: s.until });
  }

  /** `alone`: the deployment is its group's only one; as in LiteLLM, a single 429/401/404 does not then
   * cool it down (that would turn one rate-limited call into an outage); repeated failures still do. */
  recordFailure(d: Deployment, kind: ErrorKind, alone = false): void {
    const s = this.stateOf(d.id);
    s.probing = false;
    if (NOT_COUNTED.has(kind)) return;
    const now = this.settings.now();
    if (s.tripped && now >= s.until) return this.trip(d.id, s, now); // the probe failed
    s.failures = s.failures.filter((t) => now - t < 60_000);
    s.failures.push(now);
    if ((IMMEDIATE.has(kind) && !alone) || s.failures.length > this.settings.allowedFails) this.trip(d.id, s, now);
  }

  /** A probe that ended without a verdict (client left) gives the slot back. */
  releaseProbe(d: Deployment): void {
    const s = this.states.get(d.id);
    if (s) s.probing = false;
  }

  /** ms until `d` may be probed again; 0 when it is not cooling. */
  remainingMs(d: Deployment): number {
    const s = this.states.get(d.id);
    if (!s || !s.tripped) return 0;
    return Math.max(0, s.until - this.settings.now());
  }

  /** The breakers' clock, epoch ms. */
  now(): number {
    return this.settings.now();
  }

  /** Calls `observer` on every trip and every probe that closes a breaker here; returns how to stop. */
  observe(observer: (change: CooldownChange) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Another replica's change, never passed on to the observers. A cooldown can lengthen this replica's,
   * never shorten it; a clear closes the breaker unless it has tripped here again since. */
  apply(change: CooldownChange): void {
    const s = this.states.get(change.id);
    if (change.op === 'clear') {
      if (s?.tripped && s.until <= change.until) this.states.delete(change.id);
      return;
    }
    if (change.until <= this.settings.now() || (s?.tripped && s.until >= change.until)) return;
    const cooling = s ?? this.stateOf(change.id);
    cooling.tripped = true;
    cooling.until = change.until;
    cooling.failures = [];
  }

  private trip(id: string, s: BreakerState, now: number): void {
    s.tripped = true;
    s.until = now + this.settings.cooldownMs;
    s.failures = [];
    this.notify({ op: 'cool', id, until: s.until });
  }

  private notify(change: CooldownChange): void {
    for (const o of this.observers) o(change);
  }

  private stateOf(id: string): BreakerState {
    let s = this.states.get(id);
    if (!s) {
      s = { failures: [], until: 0, probing: false, tripped: false };
      this.states.set(id, s);
    }
    return s;
  }
}
