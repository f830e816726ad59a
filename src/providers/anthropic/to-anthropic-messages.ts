// Canonical messages → Anthropic `system` + `messages` (reference §4.1): system text hoisted in order,
// tool results turned into user `tool_result` blocks placed FIRST in their user message, consecutive
// same-role turns merged, empty text dropped (the API rejects empty text blocks).
import { badRequest, parseArguments, type AssistantPart, type CacheControl, type Message, type MediaSource, type TextPart, type ToolResultPart, type UserPart } from '../../canonical/index.ts';
import type {
  AnthropicBlock,
  AnthropicCacheControl,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicSource,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from './wire.ts';

export interface AnthropicConversation {
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

export function toAnthropicMessages(messages: Message[]): AnthropicConversation {
  const system: AnthropicTextBlock[] = [];
  const out: AnthropicMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system') {
      for (const p of m.content) if (p.text !== '') system.push(textBlock(p));
      continue;
    }
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks = m.role === 'assistant' ? m.content.flatMap(assistantBlock) : m.role === 'tool' ? m.content.map(toolResultBlock) : m.content.flatMap(userBlock);
    if (blocks.length === 0) continue;
    const last = out[out.length - 1];
    if (last?.role === role) last.content = role === 'user' ? resultsFirst([...last.content, ...blocks]) : [...last.content, ...blocks];
    else out.push({ role, content: blocks });
  }
  const conv: AnthropicConversation = { messages: out };
  if (system.length > 0) conv.system = system.length === 1 && !system[0].cache_control ? system[0].text : system;
  return conv;
}

/** The API wants every tool_result at the beginning of its user message. */
function resultsFirst(blocks: AnthropicBlock[]): AnthropicBlock[] {
  return [...blocks.filter((b) => b.type === 'tool_result'), ...blocks.filter((b) => b.type !== 'tool_result')];
}

export function cacheControl(cc: CacheControl | undefined): { cache_control?: AnthropicCacheControl } {
  return cc ? { cache_control: cc.ttl ? { type: 'ephemeral', ttl: cc.ttl } : { type: 'ephemeral' } } : {};
}

function textBlock(p: TextPart): AnthropicTextBlock {
  const b: AnthropicTextBlock = { type: 'text', text: p.text, ...cacheControl(p.cacheControl) };
  if (p.citations) b.citations = p.citations;
  return b;
}

function source(s: MediaSource): AnthropicSource {
  switch (s.kind) {
    case 'base64':
      return { type: 'base64', media_type: s.mediaType, data: s.data };
    case 'url':
      return { type: 'url', url: s.url };
    case 'file':
      return { type: 'file', file_id: s.fileId };
    case 'text':
      return { type: 'text', media_type: s.mediaType, data: s.data };
  }
}

function userBlock(p: UserPart): AnthropicBlock[] {
  switch (p.type) {
    case 'text':
      return p.text === '' ? [] : [textBlock(p)];
    case 'image':
      return [imageOrDocument(p.source, p.cacheControl)];
    case 'document':
      return [documentBlock(p)];
    case 'audio':
      // The parameter policy refuses audio first; this is the last line of defence.
      throw badRequest('Audio input cannot be sent to an Anthropic model.', 'messages', 'unsupported_parameter');
  }
}

/** A data URL with a PDF in an `image_url` part is a document to Anthropic (§4.1). */
function imageOrDocument(s: MediaSource, cc: CacheControl | undefined): AnthropicImageBlock | AnthropicDocumentBlock {
  if (s.kind === 'base64' && s.mediaType === 'application/pdf') return { type: 'document', source: source(s), ...cacheControl(cc) };
  return { type: 'image', source: source(s), ...cacheControl(cc) };
}

function documentBlock(p: Extract<UserPart, { type: 'document' }>): AnthropicDocumentBlock {
  const b: AnthropicDocumentBlock = { type: 'document', source: source(p.source), ...cacheControl(p.cacheControl) };
  if (p.title !== undefined) b.title = p.title;
  if (p.context !== undefined) b.context = p.context;
  if (p.citations !== undefined) b.citations = p.citations;
  return b;
}

function toolResultBlock(r: ToolResultPart): AnthropicToolResultBlock {
  const b: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: r.toolCallId };
  if (typeof r.content === 'string') b.content = r.content;
  else {
    b.content = r.content.flatMap((p): (AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock)[] => {
      if (p.type === 'text') return p.text === '' ? [] : [textBlock(p)];
      return [p.type === 'image' ? imageOrDocument(p.source, p.cacheControl) : documentBlock(p)];
    });
  }
  if (r.isError) b.is_error = true;
  Object.assign(b, cacheControl(r.cacheControl));
  return b;
}

/**
 * Reasoning without a signature (from DeepSeek-style servers) cannot be replayed to Anthropic and is left
 * out; invalid tool-call JSON is a 400 rather than a guess (§4.1).
 */
function assistantBlock(p: AssistantPart): AnthropicBlock[] {
  switch (p.type) {
    case 'text':
      return p.text === '' ? [] : [textBlock(p)];
    case 'refusal':
      return p.text === '' ? [] : [{ type: 'text', text: p.text }];
    case 'reasoning':
      return p.signature ? [{ type: 'thinking', thinking: p.text, signature: p.signature }] : [];
    case 'redacted_reasoning':
      return [{ type: 'redacted_thinking', data: p.data }];
    case 'tool_call': {
      const input = parseArguments(p.arguments);
      if (!input) {
        throw badRequest(`The arguments of tool call '${p.id}' are not a JSON object, so they cannot be sent to an Anthropic model.`, 'messages', 'invalid_value');
      }
      return [{ type: 'tool_use', id: p.id, name: p.name, input, ...cacheControl(p.cacheControl) }];
    }
  }
}
