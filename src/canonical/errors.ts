// Error kinds shared by every stage: adapters classify upstream failures into these, the router decides
// retries and fallbacks on them, and each surface renders them in its own dialect.

export type ErrorKind =
  | 'bad_request'
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'rate_limit'
  | 'timeout'
  | 'server'
  | 'overloaded'
  | 'connection'
  | 'context_window'
  | 'content_policy'
  | 'payload_too_large'
  | 'not_implemented';

/** An error with everything a surface needs to render it; `message` never contains a secret. */
export class GatewayError extends Error {
  readonly status: number;
  readonly kind: ErrorKind;
  /** Stable machine code, e.g. `model_not_found`, `invalid_api_key`. */
  readonly code: string | null;
  /** The OpenAI error `type`, e.g. `invalid_request_error`. */
  readonly type: string;
  /** The request field at fault, e.g. `messages[0].role`. */
  readonly param: string | null;
  /** Extra response headers (retry-after, upstream request id). */
  readonly headers: Record<string, string>;

  constructor(init: {
    status: number;
    kind: ErrorKind;
    message: string;
    code?: string | null;
    type?: string;
    param?: string | null;
    headers?: Record<string, string>;
  }) {
    super(init.message);
    this.status = init.status;
    this.kind = init.kind;
    this.code = init.code ?? null;
    this.type = init.type ?? defaultType(init.status);
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }
}

function defaultType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function badRequest(message: string, param: string | null = null, code: string | null = null): GatewayError {
  return new GatewayError({ status: 400, kind: 'bad_request', message, param, code, type: 'invalid_request_error' });
}
