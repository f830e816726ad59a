// Canonical messages → OpenAI chat messages (reference §4.2), and the assistant message shape shared with
// the response renderer. Tool results become `tool` messages; images inside a result move to a user
// message right after (OpenAI tool messages carry text only).
import { urlFromSource, type AssistantPart, type Json, type Message, type ToolResultPart, type UserPart } from '../../canonical/index.ts';

export interface MessageOptions {
  /** DeepSeek-style servers need the reasoning text of earlier turns back in `reasoning_content` (§0.7). */
  replayReasoning?: boolean;
  /** `system` instead of `developer` for servers that do not know the newer role. */
  noDeveloperRole?: boolean;
}

export function toOpenAIMessages(messages: Message[], opts: MessageOptions): Json[] {
  const out: Json[] = [];
  for (const m of messages) {
    switch (m.role) {
      case 'system': {
        const role = m.variant === 'developer' && !opts.noDeveloperRole ? 'developer' : 'system';
        const text = m.content.map((p) => p.text).join('\n');
        out.push({ role, content: text, ...(m.name ? { name: m.name } : {}) });
        break;
      }
      case 'user':
        out.push({ role: 'user', content: userContent(m.content), ...(m.name ? { name: m.name } : {}) });
        break;
      case 'assistant':
        out.push({ ...assistantMessage(m.content, { reasoning: opts.replayReasoning ? 'text' : 'none' }), ...(m.name ? { name: m.name } : {}) });
        break;
      case 'tool':
        for (const r of m.content) out.push(...toolMessages(r));
        break;
    }
  }
  return out;
}

/** A string when the content is one plain text part (the common case), else content parts. */
function userContent(parts: UserPart[]): string | Json[] {
  if (parts.length === 1 && parts[0].type === 'text') return parts[0].text;
  return parts.map(userPart);
}

function userPart(p: UserPart): Json {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text };
    case 'image': {
      const url = urlFromSource(p.source) ?? '';
      return { type: 'image_url', image_url: p.detail ? { url, detail: p.detail } : { url } };
    }
    case 'audio':
      return { type: 'input_audio', input_audio: { data: p.data, format: p.format } };
    case 'document': {
      if (p.source.kind === 'file') return { type: 'file', file: { file_id: p.source.fileId } };
      const data = p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.kind === 'base64' ? p.source.data : Buffer.from(p.source.data).toString('base64')}`;
      return { type: 'file', file: { filename: p.filename ?? 'document.pdf', file_data: data } };
    }
  }
}

function toolMessages(r: ToolResultPart): Json[] {
  const prefix = r.isError ? 'Error: ' : '';
  if (typeof r.content === 'string') return [{ role: 'tool', tool_call_id: r.toolCallId, content: prefix + r.content }];
  const text = r.content.filter((p) => p.type === 'text').map((p) => p.text).join('\n');
  const media = r.content.filter((p) => p.type !== 'text');
  const out: Json[] = [{ role: 'tool', tool_call_id: r.toolCallId, content: prefix + text }];
  if (media.length > 0) out.push({ role: 'user', content: media.map(userPart) });
  return out;
}

export interface AssistantOptions {
  /**
   * `none`: drop reasoning (OpenAI rejects unknown message fields); `text`: `reasoning_content` only;
   * `full`: `reasoning_content` plus `thinking_blocks` with signatures, so a client can replay them.
   */
  reasoning: 'none' | 'text' | 'full';
  /** Attach `provider_data` to tool calls (responses to clients only; upstreams reject unknown fields). */
  providerData?: boolean;
}

/** The assistant message: joined text (or null), refusal, tool calls, and reasoning as configured. */
export function assistantMessage(parts: AssistantPart[], opts: AssistantOptions): Json {
  let text: string | null = null;
  let refusal: string | null = null;
  let reasoning = '';
  const blocks: Json[] = [];
  const calls: Json[] = [];
  for (const p of parts) {
    if (p.type === 'text') text = (text ?? '') + p.text;
    else if (p.type === 'refusal') refusal = (refusal ?? '') + p.text;
    else if (p.type === 'reasoning') {
      reasoning += p.text;
      blocks.push({ type: 'thinking', thinking: p.text, ...(p.signature ? { signature: p.signature } : {}) });
    } else if (p.type === 'redacted_reasoning') blocks.push({ type: 'redacted_thinking', data: p.data });
    else calls.push(toolCall(p, opts.providerData === true));
  }
  const msg: Json = { role: 'assistant', content: text };
  if (refusal !== null) msg.refusal = refusal;
  if (calls.length > 0) msg.tool_calls = calls;
  if (opts.reasoning !== 'none' && reasoning) msg.reasoning_content = reasoning;
  if (opts.reasoning === 'full' && blocks.length > 0) msg.thinking_blocks = blocks;
  return msg;
}

function toolCall(p: Extract<AssistantPart, { type: 'tool_call' }>, withProviderData: boolean): Json {
  const call: Json = { id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } };
  if (withProviderData && p.providerData) call.provider_data = p.providerData;
  return call;
}
