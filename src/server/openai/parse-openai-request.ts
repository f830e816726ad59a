// OpenAI Chat Completions request → canonical (reference §1.1, §1.2). Used on the translation path only;
// the body has already passed validate.ts. Fields with no canonical counterpart go to `extensions`.
import {
  badRequest,
  isObject,
  optNumber,
  optString,
  sourceFromUrl,
  type AssistantPart,
  type CacheControl,
  type ChatRequest,
  type Json,
  type Message,
  type ReasoningEffort,
  type ResponseFormat,
  type TextPart,
  type Tool,
  type ToolChoice,
  type ToolResultPart,
  type UserPart,
} from '../../canonical/index.ts';

/** Top-level fields mapped to canonical ones (everything else is an extension). */
const MAPPED = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p',
  'top_k', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'n',
  'tools', 'tool_choice', 'parallel_tool_calls', 'response_format', 'reasoning_effort', 'user', 'safety_identifier',
  'metadata', 'service_tier',
]);

const EFFORTS = new Set<ReasoningEffort>(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);

export function parseOpenAIRequest(body: Json): ChatRequest {
  const stream = body.stream === true;
  const req: ChatRequest = { model: String(body.model), messages: parseMessages(body.messages as unknown[]), stream };
  if (stream) req.streamUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const maxTokens = optNumber(body.max_completion_tokens) ?? optNumber(body.max_tokens);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  assign(req, 'temperature', optNumber(body.temperature));
  assign(req, 'topP', optNumber(body.top_p));
  assign(req, 'topK', optNumber(body.top_k));
  assign(req, 'seed', optNumber(body.seed));
  assign(req, 'presencePenalty', optNumber(body.presence_penalty));
  assign(req, 'frequencyPenalty', optNumber(body.frequency_penalty));
  assign(req, 'topLogprobs', optNumber(body.top_logprobs));
  assign(req, 'n', optNumber(body.n));
  if (typeof body.logprobs === 'boolean') req.logprobs = body.logprobs;
  if (isObject(body.logit_bias)) req.logitBias = body.logit_bias as Record<string, number>;
  if (typeof body.stop === 'string') req.stop = [body.stop];
  else if (Array.isArray(body.stop)) req.stop = body.stop.filter((s): s is string => typeof s === 'string');
  if (Array.isArray(body.tools) && body.tools.length > 0) req.tools = body.tools.map(parseTool);
  if (body.tool_choice !== undefined && body.tool_choice !== null) req.toolChoice = parseToolChoice(body.tool_choice);
  if (typeof body.parallel_tool_calls === 'boolean') req.parallelToolCalls = body.parallel_tool_calls;
  if (isObject(body.response_format)) req.responseFormat = parseResponseFormat(body.response_format);
  if (typeof body.reasoning_effort === 'string') req.reasoning = { effort: parseEffort(body.reasoning_effort) };
  assign(req, 'user', optString(body.safety_identifier) ?? optString(body.user));
  if (isObject(body.metadata)) req.metadata = body.metadata as Record<string, string>;
  assign(req, 'serviceTier', optString(body.service_tier));
  const extra: Json = {};
  for (const key of Object.keys(body)) if (!MAPPED.has(key) && body[key] !== undefined && body[key] !== null) extra[key] = body[key];
  if (Object.keys(extra).length > 0) req.extensions = { dialect: 'openai-chat', fields: extra };
  return req;
}

function assign<K extends keyof ChatRequest>(req: ChatRequest, key: K, value: ChatRequest[K] | undefined): void {
  if (value !== undefined) req[key] = value;
}

function parseEffort(v: string): ReasoningEffort {
  if (EFFORTS.has(v as ReasoningEffort)) return v as ReasoningEffort;
  throw badRequest(`'reasoning_effort' must be one of ${[...EFFORTS].join(', ')}; got ${JSON.stringify(v)}.`, 'reasoning_effort', 'invalid_value');
}

// ---- messages

