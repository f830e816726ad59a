// The refusals of the pre-call checks, worded and typed as LiteLLM's so that clients written for it react the
// same: 400 `budget_exceeded`, 401 `key_model_access_denied`, 429 with `retry-after`.
import { GatewayError } from '../canonical/index.ts';
import type { Subject, SubjectKind } from './subjects.ts';

const WHO: Record<SubjectKind, string> = { key: 'Key', user: 'User', team: 'Team', organization: 'Organization', end_user: 'End-user' };

export function budgetExceeded(s: Subject, spendUsd: number, maxUsd: number): GatewayError {
  const who = s.kind === 'key' ? '' : `${WHO[s.kind]}=${s.label} `;
  return new GatewayError({
    status: 400,
    kind: 'bad_request',
    type: 'budget_exceeded',
    code: 'budget_exceeded',
    message: `Budget has been exceeded! ${who}Current cost: ${spendUsd}, Max budget: ${maxUsd}${resetNote(s)}`,
  });
}

export function modelBudgetExceeded(s: Subject, model: string, spendUsd: number, maxUsd: number): GatewayError {
  return new GatewayError({
    status: 400,
    kind: 'bad_request',
    type: 'budget_exceeded',
    code: 'budget_exceeded',
    param: 'model',
    message: `Budget has been exceeded for model=${model}! ${WHO[s.kind]}=${s.label} Current cost: ${spendUsd}, Max budget: ${maxUsd}${resetNote(s)}`,
  });
}

function resetNote(s: Subject): string {
  return s.budgetDuration ? ` (resets every ${s.budgetDuration})` : '';
}

/** 401 as LiteLLM answers it, naming the model and the list it may use. */
export function modelNotAllowed(who: 'key' | 'team' | 'user' | 'organization', id: string, allowed: readonly string[], model: string): GatewayError {
  const subject = who === 'key' ? 'key' : `${WHO[who]}=${id}`;
  const list = `[${allowed.map((m) => `'${m}'`).join(', ')}]`;
  return new GatewayError({
    status: 401,
    kind: 'auth',
    type: 'key_model_access_denied',
    code: 'key_model_access_denied',
    param: 'model',
    message: `${subject} not allowed to access model. This ${who} can only access models=${list}. Tried to access ${model}`,
  });
}

/** `field`: where the request named the end-user (OpenAI's `user`, Anthropic's `metadata.user_id`). */
export function endUserBlocked(id: string, field = 'user'): GatewayError {
  return new GatewayError({
    status: 403,
    kind: 'permission',
    code: 'end_user_blocked',
    param: field,
    message: `End-user '${id}' (the request's ${field}) is blocked. An admin can unblock it with POST /customer/unblock.`,
  });
}

export type LimitName = 'rpm_limit' | 'tpm_limit' | 'max_parallel_requests' | 'model_rpm_limit' | 'model_tpm_limit';

export function rateLimited(s: Subject, limit: LimitName, value: number, retryAfterS: number, headers: Record<string, string>, model?: string): GatewayError {
  const what = describeLimit(limit, value, model);
  const wait = limit === 'max_parallel_requests' ? 'Retry when one of its requests has finished.' : `Try again in ${retryAfterS}s.`;
  return new GatewayError({
    status: 429,
    kind: 'rate_limit',
    code: 'rate_limit_exceeded',
    message: `Rate limit exceeded for ${WHO[s.kind].toLowerCase()} '${s.label}': ${what}. ${wait}`,
    headers: { ...headers, 'retry-after': String(retryAfterS) },
  });
}

function describeLimit(limit: LimitName, value: number, model: string | undefined): string {
  switch (limit) {
    case 'rpm_limit':
      return `${value} requests per minute (rpm_limit)`;
    case 'tpm_limit':
      return `${value} tokens per minute (tpm_limit)`;
    case 'max_parallel_requests':
      return `${value} requests at a time (max_parallel_requests)`;
    case 'model_rpm_limit':
      return `${value} requests per minute to ${model} (model_rpm_limit)`;
    case 'model_tpm_limit':
      return `${value} tokens per minute to ${model} (model_tpm_limit)`;
  }
}
