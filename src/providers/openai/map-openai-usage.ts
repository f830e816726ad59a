// OpenAI usage ⇄ canonical (reference §1.3, §4.5): prompt_tokens includes cached tokens and
// completion_tokens includes reasoning tokens, exactly as canonical Usage does.
import { isObject, optNumber, type Json, type Usage } from '../../canonical/index.ts';

export function fromOpenAIUsage(u: unknown): Usage | undefined {
  if (!isObject(u)) return undefined;
  const usage: Usage = { inputTokens: optNumber(u.prompt_tokens) ?? 0, outputTokens: optNumber(u.completion_tokens) ?? 0 };
  const pd = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const cd = isObject(u.completion_tokens_details) ? u.completion_tokens_details : {};
  const cached = optNumber(pd.cached_tokens);
  const written = optNumber(pd.cache_write_tokens);
  const reasoning = optNumber(cd.reasoning_tokens);
  if (cached) usage.cacheReadTokens = cached;
  if (written) usage.cacheWriteTokens = written;
  if (reasoning) usage.reasoningTokens = reasoning;
  return usage;
}

export function toOpenAIUsage(u: Usage): Json {
  const out: Json = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
  };
  const prompt: Json = { cached_tokens: u.cacheReadTokens ?? 0 };
  if (u.cacheWriteTokens) prompt.cache_write_tokens = u.cacheWriteTokens;
  out.prompt_tokens_details = prompt;
  out.completion_tokens_details = { reasoning_tokens: u.reasoningTokens ?? 0 };
  return out;
}