function parseMessages(list: unknown[]): Message[] {
  const out: Message[] = [];
  const toolNames = new Map<string, string>();
  list.forEach((raw, i) => {
    const m = raw as Json;
    switch (m.role) {
      case 'system':
      case 'developer':
        out.push({ role: 'system', content: textParts(m.content, `messages[${i}].content`), variant: m.role, ...named(m) });
        return;
      case 'user':
        out.push({ role: 'user', content: userParts(m.content, i), ...named(m) });
        return;
      case 'assistant':
        out.push({ role: 'assistant', content: assistantParts(m, i, toolNames), ...named(m) });
        return;
      case 'tool':
        addToolResult(out, toolResult(m, i, toolNames));
        return;
      default:
        throw badRequest(
          `'messages[${i}].role' ${JSON.stringify(m.role)} cannot be translated for this model; use 'tool' messages instead of 'function'.`,
          `messages[${i}].role`,
          'invalid_value',
        );
    }
  });
  return out;
}

function named(m: Json): { name?: string } {
  return typeof m.name === 'string' ? { name: m.name } : {};
}

/** Consecutive `tool` messages become one canonical tool message. */
function addToolResult(out: Message[], part: ToolResultPart): void {
  const last = out[out.length - 1];
  if (last?.role === 'tool') last.content.push(part);
  else out.push({ role: 'tool', content: [part] });
}

function cacheControlOf(p: Json): { cacheControl?: CacheControl } {
  const cc = p.cache_control;
  if (!isObject(cc) || cc.type !== 'ephemeral') return {};
  return { cacheControl: cc.ttl === '5m' || cc.ttl === '1h' ? { type: 'ephemeral', ttl: cc.ttl } : { type: 'ephemeral' } };
}

function textParts(content: unknown, path: string): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((p, j) => {
    if (!isObject(p) || (p.type !== 'text' && p.type !== 'refusal')) {
      throw badRequest(`'${path}[${j}]' must be a text part.`, `${path}[${j}]`, 'invalid_value');
    }
    return { type: 'text', text: String(p.text ?? p.refusal ?? ''), ...cacheControlOf(p) };
  });
}

function userParts(content: unknown, i: number): UserPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((p, j) => userPart(p, `messages[${i}].content[${j}]`));
}

function userPart(p: unknown, path: string): UserPart {
  if (!isObject(p)) throw badRequest(`'${path}' must be a content part object.`, path, 'invalid_type');
  switch (p.type) {
    case 'text':
      return { type: 'text', text: String(p.text ?? ''), ...cacheControlOf(p) };
    case 'image_url': {
      const img = isObject(p.image_url) ? p.image_url : { url: p.image_url };
      if (typeof img.url !== 'string') throw badRequest(`'${path}.image_url.url' must be a string.`, `${path}.image_url.url`, 'invalid_value');
      const d = img.detail;
      const detail = d === 'auto' || d === 'low' || d === 'high' ? { detail: d as 'auto' | 'low' | 'high' } : {};
      return { type: 'image', source: sourceFromUrl(img.url), ...detail, ...cacheControlOf(p) };
    }
    case 'input_audio': {
      const a = isObject(p.input_audio) ? p.input_audio : {};
      return { type: 'audio', data: String(a.data ?? ''), format: String(a.format ?? '') };
    }
    case 'file':
      return filePart(isObject(p.file) ? p.file : {}, p, path);
    default:
      throw badRequest(`'${path}.type' ${JSON.stringify(p.type)} is not a known content part type.`, `${path}.type`, 'invalid_value');
  }
}

function filePart(f: Json, p: Json, path: string): UserPart {
  const filename = optString(f.filename);
  const base = { type: 'document' as const, ...(filename ? { filename } : {}), ...cacheControlOf(p) };
  if (typeof f.file_id === 'string') return { ...base, source: { kind: 'file', fileId: f.file_id } };
  if (typeof f.file_data === 'string') {
    const src = sourceFromUrl(f.file_data);
    return { ...base, source: src.kind === 'url' ? { kind: 'base64', mediaType: 'application/pdf', data: f.file_data } : src };
  }
  throw badRequest(`'${path}.file' needs 'file_data' or 'file_id'.`, `${path}.file`, 'invalid_value');
}

