// Canonical messages → Gemini `systemInstruction` + `contents` (../shared/reference/providers.md §5):
// roles are `user` and `model` only; system text is hoisted into `systemInstruction`; tool results become
// `functionResponse` parts of a user content (their `name` is required, `response` must be an object);
// consecutive contents of one role are merged so all results of a turn sit in one content.
import {
  badRequest,
  type AssistantPart,
  type DocumentPart,
  type ImagePart,
  type Message,
  type ToolResultPart,
  type UserPart,
} from '../../canonical/index.ts';
import { splitSignedId } from './thought-signature.ts';
import type { GeminiContent, GeminiPart } from './wire.ts';

export interface GeminiConversation {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

export function toGeminiContents(messages: Message[]): GeminiConversation {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
        for (const p of m.content) system.push({ text: p.text });
        return;
      case 'user':
        return push(contents, 'user', m.content.map((p, j) => userPart(p, `messages[${i}].content[${j}]`)));
      case 'assistant':
        return push(contents, 'model', m.content.flatMap((p) => modelParts(p, i, toolNames)));
      case 'tool':
        return push(contents, 'user', m.content.flatMap((r, j) => resultParts(r, toolNames, `messages[${i}].content[${j}]`)));
    }
  });
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

function push(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last && last.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function userPart(p: UserPart, param: string): GeminiPart {
  switch (p.type) {
    case 'text':
      return { text: p.text };
    case 'image':
    case 'document':
      return mediaPart(p, param);
    case 'audio':
      return { inlineData: { mimeType: `audio/${p.format}`, data: p.data } };
  }
}

/** Inline bytes, or a file reference Gemini can read itself (gs:// on Vertex, Files API URIs, https URLs). */
export function mediaPart(p: ImagePart | DocumentPart, param: string): GeminiPart {
  const s = p.source;
  switch (s.kind) {
    case 'base64':
      return { inlineData: { mimeType: s.mediaType, data: s.data } };
    case 'text':
      return { text: s.data };
    case 'url': {
      const mimeType = guessMimeType(s.url, p.type);
      return { fileData: mimeType ? { mimeType, fileUri: s.url } : { fileUri: s.url } };
    }
    case 'file':
      throw badRequest(`Gemini cannot read file id '${s.fileId}'; send the content inline.`, param, 'unsupported_value');
  }
}

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
};

function guessMimeType(url: string, type: 'image' | 'document'): string | undefined {
  const path = url.split(/[?#]/, 1)[0];
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return EXTENSION_TYPES[ext] ?? (type === 'document' ? 'application/pdf' : undefined);
}

function modelParts(p: AssistantPart, i: number, toolNames: Map<string, string>): GeminiPart[] {
  const sig = p.type === 'refusal' || p.type === 'redacted_reasoning' ? undefined : geminiSignature(p.providerData);
  switch (p.type) {
    case 'text':
      return [withSignature({ text: p.text }, sig)];
    case 'refusal':
      return [{ text: p.text }];
    case 'reasoning':
      // Only Gemini's own thoughts go back (with their signature); another provider's reasoning means nothing here.
      return sig !== undefined ? [{ text: p.text, thought: true, thoughtSignature: sig }] : [];
    case 'redacted_reasoning':
      return [];
    case 'tool_call': {
      const { id, signature } = splitSignedId(p.id);
      toolNames.set(p.id, p.name);
      toolNames.set(id, p.name);
      const call: GeminiPart = { functionCall: { id, name: p.name, args: parseArgs(p.arguments, `messages[${i}].tool_calls`) } };
      return [withSignature(call, sig ?? signature)];
    }
  }
}

function withSignature(part: GeminiPart, sig: string | undefined): GeminiPart {
  return sig === undefined ? part : { ...part, thoughtSignature: sig };
}

function geminiSignature(data: { gemini?: Record<string, unknown> } | undefined): string | undefined {
  const sig = data?.gemini?.thoughtSignature;
  return typeof sig === 'string' ? sig : undefined;
}

function parseArgs(args: string, param: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    throw badRequest('Gemini needs tool call arguments that are a JSON object; an earlier assistant tool call has invalid JSON.', param, 'invalid_value');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('Gemini needs tool call arguments that are a JSON object.', param, 'invalid_value');
  }
  return value as Record<string, unknown>;
}

function resultParts(r: ToolResultPart, toolNames: Map<string, string>, param: string): GeminiPart[] {
  const { id } = splitSignedId(r.toolCallId);
  const name = r.toolName ?? toolNames.get(r.toolCallId) ?? toolNames.get(id);
  if (!name) {
    throw badRequest(`Gemini needs the function name of tool result '${r.toolCallId}', but no earlier assistant tool call has that id.`, param, 'invalid_value');
  }
  const media: GeminiPart[] = [];
  let text = '';
  if (typeof r.content === 'string') text = r.content;
  else {
    for (const [k, c] of r.content.entries()) {
      if (c.type === 'text') text += c.text;
      else media.push(mediaPart(c, `${param}.content[${k}]`));
    }
  }
  const response = r.isError ? { error: text } : resultObject(text);
  return [{ functionResponse: { id, name, response } }, ...media];
}

/** A JSON object result is passed as is; anything else is wrapped as `{"result": text}` (§5). */
function resultObject(text: string): Record<string, unknown> {
  const t = text.trimStart();
  if (t.startsWith('{')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // not JSON: wrap below
    }
  }
  return { result: text };
}
