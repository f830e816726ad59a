// Gemini `usageMetadata` → canonical usage (../shared/reference/providers.md §4.5): the prompt count already
// includes cached tokens; output = candidates + thoughts (Gemini counts thinking separately from the answer).
// `toolUsePromptTokenCount` (tokens of tool results fed back by Google-run tools) is input too.
import type { Usage } from '../../canonical/index.ts';
import type { GeminiUsageMetadata } from './wire.ts';

export function mapGeminiUsage(u: GeminiUsageMetadata | undefined): Usage {
  const m = u ?? {};
  const thoughts = m.thoughtsTokenCount ?? 0;
  const usage: Usage = {
    inputTokens: (m.promptTokenCount ?? 0) + (m.toolUsePromptTokenCount ?? 0),
    outputTokens: (m.candidatesTokenCount ?? 0) + thoughts,
  };
  if (m.cachedContentTokenCount !== undefined) usage.cacheReadTokens = m.cachedContentTokenCount;
  if (m.thoughtsTokenCount !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}
