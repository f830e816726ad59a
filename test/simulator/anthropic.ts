// Anthropic Messages route of the simulator: POST /v1/messages (reference §3). Auth by `x-api-key` or
// Bearer; `anthropic-version` required; the request is checked the way the API checks it (so a translator
// that leaks an OpenAI field, an empty text block or a misplaced tool_result gets the real 400); replies,
// streams, errors and faults in Anthropic's shapes. Directives as for chat (./index.ts), read from the text
// blocks of the last user message.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { thinkingSignature, messageBody, planMessage, type PlanState } from './anthropic-plan.ts';
import { anthropicStreamErrorEvent, anthropicStreamEvents } from './anthropic-stream.ts';
import type { Directives } from './directives.ts';
import type { ErrorReply } from './faults.ts';
import { cut, writeStream } from './stream.ts';
import type { Fault } from './types.ts';

export const MESSAGES_PATH = '/v1/messages';
export const NO_SAMPLING_VERSION = '2026-10-21';

const TOP_LEVEL = new Set([
  'model', 'max_tokens', 'messages', 'system', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'tools', 'tool_choice',
  'thinking', 'output_config', 'metadata', 'stream', 'service_tier', 'container', 'context_management', 'inference_geo',
  'speed', 'mcp_servers', 'cache_control',
]);
const BLOCK_KEYS: Record<string, string[]> = {
  text: ['type', 'text', 'cache_control', 'citations'],
  image: ['type', 'source', 'cache_control'],
  document: ['type', 'source', 'title', 'context', 'citations', 'cache_control'],
  tool_use: ['type', 'id', 'name', 'input', 'cache_control'],
  tool_result: ['type', 'tool_use_id', 'content', 'is_error', 'cache_control'],
  thinking: ['type', 'thinking', 'signature'],
  redacted_thinking: ['type', 'data'],
};
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export interface AnthropicCtx {
  n: number;
  start: number;
}

export function anthropicError(status: number, type: string, message: string, headers?: Record<string, string>): ErrorReply {
  return { status, body: JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_sim' }), headers };
}

function headersFor(ctx: AnthropicCtx, extra?: Record<string, string>): Record<string, string | number> {
  return {
    'request-id': `req_sim_${ctx.n}`,
    'anthropic-organization-id': 'org-sim',
    'anthropic-ratelimit-requests-limit': '4000',
    'anthropic-ratelimit-requests-remaining': '3999',
    'anthropic-ratelimit-requests-reset': new Date(ctx.start + 1000).toISOString(),
    ...extra,
  };
}

export function sendAnthropic(res: ServerResponse, ctx: AnthropicCtx, status: number, body: string, extra?: Record<string, string>): void {
  if (res.destroyed) return;
  const h = headersFor(ctx, extra);
  h['content-type'] = 'application/json';
  h['content-length'] = Buffer.byteLength(body);
  res.writeHead(status, h);
  res.end(body);
}

const sendReply = (res: ServerResponse, ctx: AnthropicCtx, e: ErrorReply): void => sendAnthropic(res, ctx, e.status, e.body, e.headers);

/** Faults that answer with an Anthropic error instead of the message (§3.5); null for the others. */
export function anthropicFaultReply(fault: Fault, model: string | undefined): ErrorReply | null {
  switch (fault.kind) {
    case 'rate_limit': {
      const seconds = fault.retryAfterSeconds ?? (fault.retryAfterMs !== undefined ? Math.max(1, Math.ceil(fault.retryAfterMs / 1000)) : 1);
      return anthropicError(429, 'rate_limit_error', 'This request would exceed the rate limit for your organization of 50 requests per minute.', { 'retry-after': String(seconds) });
    }
    case 'overloaded': return anthropicError(529, 'overloaded_error', 'Overloaded');
    case 'server_error': return anthropicError(fault.status ?? 500, 'api_error', 'Internal server error');
    case 'status': return anthropicError(fault.status, statusType(fault.status), `Simulated ${fault.status} error`, fault.headers);
    case 'context_length': return anthropicError(400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum');
    case 'invalid_key': return anthropicError(401, 'authentication_error', 'invalid x-api-key');
    case 'model_not_found': return anthropicError(404, 'not_found_error', `model: ${model ?? 'unknown'}`);
    case 'content_filter': return anthropicError(400, 'invalid_request_error', 'Output blocked by content filtering policy');
    default: return null;
  }
}

function statusType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error', 401: 'authentication_error', 402: 'billing_error', 403: 'permission_error', 404: 'not_found_error',
    413: 'request_too_large', 429: 'rate_limit_error', 504: 'timeout_error', 529: 'overloaded_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function anthropicAuthorized(req: IncomingMessage, apiKey: string | undefined): boolean {
  return apiKey === undefined || req.headers['x-api-key'] === apiKey || req.headers.authorization === `Bearer ${apiKey}`;
}

/** The last user message and the text of its text blocks (tool results excluded). */
export function lastUserText(body: any): { message: any; text: string } {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return { message: m, text: m.content };
    const text = Array.isArray(m.content) ? m.content.filter((b: any) => b?.type === 'text').map((b: any) => b.text).join('\n') : '';
    return { message: m, text };
  }
  return { message: undefined, text: '' };
}