function assistantParts(m: Json, i: number, toolNames: Map<string, string>): AssistantPart[] {
  const parts: AssistantPart[] = reasoningParts(m);
  if (typeof m.content === 'string') {
    if (m.content !== '') parts.push({ type: 'text', text: m.content });
  } else if (Array.isArray(m.content)) {
    for (const p of m.content as Json[]) {
      if (p?.type === 'refusal') parts.push({ type: 'refusal', text: String(p.refusal ?? '') });
      else if (p?.type === 'text') parts.push({ type: 'text', text: String(p.text ?? ''), ...cacheControlOf(p) });
    }
  }
  if (typeof m.refusal === 'string' && m.refusal !== '') parts.push({ type: 'refusal', text: m.refusal });
  if (Array.isArray(m.tool_calls)) {
    m.tool_calls.forEach((c: unknown, j: number) => {
      const call = isObject(c) ? c : {};
      const fn = isObject(call.function) ? call.function : {};
      const path = `messages[${i}].tool_calls[${j}]`;
      if (typeof call.id !== 'string' || typeof fn.name !== 'string') {
        throw badRequest(`'${path}' needs an 'id' and a 'function.name'.`, path, 'invalid_value');
      }
      toolNames.set(call.id, fn.name);
      const pd = isObject(call.provider_data) ? { providerData: call.provider_data } : {};
      parts.push({ type: 'tool_call', id: call.id, name: fn.name, arguments: typeof fn.arguments === 'string' ? fn.arguments : '', ...pd });
    });
  }
  return parts;
}

/**
 * Reasoning an OpenAI client replays: `thinking_blocks` (with signatures, as igw and LiteLLM return them)
 * win over the plain `reasoning_content` text, which has no signature.
 */
function reasoningParts(m: Json): AssistantPart[] {
  if (Array.isArray(m.thinking_blocks)) {
    const out: AssistantPart[] = [];
    for (const b of m.thinking_blocks as Json[]) {
      if (b?.type === 'thinking') {
        out.push({ type: 'reasoning', text: String(b.thinking ?? ''), ...(typeof b.signature === 'string' && b.signature ? { signature: b.signature } : {}) });
      } else if (b?.type === 'redacted_thinking' && typeof b.data === 'string') out.push({ type: 'redacted_reasoning', data: b.data });
    }
    return out;
  }
  return typeof m.reasoning_content === 'string' && m.reasoning_content ? [{ type: 'reasoning', text: m.reasoning_content }] : [];
}

function toolResult(m: Json, i: number, toolNames: Map<string, string>): ToolResultPart {
  if (typeof m.tool_call_id !== 'string') {
    throw badRequest(`'messages[${i}].tool_call_id' is required on tool messages.`, `messages[${i}].tool_call_id`, 'invalid_value');
  }
  const name = toolNames.get(m.tool_call_id);
  const content = typeof m.content === 'string' ? m.content : textParts(m.content, `messages[${i}].content`);
  return { type: 'tool_result', toolCallId: m.tool_call_id, ...(name ? { toolName: name } : {}), content };
}

// ---- tools and formats

function parseTool(raw: unknown, i: number): Tool {
  const t = isObject(raw) ? raw : {};
  if (t.type !== 'function') return { type: 'provider', dialect: 'openai-chat', definition: t };
  const fn = isObject(t.function) ? t.function : {};
  if (typeof fn.name !== 'string') throw badRequest(`'tools[${i}].function.name' is required.`, `tools[${i}].function.name`, 'invalid_value');
  const tool: Tool = {
    type: 'function',
    name: fn.name,
    parameters: isObject(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    ...cacheControlOf(t),
  };
  if (typeof fn.description === 'string') tool.description = fn.description;
  if (typeof fn.strict === 'boolean') tool.strict = fn.strict;
  return tool;
}

function parseToolChoice(v: unknown): ToolChoice {
  if (v === 'auto' || v === 'none' || v === 'required') return { type: v };
  if (isObject(v) && v.type === 'function' && isObject(v.function) && typeof v.function.name === 'string') {
    return { type: 'tool', name: v.function.name };
  }
  throw badRequest(
    "'tool_choice' must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}} for this model.",
    'tool_choice',
    'invalid_value',
  );
}

function parseResponseFormat(f: Json): ResponseFormat {
  if (f.type === 'json_object') return { type: 'json_object' };
  if (f.type === 'json_schema') {
    const js = isObject(f.json_schema) ? f.json_schema : {};
    const out: ResponseFormat = { type: 'json_schema', name: optString(js.name) ?? 'response' };
    if (isObject(js.schema)) out.schema = js.schema;
    if (typeof js.strict === 'boolean') out.strict = js.strict;
    if (typeof js.description === 'string') out.description = js.description;
    return out;
  }
  if (f.type === 'text') return { type: 'text' };
  throw badRequest(`'response_format.type' ${JSON.stringify(f.type)} is not supported.`, 'response_format.type', 'invalid_value');
}
