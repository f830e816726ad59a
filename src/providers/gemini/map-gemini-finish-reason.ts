// Gemini `finishReason` → canonical (../shared/reference/providers.md §4.4). Gemini says `STOP` also when the
// model called functions, so the caller passes whether any call was produced. Values that are neither a clean
// stop nor a filter (MALFORMED_FUNCTION_CALL, OTHER…) become `other` with the raw value kept, never `stop`.
import type { FinishReason } from '../../canonical/index.ts';

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

export function mapGeminiFinishReason(raw: string | undefined, producedToolCalls: boolean): FinishReason {
  if (raw === undefined) return { unified: producedToolCalls ? 'tool_calls' : 'stop', raw: null };
  if (raw === 'STOP') return { unified: producedToolCalls ? 'tool_calls' : 'stop', raw };
  if (raw === 'MAX_TOKENS') return { unified: 'length', raw };
  if (CONTENT_FILTER.has(raw)) return { unified: 'content_filter', raw };
  return { unified: 'other', raw };
}

/** A prompt blocked before generation (HTTP 200, no candidates, `promptFeedback.blockReason`). */
export function blockedPromptFinish(blockReason: string): FinishReason {
  return { unified: 'content_filter', raw: blockReason };
}
