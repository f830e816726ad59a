// The circuit breaker. A deployment that fails more than `allowed_fails` times within a minute, or answers
// 429, 401 or 404 (LiteLLM's rules: those will not get better on the next call), cools down for
// `cooldown_time`. When the time is up it is half-open: exactly one probe request decides whether it is back.
// In memory for now; the interface is what a shared (Redis) implementation will provide.
import type { ErrorKind } from '../canonical/index.ts';
import type { Deployment } from './deployment.ts';

export interface CooldownSettings {
  allowedFails: number;
  cooldownMs: number;
  now: () => number;
}

export type Admission = 'closed' | 'probe' | 'cooling';

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
    if (s.tripped) this.states.delete(d.id);
    else s.probing = false;
  }

  /** `alone`: the deployment is its group's only one; as in LiteLLM, a single 429/401/404 does not then
   * cool it down (that would turn one rate-limited call into an outage); repeated failures still do. */
  recordFailure(d: Deployment, kind: ErrorKind, alone = false): void {
    const s = this.state(d);
    s.probing = false;
    if (NOT_COUNTED.has(kind)) return;
    const now = this.settings.now();
    if (s.tripped && now >= s.until) return this.trip(s, now); // the probe failed
    s.failures = s.failures.filter((t) => now - t < 60_000);
    s.failures.push(now);
    if ((IMMEDIATE.has(kind) && !alone) || s.failures.length > this.settings.allowedFails) this.trip(s, now);
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

  private trip(s: BreakerState, now: number): void {
    s.tripped = true;
    s.until = now + this.settings.cooldownMs;
    s.failures = [];
  }

  private state(d: Deployment): BreakerState {
    let s = this.states.get(d.id);
    if (!s) {
      s = { failures: [], until: 0, probing: false, tripped: false };
      this.states.set(d.id, s);
    }
    return s;
  }
}
