// Request checks for the Anthropic surface: what igw itself relies on, each failure a 400
// `invalid_request_error` naming the field the way the Messages API does (`max_tokens: Field required`).
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest, isObject, type Json } from '../../canonical/index.ts';
import type { ChatView } from '../surface.ts';

const ROLES = new Set(['user', 'assistant', 'system']);

export function validateMessagesRequest(body: Json, headers: IncomingHttpHeaders, countOnly = false): ChatView {
  if (typeof body.model !== 'string' || body.model === '') throw badRequest('model: Field required', 'model', 'invalid_value');
  if (!countOnly) {
    const max = body.max_tokens;
    if (max === undefined || max === null) throw badRequest('max_tokens: Field required', 'max_tokens', 'invalid_value');
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
      throw badRequest('max_tokens: Input should be a valid integer greater than or equal to 1', 'max_tokens', 'invalid_value');
    }
  }
  const messages = body.messages;
  if (!Array.isArray(messages)) throw badRequest('messages: Field required', 'messages', 'invalid_value');
  if (messages.length === 0) throw badRequest('messages: at least one message is required', 'messages', 'invalid_value');
  messages.forEach((m, i) => {
    if (!isObject(m) || typeof m.role !== 'string' || !ROLES.has(m.role)) {
      throw badRequest(`messages.${i}.role: Input should be 'user' or 'assistant'`, `messages[${i}].role`, 'invalid_value');
    }
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
      throw badRequest(`messages.${i}.content: Input should be a valid string or list of content blocks`, `messages[${i}].content`, 'invalid_value');
    }
  });
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw badRequest('stream: Input should be a valid boolean', 'stream', 'invalid_type');
  const stream = body.stream === true;
  const clientHeaders: Record<string, string> = {};
  for (const name of ['anthropic-beta', 'anthropic-version']) {
    const v = headers[name];
    if (typeof v === 'string' && v) clientHeaders[name] = v;
  }
  return { model: body.model, stream, wantsUsage: true, clientHeaders };
}
