// Error rendering for the OpenAI surface: `{"error":{"message","type","param","code"}}` with the status.
import type { ServerResponse } from 'node:http';
import { GatewayError } from '../canonical/index.ts';
import { sendJson } from './http.ts';

/** Anything thrown while serving becomes a GatewayError; unknown failures are a 500 with no internals. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError({ status: 500, kind: 'server', code: 'internal_error', message: 'Internal gateway error' });
}

export function openAIErrorBody(err: GatewayError): string {
  return JSON.stringify({ error: { message: err.message, type: err.type, param: err.param, code: err.code } });
}

export function renderOpenAIError(res: ServerResponse, err: GatewayError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // 499 is a log-only status: the client is gone, nothing can be sent.
  sendJson(res, err.status === 499 ? 400 : err.status, openAIErrorBody(err), err.headers);
}
