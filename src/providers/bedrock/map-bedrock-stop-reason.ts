// Bedrock `stopReason` → canonical (../shared/reference/providers.md §4.4, §6.3). Unknown values and the
// malformed-output reasons become `other` with the raw value kept, never `stop`.
import type { FinishReason } from '../../canonical/index.ts';

const UNIFIED: Record<string, FinishReason['unified']> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};

/** `structuredOutput`: the tool_use was igw's forced JSON tool, so the model simply finished. */
export function mapBedrockStopReason(raw: string | undefined, structuredOutput = false): FinishReason {
  if (raw === undefined) return { unified: 'other', raw: null };
  if (raw === 'tool_use' && structuredOutput) return { unified: 'stop', raw };
  return { unified: Object.hasOwn(UNIFIED, raw) ? UNIFIED[raw] : 'other', raw };
}
