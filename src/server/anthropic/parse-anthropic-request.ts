// Anthropic Messages request → canonical (reference §3.2, §4.2). `tool_result` blocks become a canonical
// tool message placed before the rest of their user message; `{role:"system"}` entries (SDK 1.x) are
// hoisted next to `system`; fields with no canonical counterpart go to `extensions`.
import {
  badRequest,
  isObject,
  optNumber,
  optString,
  type AssistantPart,
  type CacheControl,
  type ChatRequest,
  type DocumentPart,
  type ImagePart,
  type Json,
  type MediaSource,
  type Message,
  type ReasoningConfig,
  type ReasoningEffort,
  type TextPart,
  type Tool,
  type ToolChoice,
  type ToolResultPart,
  type UserPart,
} from '../../canonical/index.ts';

const MAPPED = new Set([
  'model', 'messages', 'system', 'max_tokens', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'tools',
  'tool_choice', 'thinking', 'output_config', 'metadata', 'stream', 'service_tier',
]);

const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

export function parseAnthropicRequest(body: Json): ChatRequest {
  const toolNames = new Map<string, string>();
  const system: Message[] = systemMessages(body.system);
  const messages: Message[] = [];
  (body.messages as unknown[]).forEach((raw, i) => {
    const m = raw as Json;
    if (m.role === 'system') system.push({ role: 'system', content: textOnly(m.content, `messages[${i}].content`) });
    else if (m.role === 'assistant') messages.push({ role: 'assistant', content: assistantParts(m.content, i, toolNames) });
    else messages.push(...userMessages(m.content, i, toolNames));
  });
  const req: ChatRequest = { model: String(body.model), messages: [...system, ...messages], stream: body.stream === true, streamUsage: true };
  const maxTokens = optNumber(body.max_tokens);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0) req.stop = body.stop_sequences.filter((s): s is string => typeof s === 'string');
  const temperature = optNumber(body.temperature);
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optNumber(body.top_p);
  if (topP !== undefined) req.topP = topP;
  const topK = optNumber(body.top_k);
  if (topK !== undefined) req.topK = topK;
  if (Array.isArray(body.tools) && body.tools.length > 0) req.tools = body.tools.map(parseTool);
  if (isObject(body.tool_choice)) applyToolChoice(req, body.tool_choice);
  const reasoning = reasoningOf(body.thinking, body.output_config);
  if (reasoning) req.reasoning = reasoning;
  const format = isObject(body.output_config) ? body.output_config.format : undefined;
  if (isObject(format) && format.type === 'json_schema') {
    req.responseFormat = { type: 'json_schema', name: 'output', strict: true, ...(isObject(format.schema) ? { schema: format.schema } : {}) };
  }
  const userId = isObject(body.metadata) ? optString(body.metadata.user_id) : undefined;
  if (userId !== undefined) req.user = userId;
  const tier = optString(body.service_tier);
  if (tier !== undefined) req.serviceTier = tier;
  const extra: Json = {};
  for (const key of Object.keys(body)) if (!MAPPED.has(key) && body[key] !== undefined && body[key] !== null) extra[key] = body[key];
  if (isObject(body.output_config)) {
    const { effort: _e, format: _f, ...rest } = body.output_config;
    if (Object.keys(rest).length > 0) extra.output_config = rest;
  }
  if (Object.keys(extra).length > 0) req.extensions = { dialect: 'anthropic-messages', fields: extra };
  return req;
}

// ---- content

function cacheControlOf(b: Json): { cacheControl?: CacheControl } {
  const cc = b.cache_control;
  if (!isObject(cc) || cc.type !== 'ephemeral') return {};
  return { cacheControl: cc.ttl === '5m' || cc.ttl === '1h' ? { type: 'ephemeral', ttl: cc.ttl } : { type: 'ephemeral' } };
}

function systemMessages(system: unknown): Message[] {
  if (system === undefined || system === null) return [];
  const parts = textOnly(system, 'system');
  return parts.length > 0 ? [{ role: 'system', content: parts }] : [];
}

function textOnly(content: unknown, path: string): TextPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((b, j) => {
    if (!isObject(b) || b.type !== 'text') throw badRequest(`${path}.${j}: only text blocks are allowed here.`, `${path}[${j}]`, 'invalid_value');
    return textPart(b);
  });
}

function textPart(b: Json): TextPart {
  const part: TextPart = { type: 'text', text: String(b.text ?? ''), ...cacheControlOf(b) };
  if (Array.isArray(b.citations) && b.citations.length > 0) part.citations = b.citations;
  return part;
}

function source(s: unknown, path: string): MediaSource {
  const src = isObject(s) ? s : {};
  switch (src.type) {
    case 'base64':
      return { kind: 'base64', mediaType: String(src.media_type ?? ''), data: String(src.data ?? '') };
    case 'url':
      return { kind: 'url', url: String(src.url ?? '') };
    case 'file':
      return { kind: 'file', fileId: String(src.file_id ?? '') };
    case 'text':
      return { kind: 'text', mediaType: String(src.media_type ?? 'text/plain'), data: String(src.data ?? '') };
    default:
      throw badRequest(`${path}.source.type ${JSON.stringify(src.type)} cannot be sent to this model.`, `${path}.source`, 'invalid_value');
  }
}

function mediaPart(b: Json, path: string): ImagePart | DocumentPart {
  if (b.type === 'image') return { type: 'image', source: source(b.source, path), ...cacheControlOf(b) };
  const doc: DocumentPart = { type: 'document', source: source(b.source, path), ...cacheControlOf(b) };
  if (typeof b.title === 'string') doc.title = b.title;
  if (typeof b.context === 'string') doc.context = b.context;
  if (b.citations !== undefined) doc.citations = b.citations;
  return doc;
}