export interface MessagesRun {
  req: IncomingMessage;
  res: ServerResponse;
  ctx: AnthropicCtx;
  body: any;
  malformed: boolean;
  apiKey?: string;
  /** A queued fault (applied before anything else). */
  fault?: Fault;
  directives: Directives;
  /** Applies the `times=N` bookkeeping; returns the directive's fault when it should fire. */
  directiveFault(d: Directives): Fault | undefined;
  state: PlanState;
}

/** Handles one POST /v1/messages. Returns when the response is complete or handed to the stream writer. */
export async function handleMessages(run: MessagesRun, preFault: (f: Fault) => Promise<boolean>): Promise<void> {
  const { req, res, ctx, body } = run;
  let fault = run.fault;
  if (fault && (await preFault(fault))) return;
  if (!anthropicAuthorized(req, run.apiKey)) return sendReply(res, ctx, anthropicError(401, 'authentication_error', 'invalid x-api-key'));
  const version = req.headers['anthropic-version'];
  if (typeof version !== 'string' || !version) return sendReply(res, ctx, anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required'));
  if (run.malformed || !body) return sendReply(res, ctx, anthropicError(400, 'invalid_request_error', 'There was an error parsing the body of your request'));
  const problem = validate(body, version);
  if (problem) return sendReply(res, ctx, anthropicError(400, 'invalid_request_error', problem));
  const d = run.directives;
  if (d.faultError) return sendReply(res, ctx, anthropicError(400, 'invalid_request_error', `simulator: ${d.faultError}`));
  if (!fault) {
    fault = run.directiveFault(d);
    if (fault && (await preFault(fault))) return;
  }
  const plan = planMessage(body, d, lastUserText(body).message, run.state);
  if (body.stream !== true) {
    if (fault?.kind === 'stream_error') return sendReply(res, ctx, anthropicError(529, 'overloaded_error', fault.message ?? 'Overloaded'));
    const text = messageBody(plan);
    if (fault?.kind !== 'cut_stream') return sendAnthropic(res, ctx, 200, text);
    res.writeHead(200, { ...headersFor(ctx), 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.write(text.slice(0, text.length >> 1));
    return cut(res);
  }
  if (res.destroyed) return;
  res.writeHead(200, { ...headersFor(ctx), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  writeStream(res, anthropicStreamEvents(plan), {
    delayMs: fault?.kind === 'chunk_delay' ? fault.delayMs : undefined,
    cutAfter: fault?.kind === 'cut_stream' ? fault.afterChunks : undefined,
    errorAfter: fault?.kind === 'stream_error' ? fault.afterChunks : undefined,
    errorEvent: fault?.kind === 'stream_error' ? anthropicStreamErrorEvent(fault.message) : undefined,
    endsWithDone: false,
  });
}

// ---- validation: the checks the API makes that a translator can get wrong (§0.2, §3.2)

function validate(body: any, version: string): string | undefined {
  for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) return `${key}: Extra inputs are not permitted`;
  if (typeof body.model !== 'string' || !body.model) return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: Field required';
  if (version >= NO_SAMPLING_VERSION) {
    for (const p of ['temperature', 'top_p', 'top_k']) if (body[p] !== undefined) return `${p}: not supported in API version ${version}`;
  }
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) return 'temperature: Input should be less than or equal to 1';
  const thinking = body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';
  if (thinking) {
    if (body.temperature !== undefined && body.temperature !== 1) return '`temperature` may only be set to 1 when thinking is enabled.';
    if (body.top_k !== undefined) return '`top_k` is not supported when thinking is enabled.';
    if (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool') return 'Thinking may not be enabled when tool_choice forces tool use.';
    if (body.thinking.type === 'enabled') {
      const budget = body.thinking.budget_tokens;
      if (!Number.isInteger(budget) || budget < 1024) return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
      if (budget >= body.max_tokens) return '`max_tokens` must be greater than `thinking.budget_tokens`.';
    }
  }
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) return 'system: Input should be a valid string or list';
  if (Array.isArray(body.system)) for (const b of body.system) if (b?.type !== 'text' || !b.text) return 'system: text content blocks must be non-empty';
  return validateMessages(body.messages, thinking);
}

function validateMessages(messages: any[], thinking: boolean): string | undefined {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m?.role !== 'user' && m?.role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (typeof m.content === 'string') {
      if (m.content === '' && !(m.role === 'assistant' && i === messages.length - 1)) return `messages.${i}: text content blocks must be non-empty`;
      continue;
    }
    if (!Array.isArray(m.content)) return `messages.${i}.content: Input should be a valid list`;
    for (let j = 0; j < m.content.length; j++) {
      const problem = validateBlock(m.content[j], m.role, `messages.${i}.content.${j}`);
      if (problem) return problem;
    }
    const pairing = checkToolPairing(messages, i);
    if (pairing) return pairing;
    if (thinking && m.role === 'assistant' && i === lastAssistantWithTools(messages) && m.content[0]?.type !== 'thinking' && m.content[0]?.type !== 'redacted_thinking') {
      return `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${m.content[0]?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`;
    }
  }
  return undefined;
}

function validateBlock(b: any, role: string, path: string): string | undefined {
  const allowed = BLOCK_KEYS[b?.type];
  if (!allowed) return `${path}.type: Input tag '${b?.type}' found using 'type' does not match any of the expected tags`;
  for (const key of Object.keys(b)) if (!allowed.includes(key)) return `${path}.${b.type}.${key}: Extra inputs are not permitted`;
  if (b.type === 'text' && (typeof b.text !== 'string' || b.text === '')) return `${path}: text content blocks must be non-empty`;
  if (b.type === 'image') {
    const s = b.source;
    if (s?.type === 'base64' && !IMAGE_TYPES.has(s.media_type)) return `${path}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`;
    if (s?.type !== 'base64' && s?.type !== 'url' && s?.type !== 'file') return `${path}.source: Input tag '${s?.type}' does not match any of the expected tags`;
  }
  if (b.type === 'tool_use' && (typeof b.input !== 'object' || b.input === null || Array.isArray(b.input))) return `${path}.tool_use.input: Input should be a valid dictionary`;
  if ((b.type === 'tool_use' || b.type === 'thinking' || b.type === 'redacted_thinking') && role !== 'assistant') return `${path}: ${b.type} blocks are only allowed in assistant messages`;
  if (b.type === 'tool_result' && role !== 'user') return `${path}: tool_result blocks are only allowed in user messages`;
  if (b.type === 'thinking' && b.signature !== thinkingSignature(b.thinking)) return `${path}: Invalid \`signature\` in \`thinking\` block`;
  return undefined;
}

/** Every tool_use must be answered by tool_result blocks at the beginning of the next user message. */
function checkToolPairing(messages: any[], i: number): string | undefined {
  const m = messages[i];
  if (m.role !== 'assistant') return undefined;
  const ids: string[] = m.content.filter((b: any) => b?.type === 'tool_use').map((b: any) => b.id);
  if (ids.length === 0 || i === messages.length - 1) return undefined;
  const next = messages[i + 1];
  const blocks: any[] = Array.isArray(next?.content) ? next.content : [];
  let leading = 0;
  while (leading < blocks.length && blocks[leading]?.type === 'tool_result') leading++;
  const answered = new Set(blocks.slice(0, leading).map((b) => b.tool_use_id));
  const missing = ids.filter((id) => !answered.has(id));
  if (missing.length === 0) return undefined;
  if (blocks.some((b, k) => k >= leading && b?.type === 'tool_result')) {
    return `messages.${i + 1}: Did not find ${missing.length} \`tool_result\` block(s) at the beginning of this message. Messages following \`tool_use\` blocks must begin with a matching number of \`tool_result\` blocks.`;
  }
  return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
}

function lastAssistantWithTools(messages: any[]): number {
  const last = messages.length - 1;
  // The check applies to the turn that is being continued: the assistant message right before the last user turn.
  for (let i = last; i >= 0; i--) {
    if (messages[i]?.role === 'assistant') {
      return Array.isArray(messages[i].content) && messages[i].content.some((b: any) => b?.type === 'tool_use') ? i : -1;
    }
  }
  return -1;
}
