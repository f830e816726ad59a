// Request checks for the OpenAI surface: only what igw itself relies on, each failure a 400 naming the
// field. Everything else is the upstream's to judge (its 400 is passed on).
import { badRequest } from '../../canonical/index.ts';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

export interface ChatRequestView {
  model: string;
  stream: boolean;
  /** The client asked for the usage chunk (`stream_options.include_usage`). */
  wantsUsage: boolean;
  routing: RoutingFields;
}

/** LiteLLM's per-request routing fields; igw's to act on, never forwarded upstream. */
export interface RoutingFields {
  fallbacks?: string[];
  disableFallbacks?: boolean;
  numRetries?: number;
  /** The body carries any of them (so they must be removed before forwarding). */
  present: boolean;
}

const ROUTING_KEYS = ['fallbacks', 'disable_fallbacks', 'num_retries'] as const;

const NO_ROUTING: RoutingFields = Object.freeze({ present: false });

export function routingFields(body: Record<string, unknown>): RoutingFields {
  if (body.fallbacks === undefined && body.disable_fallbacks === undefined && body.num_retries === undefined) return NO_ROUTING;
  const fallbacks = body.fallbacks;
  if (fallbacks !== undefined && (!Array.isArray(fallbacks) || !fallbacks.every((f) => typeof f === 'string'))) {
    throw badRequest("'fallbacks' must be a list of model names, e.g. [\"gpt-4o-mini\"].", 'fallbacks', 'invalid_type');
  }
  const numRetries = body.num_retries;
  if (numRetries !== undefined && (typeof numRetries !== 'number' || !Number.isInteger(numRetries) || numRetries < 0)) {
    throw badRequest("'num_retries' must be a whole number ≥ 0.", 'num_retries', 'invalid_type');
  }
  return {
    fallbacks: fallbacks as string[] | undefined,
    disableFallbacks: optionalBoolean(body, 'disable_fallbacks'),
    numRetries: numRetries as number | undefined,
    present: true,
  };
}

/** The body to forward: the client's, minus igw's routing fields when there are any. */
export function withoutRoutingFields(body: Record<string, unknown>, routing: RoutingFields): Record<string, unknown> {
  if (!routing.present) return body;
  const out = { ...body };
  for (const k of ROUTING_KEYS) delete out[k];
  return out;
}

export function validateChatRequest(body: Record<string, unknown>): ChatRequestView {
  const model = requireModel(body);
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw badRequest("'messages' must be a non-empty array of message objects.", 'messages', 'invalid_value');
  }
  for (let i = 0; i < messages.length; i++) validateMessage(messages[i], i);
  const stream = optionalBoolean(body, 'stream') ?? false;
  const opts = body.stream_options;
  if (opts !== undefined && opts !== null && (typeof opts !== 'object' || Array.isArray(opts))) {
    throw badRequest("'stream_options' must be an object, e.g. {\"include_usage\": true}.", 'stream_options', 'invalid_type');
  }
  if (body.tools !== undefined && body.tools !== null && !Array.isArray(body.tools)) {
    throw badRequest("'tools' must be an array of tool definitions.", 'tools', 'invalid_type');
  }
  for (const field of ['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'n'] as const) optionalNumber(body, field);
  const wantsUsage = stream && (opts as { include_usage?: unknown } | undefined)?.include_usage === true;
  return { model, stream, wantsUsage, routing: routingFields(body) };
}

function validateMessage(m: unknown, i: number): void {
  if (!m || typeof m !== 'object' || Array.isArray(m)) {
    throw badRequest(`'messages[${i}]' must be an object with 'role' and 'content'.`, `messages[${i}]`, 'invalid_type');
  }
  const role = (m as { role?: unknown }).role;
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw badRequest(
      `'messages[${i}].role' must be one of ${[...ROLES].join(', ')}; got ${JSON.stringify(role) ?? 'nothing'}.`,
      `messages[${i}].role`,
      'invalid_value',
    );
  }
  const content = (m as { content?: unknown }).content;
  if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
    throw badRequest(`'messages[${i}].content' must be a string or an array of content parts.`, `messages[${i}].content`, 'invalid_type');
  }
}

export interface EmbeddingsRequestView {
  model: string;
  base64: boolean;
}

export function validateEmbeddingsRequest(body: Record<string, unknown>): EmbeddingsRequestView {
  const model = requireModel(body);
  const input = body.input;
  const okInput = typeof input === 'string' || (Array.isArray(input) && input.length > 0);
  if (!okInput) {
    throw badRequest("'input' must be a string, an array of strings, or an array of token arrays.", 'input', 'invalid_value');
  }
  const enc = body.encoding_format;
  if (enc !== undefined && enc !== 'float' && enc !== 'base64') {
    throw badRequest(`'encoding_format' must be "float" or "base64"; got ${JSON.stringify(enc)}.`, 'encoding_format', 'invalid_value');
  }
  optionalNumber(body, 'dimensions');
  return { model, base64: enc === 'base64' };
}

function requireModel(body: Record<string, unknown>): string {
  const model = body.model;
  if (typeof model !== 'string' || model.length === 0) {
    throw badRequest("'model' is required and must be a string naming one of the gateway's models (see GET /v1/models).", 'model', 'invalid_value');
  }
  return model;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`'${field}' must be a boolean; got ${typeof v}.`, field, 'invalid_type');
  return v;
}

function optionalNumber(body: Record<string, unknown>, field: string): void {
  const v = body[field];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badRequest(`'${field}' must be a number; got ${typeof v}.`, field, 'invalid_type');
}
