// rpm / tpm limits as one-minute fixed windows in the state backend. A request takes one unit of every
// requests window it falls under, all or nothing; token windows are checked before the call (refused once
// the minute's tokens reached the limit, as LiteLLM does: the request's own size is unknown yet) and charged
// after it with the tokens actually used.
import type { GatewayError } from '../canonical/index.ts';
import type { WindowCount, WindowResult, WindowSpec } from '../state/index.ts';
import { rateLimited, type LimitName } from './errors.ts';
import { requestsKey, tokensKey } from './state-keys.ts';
import type { Subject } from './subjects.ts';

export const WINDOW_MS = 60_000;

export interface WindowMeta {
  subject: Subject;
  limit: LimitName;
  /** The configured limit. */
  value: number;
  unit: 'requests' | 'tokens';
  model?: string;
}

/** A tokens window, charged after the call with the tokens used. */
export interface TokenWindow {
  key: string;
  windowMs: number;
}

export interface RequestWindows {
  specs: WindowSpec[];
  meta: WindowMeta[];
  /** The subjects' own token windows (tpm_limit). */
  tokenWindows: TokenWindow[];
  /** Their token windows for this model (model_tpm_limit). */
  modelTokenWindows: TokenWindow[];
}

/** `all`: every window the request falls under; `model`: only the per-model ones (a fallback to another model). */
export type WindowScope = 'all' | 'model';

export function requestWindows(subjects: readonly Subject[], model: string, scope: WindowScope = 'all'): RequestWindows {
  const out: RequestWindows = { specs: [], meta: [], tokenWindows: [], modelTokenWindows: [] };
  for (const s of subjects) {
    if (scope === 'all' && s.rpm !== null) addRequests(out, s, s.rpm, 'rpm_limit');
    if (scope === 'all' && s.tpm !== null) addTokens(out, s, s.tpm, 'tpm_limit');
    const modelRpm = s.modelRpm[model];
    if (modelRpm !== undefined) addRequests(out, s, modelRpm, 'model_rpm_limit', model);
    const modelTpm = s.modelTpm[model];
    if (modelTpm !== undefined) addTokens(out, s, modelTpm, 'model_tpm_limit', model);
  }
  return out;
}

function addRequests(out: RequestWindows, s: Subject, value: number, limit: LimitName, model?: string): void {
  out.specs.push({ key: requestsKey(s, model), windowMs: WINDOW_MS, amount: 1, limit: value });
  out.meta.push({ subject: s, limit, value, unit: 'requests', model });
}

function addTokens(out: RequestWindows, s: Subject, value: number, limit: LimitName, model?: string): void {
  const key = tokensKey(s, model);
  // Amount 0 refuses when count > limit; the rule is count >= limit, so the window is given limit - 1.
  out.specs.push({ key, windowMs: WINDOW_MS, amount: 0, limit: value - 1 });
  out.meta.push({ subject: s, limit, value, unit: 'tokens', model });
  (model === undefined ? out.tokenWindows : out.modelTokenWindows).push({ key, windowMs: WINDOW_MS });
}

/** The 429 for a refused consumeWindows, naming the limit that refused. */
export function windowRefusal(result: WindowResult, meta: readonly WindowMeta[], now: number): GatewayError {
  const i = result.refusedIndex;
  const m = meta[i];
  const retryAfter = Math.max(1, Math.ceil((result.windows[i].resetAt - now) / 1000));
  return rateLimited(m.subject, m.limit, m.value, retryAfter, rateLimitHeaders(result.windows, meta, now, i), m.model);
}

/**
 * OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the tightest window of each unit, and
 * LiteLLM's `x-litellm-key-remaining-{requests,tokens}-<model>` for per-model key limits.
 * `refused`: that window is reported with nothing remaining.
 */
export function rateLimitHeaders(windows: readonly WindowCount[], meta: readonly WindowMeta[], now: number, refused = -1): Record<string, string> {
  const headers = keyModelHeaders(windows, meta, refused);
  const tightest: Partial<Record<WindowMeta['unit'], { value: number; remaining: number; resetAt: number }>> = {};
  for (let i = 0; i < meta.length; i++) {
    const m = meta[i];
    const w = windows[i];
    const remaining = i === refused ? 0 : Math.max(0, m.value - w.count);
    const best = tightest[m.unit];
    if (!best || remaining < best.remaining) tightest[m.unit] = { value: m.value, remaining, resetAt: w.resetAt };
  }
  for (const unit of UNITS) {
    const t = tightest[unit];
    if (!t) continue;
    const names = HEADER_NAMES[unit];
    headers[names.limit] = String(t.value);
    headers[names.remaining] = String(t.remaining);
    headers[names.reset] = formatReset(t.resetAt - now);
  }
  return headers;
}

const UNITS = ['requests', 'tokens'] as const;
const HEADER_NAMES = {
  requests: { limit: 'x-ratelimit-limit-requests', remaining: 'x-ratelimit-remaining-requests', reset: 'x-ratelimit-reset-requests' },
  tokens: { limit: 'x-ratelimit-limit-tokens', remaining: 'x-ratelimit-remaining-tokens', reset: 'x-ratelimit-reset-tokens' },
} as const;

/** LiteLLM's `x-litellm-key-remaining-{requests,tokens}-<model>`: what is left of the key's per-model limits. */
export function keyModelHeaders(windows: readonly WindowCount[], meta: readonly WindowMeta[], refused = -1): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < meta.length; i++) {
    const m = meta[i];
    if (m.model === undefined || m.subject.kind !== 'key') continue;
    const remaining = i === refused ? 0 : Math.max(0, m.value - windows[i].count);
    headers[`x-litellm-key-remaining-${m.unit}-${headerSafe(m.model)}`] = String(remaining);
  }
  return headers;
}

/** LiteLLM turns `/` in the model name into `-` for the header name; anything else not a token char too. */
function headerSafe(model: string): string {
  return model.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '-');
}

/** OpenAI's format: `42s`, `1m0s`. */
export function formatReset(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}
