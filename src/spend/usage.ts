// Token usage as OpenAI-dialect responses report it, read into the canonical Usage (input includes cached
// and cache-write tokens, output includes reasoning tokens). Also accepts the Responses API names and the
// Anthropic-style cache fields LiteLLM adds to OpenAI-shaped usage.
import type { Usage } from '../canonical/index.ts';

interface WireUsage {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  input_tokens?: unknown;
  output_tokens?: unknown;
  prompt_tokens_details?: { cached_tokens?: unknown; cache_creation_tokens?: unknown } | null;
  input_tokens_details?: { cached_tokens?: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: unknown } | null;
  output_tokens_details?: { reasoning_tokens?: unknown } | null;
  cache_read_input_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
}

/** Undefined when the value carries no token counts at all. */
export function usageFromOpenAI(value: unknown): Usage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const u = value as WireUsage;
  const input = count(u.prompt_tokens) ?? count(u.input_tokens);
  const output = count(u.completion_tokens) ?? count(u.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  const inputTokens = input ?? 0;
  const cached = count(u.prompt_tokens_details?.cached_tokens) ?? count(u.input_tokens_details?.cached_tokens) ?? count(u.cache_read_input_tokens) ?? 0;
  const cacheWrite = count(u.prompt_tokens_details?.cache_creation_tokens) ?? count(u.cache_creation_input_tokens) ?? 0;
  const outputTokens = output ?? 0;
  const reasoning = count(u.completion_tokens_details?.reasoning_tokens) ?? count(u.output_tokens_details?.reasoning_tokens) ?? 0;
  // Cached and cache-write tokens are parts of the input; a server reporting more is clamped, not trusted.
  const cacheReadTokens = Math.min(cached, inputTokens);
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens: Math.min(cacheWrite, inputTokens - cacheReadTokens),
    reasoningTokens: Math.min(reasoning, outputTokens),
  };
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}

export function totalTokens(u: Usage | undefined): number {
  return u ? u.inputTokens + u.outputTokens : 0;
}
