// Anthropic `stop_reason` ⇄ canonical finish reason (reference §4.4). Unknown values keep their raw text.
import type { FinishReason } from '../../canonical/index.ts';
import type { StopReason } from './wire.ts';

const KNOWN = new Set<string>(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded']);

export function fromAnthropicStopReason(raw: unknown): FinishReason {
  const r = typeof raw === 'string' ? raw : null;
  switch (r) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return { unified: 'stop', raw: r };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { unified: 'length', raw: r };
    case 'tool_use':
      return { unified: 'tool_calls', raw: r };
    case 'refusal':
      return { unified: 'content_filter', raw: r };
    default:
      return { unified: 'other', raw: r };
  }
}

/**
 * A raw value that is already an Anthropic stop reason (from Anthropic, or Bedrock which shares the names) is
 * kept when it agrees with the unified one; otherwise the unified value decides.
 */
export function toAnthropicStopReason(reason: FinishReason, stopSequence?: string): StopReason {
  if (reason.raw !== null && KNOWN.has(reason.raw) && fromAnthropicStopReason(reason.raw).unified === reason.unified) {
    return reason.raw as StopReason;
  }
  switch (reason.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return stopSequence !== undefined ? 'stop_sequence' : 'end_turn';
  }
}
