// Anthropic error bodies `{"type":"error","error":{"type","message"}}` → one gateway error (reference §3.5,
// §4.8). The kind drives retries and fallbacks; status, type and code are what an OpenAI client sees:
// 529 overloaded becomes 503 `overloaded` (the OpenAI SDK retries it), "prompt is too long" becomes a
// `context_window` error with OpenAI's `context_length_exceeded` code.
import { GatewayError, isObject, optString, type ErrorKind } from '../../canonical/index.ts';

interface Mapped {
  status: number;
  kind: ErrorKind;
  type: string;
  code: string | null;
}

const CONTEXT_WINDOW = /prompt is too long|context window|context length|too many (input )?tokens|exceeds? the (model's )?(maximum )?context/i;

export function mapAnthropicError(status: number, rawBody: string, headers: Record<string, string | string[] | undefined>): GatewayError {
  const { type, message } = parseBody(rawBody, status);
  const mapped = classify(status, type, message);
  const extra: Record<string, string> = {};
  const retryAfter = first(headers['retry-after']);
  if (retryAfter) extra['retry-after'] = retryAfter;
  const upstreamId = first(headers['request-id']) ?? first(headers['x-request-id']);
  if (upstreamId) extra['x-igw-upstream-request-id'] = upstreamId;
  const suffix = upstreamId ? ` (upstream request id ${upstreamId})` : '';
  return new GatewayError({ ...mapped, message: message + suffix, headers: extra });
}

/** An `event: error` in a stream that already answered 200: classified by its `error.type` alone. */
export function mapAnthropicStreamError(error: unknown): GatewayError {
  const e = isObject(error) ? error : {};
  const type = optString(e.type) ?? 'api_error';
  const message = optString(e.message) ?? 'Upstream stream error';
  return new GatewayError({ ...classify(statusOfType(type), type, message), message });
}

function parseBody(raw: string, status: number): { type: string | null; message: string } {
  try {
    const v: unknown = JSON.parse(raw);
    const err = isObject(v) && isObject(v.error) ? v.error : undefined;
    if (err) return { type: optString(err.type) ?? null, message: optString(err.message) ?? `Upstream returned HTTP ${status}` };
  } catch {
    // not JSON: use the text
  }
  return { type: null, message: raw.trim().slice(0, 500) || `Upstream returned HTTP ${status}` };
}

function statusOfType(type: string): number {
  const byType: Record<string, number> = {
    invalid_request_error: 400,
    authentication_error: 401,
    billing_error: 402,
    permission_error: 403,
    not_found_error: 404,
    request_too_large: 413,
    rate_limit_error: 429,
    api_error: 500,
    timeout_error: 504,
    overloaded_error: 529,
  };
  return byType[type] ?? 500;
}

function classify(status: number, type: string | null, message: string): Mapped {
  if (type === 'overloaded_error' || status === 529 || status === 503) {
    return { status: 503, kind: 'overloaded', type: 'server_error', code: 'overloaded' };
  }
  if (status === 400 && CONTEXT_WINDOW.test(message)) {
    return { status: 400, kind: 'context_window', type: 'invalid_request_error', code: 'context_length_exceeded' };
  }
  switch (status) {
    case 401:
      return { status, kind: 'auth', type: 'invalid_request_error', code: 'invalid_api_key' };
    case 402:
      return { status, kind: 'permission', type: 'billing_error', code: 'billing_error' };
    case 403:
      return { status, kind: 'permission', type: 'permission_error', code: null };
    case 404:
      return { status, kind: 'not_found', type: 'invalid_request_error', code: 'model_not_found' };
    case 408:
    case 504:
      return { status: 504, kind: 'timeout', type: 'timeout', code: 'upstream_timeout' };
    case 413:
      return { status, kind: 'payload_too_large', type: 'invalid_request_error', code: 'request_too_large' };
    case 429:
      return { status, kind: 'rate_limit', type: 'rate_limit_error', code: 'rate_limit_exceeded' };
  }
  if (status >= 500) return { status, kind: 'server', type: 'server_error', code: null };
  return { status: status >= 400 ? status : 502, kind: 'bad_request', type: 'invalid_request_error', code: null };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
