// The translation half of every OpenAI-dialect target (OpenAI, Azure, compatible servers, mock): canonical
// request → body, body → canonical response, stream decoder. Parameters follow §1.1; `top_k` only where
// the preset says the server takes it.
import type { CanonicalParam } from '../../canonical/index.ts';
import type { UpstreamRequest, UpstreamTarget } from '../types.ts';
import { fromOpenAIResponse } from './from-openai-response.ts';
import { createOpenAIStreamDecoder } from './openai-stream-decoder.ts';
import { toOpenAIChatRequest, type OpenAIRequestOptions } from './to-openai-chat-request.ts';

type Translation = Pick<UpstreamTarget, 'supportedParams' | 'buildFromCanonical' | 'responseToCanonical' | 'createStreamDecoder'>;

export const OPENAI_PARAMS: readonly CanonicalParam[] = [
  'max_tokens', 'temperature', 'top_p', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'logit_bias',
  'logprobs', 'top_logprobs', 'n', 'tools', 'tool_choice', 'parallel_tool_calls', 'response_format',
  'reasoning_effort', 'user', 'metadata', 'input_audio', 'input_document',
];

export interface OpenAITranslationOptions extends Omit<OpenAIRequestOptions, 'stream'> {
  /** The server accepts `top_k` (vLLM, Together…). */
  topK?: boolean;
  /** Turns a built body into the upstream request (URL and headers are the target's). */
  toRequest(body: Record<string, unknown>): UpstreamRequest;
}

export function openAITranslation(o: OpenAITranslationOptions): Translation {
  const supported = new Set<CanonicalParam>(OPENAI_PARAMS);
  if (o.topK) supported.add('top_k');
  return {
    supportedParams: supported,
    buildFromCanonical(req, opts) {
      const body = toOpenAIChatRequest(req, { ...o, stream: opts.stream });
      return { request: o.toRequest(body), warnings: [], hints: {} };
    },
    responseToCanonical: (raw) => fromOpenAIResponse(raw),
    createStreamDecoder: () => createOpenAIStreamDecoder(),
  };
}
