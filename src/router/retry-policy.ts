// When to retry, how long to wait, and when to fall back. Retries go to another healthy deployment of the
// group when there is one (no wait); otherwise they back off exponentially with jitter, honouring the
// upstream's `retry-after-ms` / `retry-after` up to a cap.
import type { ErrorKind, GatewayError } from '../canonical/index.ts';

/** LiteLLM's retry_policy names → the kinds they cover. */
const POLICY_KINDS: Readonly<Record<string, readonly ErrorKind[]>> = {
  RateLimitErrorRetries: ['rate_limit'],
  TimeoutErrorRetries: ['timeout'],
  InternalServerErrorRetries: ['server', 'overloaded', 'connection'],
  ContentPolicyViolationErrorRetries: ['content_policy'],
  AuthenticationErrorRetries: ['auth', 'permission'],
  BadRequestErrorRetries: ['bad_request'],
  ContextWindowExceededErrorRetries: ['context_window'],
};

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorKind> = new Set(['rate_limit', 'timeout', 'server', 'overloaded', 'connection']);
/** Another model would reject the same request too. */
const NO_FALLBACK: ReadonlySet<ErrorKind> = new Set(['bad_request', 'payload_too_large']);

export interface RetrySettings {
  numRetries: number;
  /** Per kind, from retry_policy. */
  perKind: Partial<Record<ErrorKind, number>>;
  /** Least wait before retrying the same deployment (LiteLLM's `retry_after`), ms. */
  minWaitMs: number;
  /** Longest upstream `retry-after` igw waits out itself, ms; longer → move on to fallbacks. */
  maxRetryAfterMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export function retrySettings(numRetries: number, policy: Record<string, number | undefined> | undefined, minWaitS = 0, maxRetryAfterS = 10): RetrySettings {
  const perKind: Partial<Record<ErrorKind, number>> = {};
  for (const [name, count] of Object.entries(policy ?? {})) {
    if (count === undefined) continue;
    for (const kind of POLICY_KINDS[name] ?? []) perKind[kind] = count;
  }
  return { numRetries, perKind, minWaitMs: minWaitS * 1000, maxRetryAfterMs: maxRetryAfterS * 1000, baseBackoffMs: 250, maxBackoffMs: 8000 };
}

/** How many retries this kind of failure gets within a model group. */
export function retriesFor(kind: ErrorKind, s: RetrySettings, requestOverride?: number): number {
  const explicit = s.perKind[kind];
  if (explicit !== undefined) return explicit;
  if (!RETRYABLE_BY_DEFAULT.has(kind)) return 0;
  return requestOverride ?? s.numRetries;
}

export function canFallBack(kind: ErrorKind): boolean {
  return !NO_FALLBACK.has(kind);
}

/** ms to wait before retry number `retry` (0-based) on the same deployment; undefined = do not wait that long. */
export function backoffMs(err: GatewayError, retry: number, s: RetrySettings, random: () => number): number | undefined {
  const asked = retryAfterMs(err);
  if (asked !== undefined && asked > s.maxRetryAfterMs) return undefined;
  const exp = Math.min(s.maxBackoffMs, s.baseBackoffMs * 2 ** retry);
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.max(s.minWaitMs, asked ?? jittered);
}

/** `retry-after-ms` (ms) first, then `retry-after` (seconds or an HTTP date), as the SDKs read them. */
export function retryAfterMs(err: GatewayError): number | undefined {
  const ms = Number(err.headers['retry-after-ms']);
  if (err.headers['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = err.headers['retry-after'];
  if (ra === undefined) return rateLimitResetMs(err);
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The later of OpenAI's `x-ratelimit-reset-requests` / `-tokens` durations (`1s`, `6m0s`, `12ms`, `1h2m3.5s`). */
function rateLimitResetMs(err: GatewayError): number | undefined {
  let latest: number | undefined;
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const ms = parseDuration(err.headers[name]);
    if (ms !== undefined) latest = Math.max(latest ?? 0, ms);
  }
  return latest;
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

export function parseDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  let total = 0;
  let rest = text.trim();
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}
