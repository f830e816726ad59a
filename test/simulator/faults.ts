// Error bodies (reference §1.5, §7) and the faults that replace the response with an error.

import { CONTENT_FILTER_400 } from './azure.ts';
import type { Fault } from './types.ts';

export interface ErrorReply {
  status: number;
  /** Already serialized. */
  body: string;
  headers?: Record<string, string>;
  contentType?: string;
}

/** OpenAI error envelope: all four keys always present. */
export function oaiError(message: string, type: string, param: string | null = null, code: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

export function oaiErrorReply(status: number, message: string, type: string, param: string | null = null, code: string | null = null): ErrorReply {
  return { status, body: oaiError(message, type, param, code) };
}

export const SERVER_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

const SERVER_ERROR_MESSAGES: Record<number, string> = {
  500: SERVER_ERROR_MESSAGE,
  502: 'Bad gateway.',
  503: 'The engine is currently overloaded, please try again later.',
};

export const INVALID_KEY: ErrorReply = oaiErrorReply(401,
  'Incorrect API key provided: sk-sim***. You can find your API key at https://platform.openai.com/account/api-keys.',
  'invalid_request_error', null, 'invalid_api_key');

export function streamErrorEvent(message = SERVER_ERROR_MESSAGE): string {
  return `data: ${oaiError(message, 'server_error')}\n\n`;
}

/** Faults that answer instead of the normal response; null for the others (delays, stream faults, reset). */
export function faultReply(fault: Fault, model: string | undefined): ErrorReply | null {
  switch (fault.kind) {
    case 'status': return statusReply(fault.status, fault.body, fault.headers);
    case 'server_error': {
      const status = fault.status ?? 500;
      return oaiErrorReply(status, SERVER_ERROR_MESSAGES[status], 'server_error');
    }
    case 'overloaded': return oaiErrorReply(503, SERVER_ERROR_MESSAGES[503], 'server_error');
    case 'rate_limit': return rateLimitReply(fault.retryAfterSeconds, fault.retryAfterMs, model);
    case 'context_length':
      return oaiErrorReply(400,
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
        'invalid_request_error', 'messages', 'context_length_exceeded');
    case 'invalid_key': return INVALID_KEY;
    case 'model_not_found': return modelNotFound(model ?? 'unknown');
    case 'content_filter': return { status: 400, body: CONTENT_FILTER_400 };
    default: return null;
  }
}

export function modelNotFound(model: string): ErrorReply {
  return oaiErrorReply(404, `The model \`${model}\` does not exist or you do not have access to it.`,
    'invalid_request_error', null, 'model_not_found');
}

function rateLimitReply(seconds: number | undefined, ms: number | undefined, model: string | undefined): ErrorReply {
  const retrySeconds = seconds ?? (ms !== undefined ? Math.max(1, Math.ceil(ms / 1000)) : 1);
  const headers: Record<string, string> = {
    'retry-after': String(retrySeconds),
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-reset-requests': ms !== undefined ? `${ms}ms` : `${retrySeconds}s`,
  };
  if (ms !== undefined) headers['retry-after-ms'] = String(ms);
  const message = `Rate limit reached for ${model ?? 'gpt-4o'} in organization org-sim on requests per min (RPM): ` +
    `Limit 500, Used 500, Requested 1. Please try again in ${ms !== undefined ? `${ms}ms` : `${retrySeconds}s`}.`;
  return { status: 429, body: oaiError(message, 'requests', null, 'rate_limit_exceeded'), headers };
}

function statusReply(status: number, body: unknown, headers: Record<string, string> | undefined): ErrorReply {
  if (typeof body === 'string') return { status, body, headers, contentType: 'text/plain; charset=utf-8' };
  if (body !== undefined) return { status, body: JSON.stringify(body), headers };
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : status === 403 ? 'permission_error' : 'invalid_request_error';
  const code = status === 429 ? 'rate_limit_exceeded' : null;
  return { status, body: oaiError(`Simulated ${status} error`, type, null, code), headers };
}
