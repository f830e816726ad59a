// Errors on the Anthropic surface: `{"type":"error","error":{"type","message"},"request_id"}` with the status
// the Anthropic SDK keys its error classes on (reference §3.5, §4.8): overloaded → 529, timeout → 504.
import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../../canonical/index.ts';
import { sendJson } from '../http.ts';
import { responseHeader } from '../response-headers.ts';

export function anthropicErrorType(err: GatewayError): string {
  switch (err.kind) {
    case 'auth':
      return 'authentication_error';
    case 'permission':
      return err.code === 'billing_error' ? 'billing_error' : 'permission_error';
    case 'not_found':
      return 'not_found_error';
    case 'rate_limit':
      return 'rate_limit_error';
    case 'timeout':
      return 'timeout_error';
    case 'overloaded':
      return 'overloaded_error';
    case 'payload_too_large':
      return 'request_too_large';
    case 'server':
    case 'connection':
    case 'not_implemented':
      return 'api_error';
    default:
      return err.status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export function anthropicStatus(err: GatewayError): number {
  if (err.status === 499) return 400; // the client is gone; nothing will read this
  if (err.kind === 'overloaded') return 529;
  if (err.kind === 'timeout') return 504;
  return err.status;
}

export function anthropicErrorBody(err: GatewayError, requestId?: string): string {
  const body: Record<string, unknown> = { type: 'error', error: { type: anthropicErrorType(err), message: err.message } };
  if (requestId) body.request_id = requestId;
  return JSON.stringify(body);
}

export function renderAnthropicError(res: ServerResponse, err: GatewayError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const id = responseHeader(res, 'x-request-id');
  sendJson(res, anthropicStatus(err), anthropicErrorBody(err, typeof id === 'string' ? id : undefined), err.headers);
}
