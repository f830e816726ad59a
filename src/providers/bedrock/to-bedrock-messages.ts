// Canonical messages → Converse `system` + `messages` (../shared/reference/providers.md §6.2): roles alternate
// user/assistant, so consecutive messages of one role are merged and tool results go in a user message;
// images and documents are inline bytes (remote URLs are refused: Converse cannot fetch them); a part with a
// cache-control hint is followed by a `cachePoint`; blank text is left out (Converse rejects it).
import { createHash } from 'node:crypto';
import {
  badRequest,
  parseArguments,
  type AssistantPart,
  type DocumentPart,
  type ImagePart,
  type Message,
  type ToolResultPart,
  type UserPart,
} from '../../canonical/index.ts';
import type { BedrockContentBlock, BedrockImageFormat, BedrockMessage, BedrockToolResultContent, ConverseRequest } from './wire.ts';

export interface BedrockConversation {
  system?: NonNullable<ConverseRequest['system']>;
  messages: BedrockMessage[];
  /** Tool names used in the history (Converse wants a toolConfig whenever toolUse/toolResult blocks appear). */
  historyTools: Set<string>;
}

const CACHE_POINT: BedrockContentBlock = { cachePoint: { type: 'default' } };

export function toBedrockMessages(messages: Message[]): BedrockConversation {
  const system: NonNullable<ConverseRequest['system']> = [];
  const out: BedrockMessage[] = [];
  const historyTools = new Set<string>();
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        for (const p of m.content) {
          if (p.text.trim() !== '') system.push({ text: p.text });
          if (p.cacheControl) system.push({ cachePoint: { type: 'default' } });
        }
        return;
      case 'user':
        return push(out, 'user', m.content.flatMap((p, j) => userBlocks(p, `${at}.content[${j}]`)));
      case 'assistant':
        return push(out, 'assistant', m.content.flatMap((p) => assistantBlocks(p, at, historyTools)));
      case 'tool':
        return push(out, 'user', m.content.flatMap((r, j) => resultBlocks(r, `${at}.content[${j}]`, historyTools)));
    }
  });
  return system.length > 0 ? { system, messages: out, historyTools } : { messages: out, historyTools };
}

function push(out: BedrockMessage[], role: 'user' | 'assistant', blocks: BedrockContentBlock[]): void {
  if (blocks.length === 0) return;
  const last = out[out.length - 1];
  if (last && last.role === role) last.content.push(...blocks);
  else out.push({ role, content: blocks });
}

function cached(block: BedrockContentBlock | undefined, hint: unknown): BedrockContentBlock[] {
  if (!block) return hint ? [CACHE_POINT] : [];
  return hint ? [block, CACHE_POINT] : [block];
}

function userBlocks(p: UserPart, param: string): BedrockContentBlock[] {
  switch (p.type) {
    case 'text':
      return cached(p.text.trim() === '' ? undefined : { text: p.text }, p.cacheControl);
    case 'image':
      return cached({ image: image(p, param) }, p.cacheControl);
    case 'document':
      return cached({ document: document(p, param) }, p.cacheControl);
    case 'audio':
      throw badRequest('Bedrock Converse does not take audio input.', param, 'unsupported_value');
  }
}

const IMAGE_FORMATS: Record<string, BedrockImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function image(p: ImagePart, param: string): NonNullable<BedrockContentBlock['image']> {
  const s = p.source;
  if (s.kind !== 'base64') {
    throw badRequest('Bedrock needs images as inline base64 data (a data: URL); it cannot fetch image URLs.', param, 'unsupported_value');
  }
  const format = IMAGE_FORMATS[s.mediaType.toLowerCase()];
  if (!format) throw badRequest(`Bedrock takes png, jpeg, gif or webp images, not ${s.mediaType}.`, param, 'unsupported_value');
  return { format, source: { bytes: s.data } };
}

const DOC_FORMATS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/html': 'html',
  'text/markdown': 'md',
};

function document(p: DocumentPart, param: string): NonNullable<BedrockContentBlock['document']> {
  const s = p.source;
  const name = docName(p.filename ?? p.title ?? 'document');
  if (s.kind === 'text') return { format: DOC_FORMATS[s.mediaType] ?? 'txt', name, source: { bytes: Buffer.from(s.data, 'utf8').toString('base64') } };
  if (s.kind !== 'base64') throw badRequest('Bedrock needs documents as inline base64 data.', param, 'unsupported_value');
  const format = DOC_FORMATS[s.mediaType.toLowerCase()];
  if (!format) throw badRequest(`Bedrock cannot read documents of type ${s.mediaType}.`, param, 'unsupported_value');
  return { format, name, source: { bytes: s.data } };
}

/** Converse document names allow letters, digits, single spaces, hyphens, parentheses and brackets. */
function docName(name: string): string {
  const base = name.replace(/\.[A-Za-z0-9]+$/, '');
  return base.replace(/[^A-Za-z0-9 \-()[\]]/g, ' ').replace(/ {2,}/g, ' ').trim() || 'document';
}

function assistantBlocks(p: AssistantPart, at: string, tools: Set<string>): BedrockContentBlock[] {
  switch (p.type) {
    case 'text':
      return cached(p.text.trim() === '' ? undefined : { text: p.text }, p.cacheControl);
    case 'refusal':
      return p.text.trim() === '' ? [] : [{ text: p.text }];
    case 'reasoning':
      // Claude on Bedrock only accepts its own signed thinking back; unsigned reasoning (other providers) is dropped.
      return p.signature ? [{ reasoningContent: { reasoningText: { text: p.text, signature: p.signature } } }] : [];
    case 'redacted_reasoning':
      return [{ reasoningContent: { redactedContent: p.data } }];
    case 'tool_call': {
      const input = parseArguments(p.arguments);
      if (!input) throw badRequest('Bedrock needs tool call arguments that are a JSON object; an earlier assistant tool call has invalid JSON.', `${at}.tool_calls`, 'invalid_value');
      tools.add(p.name);
      return cached({ toolUse: { toolUseId: toolUseId(p.id), name: p.name, input } }, p.cacheControl);
    }
  }
}

function resultBlocks(r: ToolResultPart, param: string, tools: Set<string>): BedrockContentBlock[] {
  if (r.toolName) tools.add(r.toolName);
  const content: BedrockToolResultContent[] = [];
  if (typeof r.content === 'string') content.push({ text: r.content });
  else {
    for (const [k, c] of r.content.entries()) {
      if (c.type === 'text') content.push({ text: c.text });
      else if (c.type === 'image') content.push({ image: image(c, `${param}.content[${k}]`) });
      else content.push({ document: document(c, `${param}.content[${k}]`) });
    }
  }
  // An error result must not be empty; an empty text is fine otherwise but Converse rejects blank text blocks.
  const nonBlank = content.filter((c) => !('text' in c) || c.text.trim() !== '');
  const blocks = nonBlank.length > 0 ? nonBlank : [{ text: r.isError ? 'error' : '(empty)' }];
  const result: NonNullable<BedrockContentBlock['toolResult']> = { toolUseId: toolUseId(r.toolCallId), content: blocks };
  if (r.isError) result.status = 'error';
  return cached({ toolResult: result }, r.cacheControl);
}

/**
 * Converse tool-use ids must match [a-zA-Z0-9_-]{1,64}. Ids from other providers (Gemini ids carry a thought
 * signature) may not: they are replaced by a digest, the same for the call and its result.
 */
export function toolUseId(id: string): string {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) return id;
  return `tooluse_${createHash('sha256').update(id).digest('base64url').slice(0, 43)}`;
}
