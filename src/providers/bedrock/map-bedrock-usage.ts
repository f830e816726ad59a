// Bedrock usage → canonical (../shared/reference/providers.md §4.5). Like Anthropic's, Bedrock's
// `inputTokens` leaves out the cache reads and writes (its `totalTokens` adds them), so canonical input adds
// them back. Reasoning tokens are not reported separately.
import type { Usage } from '../../canonical/index.ts';
import type { BedrockUsage } from './wire.ts';

export function mapBedrockUsage(u: BedrockUsage | undefined): Usage {
  const m = u ?? {};
  const read = m.cacheReadInputTokens;
  const write = m.cacheWriteInputTokens;
  const usage: Usage = { inputTokens: (m.inputTokens ?? 0) + (read ?? 0) + (write ?? 0), outputTokens: m.outputTokens ?? 0 };
  if (read !== undefined) usage.cacheReadTokens = read;
  if (write !== undefined) usage.cacheWriteTokens = write;
  return usage;
}
