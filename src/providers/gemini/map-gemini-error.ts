// Gemini / Vertex error bodies (google.rpc.Status: `{"error":{code,message,status,details}}`) → one gateway
// error (../shared/reference/providers.md §5 "Errors"). The gRPC status name decides the kind where the HTTP
// status is ambiguous: a bad API key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, a too-long prompt
// is a 400 too. RESOURCE_EXHAUSTED carries its wait in RetryInfo.retryDelay ("37s"), copied to retry-after.
import { GatewayError, type ErrorKind } from '../../canonical/index.ts';
import type { GeminiErrorBody } from './wire.ts';

type ErrorInfo = NonNullable<GeminiErrorBody['error']>;

const CONTEXT_WINDOW = /input token count.*exceeds|exceeds the maximum number of tokens|prompt is too long|context window|too many tokens/i;
const BAD_KEY = /api key not valid|api_key_invalid/i;

export function mapGeminiError(status: number, rawBody: string, headers: Record<string, string | string[] | undefined>): GatewayError {
  const err = parseError(rawBody);
  return geminiErrorFrom(status, err ?? { message: rawBody.trim().slice(0, 500) || `Upstream returned HTTP ${status}` }, headers);
}

/** Also used for an `{"error":…}` event inside a stream (HTTP status is then 200; the body's `code` counts). */
export function geminiErrorFrom(status: number, err: ErrorInfo, headers: Record<string, string | string[] | undefined> = {}): GatewayError {
  const httpStatus = status >= 400 ? status : typeof err.code === 'number' && err.code >= 400 ? err.code : 500;
  const message = err.message ?? `Upstream returned HTTP ${httpStatus}`;
  const kind = classify(httpStatus, err.status, message, reasons(err));
  const extra: Record<string, string> = {};
  const retry = retryDelaySeconds(err) ?? first(headers['retry-after']);
  if (retry !== undefined) extra['retry-after'] = retry;
  return new GatewayError({
    status: statusFor(kind, httpStatus),
    kind,
    message: `Gemini: ${message}`,
    code: codeFor(kind, err.status),
    headers: extra,
  });
}

function classify(status: number, grpc: string | undefined, message: string, why: string[]): ErrorKind {
  if (why.includes('API_KEY_INVALID') || (status === 400 && BAD_KEY.test(message))) return 'auth';
  if ((status === 400 || grpc === 'INVALID_ARGUMENT') && CONTEXT_WINDOW.test(message)) return 'context_window';
  if (grpc === 'UNAUTHENTICATED' || status === 401) return 'auth';
  if (grpc === 'PERMISSION_DENIED' || status === 403) return 'permission';
  if (grpc === 'NOT_FOUND' || status === 404) return 'not_found';
  if (grpc === 'RESOURCE_EXHAUSTED' || status === 429) return 'rate_limit';
  if (grpc === 'DEADLINE_EXCEEDED' || status === 504 || status === 408) return 'timeout';
  if (grpc === 'UNAVAILABLE' || status === 503) return 'overloaded';
  if (status === 413) return 'payload_too_large';
  if (status >= 500) return 'server';
  return 'bad_request';
}

function statusFor(kind: ErrorKind, status: number): number {
  if (kind === 'auth') return 401;
  if (status < 400 || status > 599) return 502;
  return status;
}

function codeFor(kind: ErrorKind, grpc: string | undefined): string | null {
  switch (kind) {
    case 'auth': return 'invalid_api_key';
    case 'context_window': return 'context_length_exceeded';
    case 'not_found': return 'model_not_found';
    case 'rate_limit': return 'rate_limit_exceeded';
    default: return grpc ?? null;
  }
}

function parseError(raw: string): ErrorInfo | undefined {
  try {
    const json = JSON.parse(raw) as GeminiErrorBody | GeminiErrorBody[];
    // Without alt=sse the stream endpoint answers a JSON array; an error may come wrapped in one.
    const body = Array.isArray(json) ? json[0] : json;
    return body && typeof body.error === 'object' && body.error !== null ? body.error : undefined;
  } catch {
    return undefined;
  }
}

function reasons(err: ErrorInfo): string[] {
  return (err.details ?? []).map((d) => d.reason).filter((r): r is string => typeof r === 'string');
}

/** RetryInfo.retryDelay is a protobuf Duration in JSON: "37s", "1.5s". Rounded up to whole seconds. */
function retryDelaySeconds(err: ErrorInfo): string | undefined {
  for (const d of err.details ?? []) {
    if (typeof d.retryDelay !== 'string') continue;
    const m = /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay);
    if (m) return String(Math.max(1, Math.ceil(Number(m[1]))));
  }
  return undefined;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
