// Anthropic usage ⇄ canonical (reference §3.3, §4.5). Anthropic's `input_tokens` EXCLUDES cache reads and
// writes; canonical input includes them.
import { isObject, optNumber, type Json, type Usage } from '../../canonical/index.ts';

export function fromAnthropicUsage(u: unknown): Usage | undefined {
  if (!isObject(u)) return undefined;
  const read = optNumber(u.cache_read_input_tokens) ?? 0;
  const write = optNumber(u.cache_creation_input_tokens) ?? 0;
  const usage: Usage = { inputTokens: (optNumber(u.input_tokens) ?? 0) + read + write, outputTokens: optNumber(u.output_tokens) ?? 0 };
  if (read) usage.cacheReadTokens = read;
  if (write) usage.cacheWriteTokens = write;
  const thinking = isObject(u.output_tokens_details) ? optNumber(u.output_tokens_details.thinking_tokens) : undefined;
  if (thinking) usage.reasoningTokens = thinking;
  return usage;
}

/**
 * Merges a `message_delta` usage (cumulative; fields present only when they apply) over what is known.
 * Absent fields keep their earlier values, as the SDK does.
 */
export function mergeAnthropicUsage(known: Json, delta: unknown): Json {
  return isObject(delta) ? { ...known, ...Object.fromEntries(Object.entries(delta).filter(([, v]) => v !== null && v !== undefined)) } : known;
}

export function toAnthropicUsage(u: Usage): Json {
  const read = u.cacheReadTokens ?? 0;
  const write = u.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, u.inputTokens - read - write),
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  };
}
