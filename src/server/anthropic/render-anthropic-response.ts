// Canonical response → Anthropic `message` body (reference §3.3, §4.3).
import { parseArguments, type AssistantPart, type ChatResponse, type Json } from '../../canonical/index.ts';
import { toAnthropicStopReason, toAnthropicUsage } from '../../providers/index.ts';

export function renderAnthropicResponse(r: ChatResponse): string {
  return JSON.stringify({
    id: anthropicMessageId(r.id),
    type: 'message',
    role: 'assistant',
    model: r.model,
    content: r.content.map(block),
    stop_reason: toAnthropicStopReason(r.finishReason, r.stopSequence),
    stop_sequence: r.stopSequence ?? null,
    usage: toAnthropicUsage(r.usage),
  });
}

/** Anthropic ids start with `msg_`; other ids are kept after the prefix so they stay traceable. */
export function anthropicMessageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

/**
 * Tool arguments that are not a JSON object (an OpenAI-compatible server may produce broken JSON) cannot
 * be an Anthropic `input`; they are kept under `_raw_arguments` rather than lost.
 */
export function toolInput(args: string): Json {
  return parseArguments(args) ?? { _raw_arguments: args };
}

function block(p: AssistantPart): Json {
  switch (p.type) {
    case 'text':
      return p.citations ? { type: 'text', text: p.text, citations: p.citations } : { type: 'text', text: p.text };
    case 'refusal':
      return { type: 'text', text: p.text };
    case 'reasoning':
      return { type: 'thinking', thinking: p.text, signature: p.signature ?? '' };
    case 'redacted_reasoning':
      return { type: 'redacted_thinking', data: p.data };
    case 'tool_call': {
      const b: Json = { type: 'tool_use', id: p.id, name: p.name, input: toolInput(p.arguments) };
      if (p.providerData) b.provider_data = p.providerData;
      return b;
    }
  }
}
