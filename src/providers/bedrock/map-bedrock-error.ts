// Bedrock errors → one gateway error (../shared/reference/providers.md §6.5). The exception name comes from
// the `x-amzn-ErrorType` header, else the body's `code` or `__type` (everything after `:` or `#` stripped, as
// the AWS SDK does); the message from `message` / `Message`. In a ConverseStream the same names arrive as
// `:exception-type` headers (camelCase) with a `{"message"}` payload: see bedrockExceptionError.
import { GatewayError, type ErrorKind } from '../../canonical/index.ts';

const CONTEXT_WINDOW = /too long|too many (input )?tokens|context (window|length)|maximum (context|input)|exceeds? the max/i;

interface Mapped {
  kind: ErrorKind;
  status: number;
  code: string;
}

/** Exception name (PascalCase or the stream's camelCase) → kind and the status clients see. */
function classify(name: string, status: number, message: string): Mapped {
  const n = name.charAt(0).toUpperCase() + name.slice(1);
  switch (n) {
    case 'ValidationException':
      return CONTEXT_WINDOW.test(message)
        ? { kind: 'context_window', status: 400, code: 'context_length_exceeded' }
        : { kind: 'bad_request', status: 400, code: n };
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    case 'IncompleteSignatureException':
    case 'MissingAuthenticationTokenException':
      return { kind: 'auth', status: 401, code: 'invalid_api_key' };
    case 'AccessDeniedException':
      return { kind: 'permission', status: 403, code: n };
    case 'ResourceNotFoundException':
      return { kind: 'not_found', status: 404, code: 'model_not_found' };
    case 'ModelTimeoutException':
      return { kind: 'timeout', status: 504, code: n };
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
    case 'TooManyRequestsException':
      return { kind: 'rate_limit', status: 429, code: 'rate_limit_exceeded' };
    case 'ModelNotReadyException':
    case 'ServiceUnavailableException':
      return { kind: 'overloaded', status: 503, code: n };
    case 'ModelErrorException':
    case 'ModelStreamErrorException':
    case 'InternalServerException':
      // 424 (model failure) is not retried by SDKs; as a 5xx it is, and the router may fall back.
      return { kind: 'server', status: status === 424 || status < 500 ? 502 : status, code: n };
    default:
      return byStatus(status, message, n);
  }
}

function byStatus(status: number, message: string, name: string): Mapped {
  const code = name || `http_${status}`;
  if (status === 400 && CONTEXT_WINDOW.test(message)) return { kind: 'context_window', status, code: 'context_length_exceeded' };
  if (status === 401) return { kind: 'auth', status, code: 'invalid_api_key' };
  if (status === 403) return { kind: 'permission', status, code };
  if (status === 404) return { kind: 'not_found', status, code };
  if (status === 408 || status === 504) return { kind: 'timeout', status: 504, code };
  if (status === 429) return { kind: 'rate_limit', status, code: 'rate_limit_exceeded' };
  if (status === 503) return { kind: 'overloaded', status, code };
  if (status >= 500) return { kind: 'server', status, code };
  return { kind: 'bad_request', status: status >= 400 && status < 500 ? status : 502, code };
}

export function mapBedrockError(status: number, rawBody: string, headers: Record<string, string | string[] | undefined>): GatewayError {
  const body = parseBody(rawBody);
  const name = cleanName(first(headers['x-amzn-errortype']) ?? str(body.code) ?? str(body.__type) ?? '');
  const message = str(body.message) ?? str(body.Message) ?? (rawBody.trim().slice(0, 500) || `Upstream returned HTTP ${status}`);
  const m = classify(name, status, message);
  const extra: Record<string, string> = {};
  const requestId = first(headers['x-amzn-requestid']);
  if (requestId) extra['x-igw-upstream-request-id'] = requestId;
  const retryAfter = first(headers['retry-after']);
  if (retryAfter) extra['retry-after'] = retryAfter;
  return new GatewayError({ status: m.status, kind: m.kind, code: m.code, message: `Bedrock: ${message}`, headers: extra });
}

/** An `exception` message inside a ConverseStream (HTTP 200 already sent). */
export function bedrockExceptionError(exceptionType: string, payload: string): GatewayError {
  const body = parseBody(payload);
  const message = str(body.message) ?? str(body.Message) ?? exceptionType;
  const m = classify(exceptionType, 500, message);
  return new GatewayError({ status: m.status, kind: m.kind, code: m.code, message: `Bedrock: ${message}` });
}

/** `ThrottlingException:http://internal…` or `com.amazon.coral#ThrottlingException` → `ThrottlingException`. */
function cleanName(raw: string): string {
  const colon = raw.indexOf(':');
  const noUrl = colon >= 0 ? raw.slice(0, colon) : raw;
  return noUrl.slice(noUrl.lastIndexOf('#') + 1);
}

function parseBody(raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
