// Upstream error bodies of OpenAI-shaped servers → one gateway error. Handles the OpenAI envelope, Azure's
// variants (type null, code-only, content_filter with innererror), top-level `{"object":"error",…}` bodies
// of vLLM/Mistral, and OpenRouter's numeric codes (../shared/reference/providers.md §1.5, §7, §8).
import { GatewayError, type ErrorKind } from '../../canonical/index.ts';

interface ParsedError {
  message: string;
  type: string | null;
  code: string | null;
  param: string | null;
}

export function mapOpenAIError(status: number, rawBody: string, headers: Record<string, string | string[] | undefined>): GatewayError {
  const parsed = parseErrorBody(rawBody, status);
  const kind = classifyOpenAIError(status, parsed);
  const extra: Record<string, string> = {};
  const retryAfter = first(headers['retry-after']);
  if (retryAfter) extra['retry-after'] = retryAfter;
  const retryAfterMs = first(headers['retry-after-ms']);
  if (retryAfterMs) extra['retry-after-ms'] = retryAfterMs;
  // When a 429 carries no retry-after, the reset headers say when the window reopens (`1s`, `6m0s`, `12ms`).
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const v = first(headers[name]);
    if (v && status === 429) extra[name] = v;
  }
  const upstreamId = first(headers['x-request-id']) ?? first(headers['apim-request-id']);
  if (upstreamId) extra['x-igw-upstream-request-id'] = upstreamId;
  const suffix = upstreamId ? ` (upstream request id ${upstreamId})` : '';
  return new GatewayError({
    status: status >= 400 && status <= 599 ? status : 502,
    kind,
    message: parsed.message + suffix,
    code: parsed.code,
    type: parsed.type ?? undefined,
    param: parsed.param,
    headers: extra,
  });
}

function parseErrorBody(raw: string, status: number): ParsedError {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    const text = raw.trim().slice(0, 500);
    return { message: text || `Upstream returned HTTP ${status}`, type: null, code: null, param: null };
  }
  const obj = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const err = (obj.error && typeof obj.error === 'object' ? obj.error : obj) as Record<string, unknown>;
  const message = typeof err.message === 'string' ? err.message : typeof obj.error === 'string' ? obj.error : `Upstream returned HTTP ${status}`;
  return {
    message,
    type: typeof err.type === 'string' ? err.type : null,
    code: err.code === undefined || err.code === null ? null : String(err.code),
    param: typeof err.param === 'string' ? err.param : null,
  };
}

export function classifyOpenAIError(status: number, e: Pick<ParsedError, 'code' | 'message'>): ErrorKind {
  if (e.code === 'context_length_exceeded' || /maximum context length|context window|too many tokens/i.test(e.message)) {
    return 'context_window';
  }
  if (e.code === 'content_filter' || e.code === 'content_policy_violation') return 'content_policy';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'bad_request';
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
