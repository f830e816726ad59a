// OpenAI `finish_reason` ⇄ canonical (reference §4.4). Unknown values keep their raw text as `other`.
import type { FinishReason } from '../../canonical/index.ts';

/** Compat servers sometimes say `stop` while returning tool calls: tool calls win (§4.4, last note). */
export function fromOpenAIFinishReason(raw: unknown, hasToolCalls: boolean): FinishReason {
  const r = typeof raw === 'string' ? raw : null;
  if (hasToolCalls && (r === 'stop' || r === 'tool_calls' || r === 'function_call')) return { unified: 'tool_calls', raw: r };
  switch (r) {
    case 'stop':
      return { unified: 'stop', raw: r };
    case 'length':
      return { unified: 'length', raw: r };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool_calls', raw: r };
    case 'content_filter':
      return { unified: 'content_filter', raw: r };
    default:
      return { unified: 'other', raw: r };
  }
}

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** OpenAI has no `error`/`other`: they become `stop` (the raw value stays in the log). */
export function toOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  switch (reason.unified) {
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason.unified;
    default:
      return 'stop';
  }
}
