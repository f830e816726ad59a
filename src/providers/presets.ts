// Upstream providers igw can reach, by the prefix of `litellm_params.model` (`groq/llama-3.3-70b`).
// OpenAI-compatible servers are presets over the OpenAI adapter: a default base URL, the environment
// variable holding their key, and the quirks the reference lists (../shared/reference/providers.md §8).

export type UpstreamKind = 'openai' | 'azure' | 'anthropic' | 'mock' | 'gemini' | 'vertex' | 'bedrock';

export interface ProviderPreset {
  kind: UpstreamKind;
  /** Base URL ending before `/chat/completions`; undefined when `api_base` is required. */
  defaultBase?: string;
  /** Environment variable read when `api_key` is not set. */
  keyEnv?: string;
  /** Environment variable read when `api_base` is not set (before `defaultBase`). */
  baseEnv?: string;
  /** The server rejects `stream_options`; usage then comes from whatever the stream carries. */
  noStreamOptions?: boolean;
  /** The server does not know the `developer` role; send `system`. */
  noDeveloperRole?: boolean;
  /** Translated requests carry the output cap in this field (OpenAI proper: `max_completion_tokens`). */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  /** Earlier turns' reasoning goes back in `reasoning_content` (DeepSeek thinking mode, reference §0.7). */
  replayReasoning?: boolean;
  /** The server accepts Anthropic-style `top_k`. */
  topK?: boolean;
}

const PRESETS: Readonly<Record<string, ProviderPreset>> = {
  openai: { kind: 'openai', defaultBase: 'https://api.openai.com/v1', keyEnv: 'OPENAI_API_KEY', baseEnv: 'OPENAI_API_BASE', maxTokensField: 'max_completion_tokens' },
  custom_openai: { kind: 'openai', keyEnv: 'OPENAI_API_KEY', maxTokensField: 'max_completion_tokens' },
  azure: { kind: 'azure', keyEnv: 'AZURE_API_KEY', baseEnv: 'AZURE_API_BASE' },
  groq: { kind: 'openai', defaultBase: 'https://api.groq.com/openai/v1', keyEnv: 'GROQ_API_KEY', noDeveloperRole: true },
  together_ai: { kind: 'openai', defaultBase: 'https://api.together.xyz/v1', keyEnv: 'TOGETHERAI_API_KEY', noDeveloperRole: true, topK: true },
  fireworks_ai: { kind: 'openai', defaultBase: 'https://api.fireworks.ai/inference/v1', keyEnv: 'FIREWORKS_AI_API_KEY', noDeveloperRole: true },
  deepseek: { kind: 'openai', defaultBase: 'https://api.deepseek.com/v1', keyEnv: 'DEEPSEEK_API_KEY', noDeveloperRole: true, replayReasoning: true },
  mistral: { kind: 'openai', defaultBase: 'https://api.mistral.ai/v1', keyEnv: 'MISTRAL_API_KEY', noDeveloperRole: true },
  xai: { kind: 'openai', defaultBase: 'https://api.x.ai/v1', keyEnv: 'XAI_API_KEY' },
  openrouter: { kind: 'openai', defaultBase: 'https://openrouter.ai/api/v1', keyEnv: 'OPENROUTER_API_KEY' },
  perplexity: { kind: 'openai', defaultBase: 'https://api.perplexity.ai', keyEnv: 'PERPLEXITYAI_API_KEY', noDeveloperRole: true },
  deepinfra: { kind: 'openai', defaultBase: 'https://api.deepinfra.com/v1/openai', keyEnv: 'DEEPINFRA_API_KEY', noDeveloperRole: true },
  cerebras: { kind: 'openai', defaultBase: 'https://api.cerebras.ai/v1', keyEnv: 'CEREBRAS_API_KEY', noDeveloperRole: true },
  hosted_vllm: { kind: 'openai', keyEnv: 'HOSTED_VLLM_API_KEY', noDeveloperRole: true, topK: true },
  vllm: { kind: 'openai', defaultBase: 'http://localhost:8000/v1', keyEnv: 'VLLM_API_KEY', noDeveloperRole: true, topK: true },
  ollama: { kind: 'openai', defaultBase: 'http://localhost:11434/v1', noDeveloperRole: true },
  ollama_chat: { kind: 'openai', defaultBase: 'http://localhost:11434/v1', noDeveloperRole: true },
  lm_studio: { kind: 'openai', defaultBase: 'http://localhost:1234/v1', keyEnv: 'LM_STUDIO_API_KEY', noDeveloperRole: true },
  anthropic: { kind: 'anthropic', defaultBase: 'https://api.anthropic.com', keyEnv: 'ANTHROPIC_API_KEY' },
  mock: { kind: 'mock' },
  gemini: { kind: 'gemini', keyEnv: 'GEMINI_API_KEY' },
  vertex_ai: { kind: 'vertex' },
  bedrock: { kind: 'bedrock' },
};

/** Splits `groq/llama-3.3-70b` into prefix and upstream model; a bare name (`gpt-4o`) means OpenAI, as in LiteLLM. */
export function splitProviderModel(model: string): { prefix: string; upstreamModel: string } {
  const slash = model.indexOf('/');
  if (slash <= 0) return { prefix: 'openai', upstreamModel: model };
  return { prefix: model.slice(0, slash), upstreamModel: model.slice(slash + 1) };
}

export function findPreset(prefix: string): ProviderPreset | undefined {
  return Object.hasOwn(PRESETS, prefix) ? PRESETS[prefix] : undefined;
}

export function supportedProviderPrefixes(): string[] {
  return Object.keys(PRESETS);
}