/** One user turn: its tool results first (one canonical tool message), then the rest. */
function userMessages(content: unknown, i: number, toolNames: Map<string, string>): Message[] {
  if (typeof content === 'string') return [{ role: 'user', content: [{ type: 'text', text: content }] }];
  if (!Array.isArray(content)) return [{ role: 'user', content: [] }];
  const results: ToolResultPart[] = [];
  const parts: UserPart[] = [];
  content.forEach((raw, j) => {
    const b = isObject(raw) ? raw : {};
    const path = `messages.${i}.content.${j}`;
    if (b.type === 'text') parts.push(textPart(b));
    else if (b.type === 'image' || b.type === 'document') parts.push(mediaPart(b, path));
    else if (b.type === 'tool_result') results.push(toolResult(b, path, toolNames));
    else throw badRequest(`${path}: block type ${JSON.stringify(b.type)} is not allowed in a user message for this model.`, path, 'invalid_value');
  });
  const out: Message[] = [];
  if (results.length > 0) out.push({ role: 'tool', content: results });
  if (parts.length > 0 || results.length === 0) out.push({ role: 'user', content: parts });
  return out;
}

function toolResult(b: Json, path: string, toolNames: Map<string, string>): ToolResultPart {
  const id = String(b.tool_use_id ?? '');
  const name = toolNames.get(id);
  let content: ToolResultPart['content'] = '';
  if (typeof b.content === 'string') content = b.content;
  else if (Array.isArray(b.content)) {
    content = b.content.map((raw, k) => {
      const c = isObject(raw) ? raw : {};
      if (c.type === 'text') return textPart(c);
      if (c.type === 'image' || c.type === 'document') return mediaPart(c, `${path}.content.${k}`);
      throw badRequest(`${path}.content.${k}: block type ${JSON.stringify(c.type)} cannot be sent to this model.`, path, 'invalid_value');
    });
  }
  const part: ToolResultPart = { type: 'tool_result', toolCallId: id, ...(name ? { toolName: name } : {}), content, ...cacheControlOf(b) };
  if (b.is_error === true) part.isError = true;
  return part;
}

function assistantParts(content: unknown, i: number, toolNames: Map<string, string>): AssistantPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.flatMap((raw, j): AssistantPart[] => {
    const b = isObject(raw) ? raw : {};
    switch (b.type) {
      case 'text':
        return [textPart(b)];
      case 'thinking':
        return [{ type: 'reasoning', text: String(b.thinking ?? ''), ...(typeof b.signature === 'string' && b.signature ? { signature: b.signature } : {}) }];
      case 'redacted_thinking':
        return [{ type: 'redacted_reasoning', data: String(b.data ?? '') }];
      case 'tool_use': {
        const id = String(b.id ?? '');
        const name = String(b.name ?? '');
        toolNames.set(id, name);
        const pd = isObject(b.provider_data) ? { providerData: b.provider_data } : {};
        return [{ type: 'tool_call', id, name, arguments: JSON.stringify(isObject(b.input) ? b.input : {}), ...cacheControlOf(b), ...pd }];
      }
      default:
        throw badRequest(`messages.${i}.content.${j}: block type ${JSON.stringify(b.type)} cannot be sent to this model.`, `messages.${i}.content.${j}`, 'invalid_value');
    }
  });
}

// ---- tools and reasoning

function parseTool(raw: unknown, i: number): Tool {
  const t = isObject(raw) ? raw : {};
  if (t.type !== undefined && t.type !== 'custom') return { type: 'provider', dialect: 'anthropic-messages', definition: t };
  if (typeof t.name !== 'string') throw badRequest(`tools.${i}.name: Field required`, `tools[${i}].name`, 'invalid_value');
  const tool: Tool = { type: 'function', name: t.name, parameters: isObject(t.input_schema) ? t.input_schema : { type: 'object', properties: {} }, ...cacheControlOf(t) };
  if (typeof t.description === 'string') tool.description = t.description;
  if (typeof t.strict === 'boolean') tool.strict = t.strict;
  return tool;
}

function applyToolChoice(req: ChatRequest, c: Json): void {
  const choice: ToolChoice | undefined =
    c.type === 'auto' ? { type: 'auto' } : c.type === 'any' ? { type: 'required' } : c.type === 'none' ? { type: 'none' } : c.type === 'tool' && typeof c.name === 'string' ? { type: 'tool', name: c.name } : undefined;
  if (!choice) throw badRequest(`tool_choice.type ${JSON.stringify(c.type)} is not one of auto, any, tool, none.`, 'tool_choice', 'invalid_value');
  req.toolChoice = choice;
  if (c.disable_parallel_tool_use === true) req.parallelToolCalls = false;
}

function reasoningOf(thinking: unknown, outputConfig: unknown): ReasoningConfig | undefined {
  const r: ReasoningConfig = {};
  if (isObject(thinking)) {
    if (thinking.type === 'enabled') {
      r.mode = 'enabled';
      const budget = optNumber(thinking.budget_tokens);
      if (budget !== undefined) r.budgetTokens = budget;
    } else if (thinking.type === 'disabled' || thinking.type === 'adaptive') r.mode = thinking.type;
    if (typeof thinking.display === 'string') r.display = thinking.display;
  }
  const effort = isObject(outputConfig) ? outputConfig.effort : undefined;
  if (typeof effort === 'string' && EFFORTS.has(effort)) r.effort = effort as ReasoningEffort;
  return Object.keys(r).length > 0 ? r : undefined;
}
