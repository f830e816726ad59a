// The canonical layer: types and codecs every stage may import.
export * from './sse.ts';
export * from './errors.ts';

/** Wire formats igw speaks (DESIGN.md vocabulary). */
export type Dialect = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini' | 'bedrock-converse';

/** Token usage in the canonical sense: input includes cached tokens, output includes reasoning tokens. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}
