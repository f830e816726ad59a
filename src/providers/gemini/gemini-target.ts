// The Gemini-dialect target shared by Google AI Studio (`gemini/`) and Vertex AI (`vertex_ai/`): same bodies,
// same responses and stream, different URLs and auth (an API key header here; a bearer token added by the
// Vertex transport). Pure: every function builds or converts, none sends.
import type { CanonicalParam } from '../../canonical/index.ts';
import type { EmbeddingsPlan, UpstreamRequest, UpstreamTarget } from '../types.ts';
import { fromGeminiResponse } from './from-gemini-response.ts';
import { createGeminiStreamDecoder } from './gemini-stream-decoder.ts';
import { mapGeminiError } from './map-gemini-error.ts';
import { toGeminiRequest } from './to-gemini-request.ts';

/** OpenAI parameters Gemini honours (reference §5 generationConfig, tools, thinkingConfig). */
export const GEMINI_PARAMS: ReadonlySet<CanonicalParam> = new Set<CanonicalParam>([
  'max_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'tools',
  'tool_choice',
  'response_format',
  'reasoning_effort',
  'input_audio',
  'input_document',
]);

export interface GeminiEndpoints {
  /** `…/models/{model}:generateContent` */
  generate: string;
  /** `…/models/{model}:streamGenerateContent?alt=sse` */
  stream: string;
}

export interface GeminiTargetInit {
  provider: string;
  upstreamModel: string;
  endpoints: GeminiEndpoints;
  headers: Record<string, string>;
  dropParams: boolean;
  embeddings?: (body: Record<string, unknown>) => EmbeddingsPlan;
}

export function geminiDialectTarget(init: GeminiTargetInit): UpstreamTarget {
  const { upstreamModel, endpoints, headers } = init;
  const target: UpstreamTarget = {
    dialect: 'gemini',
    provider: init.provider,
    base64Embeddings: false,
    supportedParams: GEMINI_PARAMS,
    dropParams: init.dropParams,
    buildFromCanonical(req, opts) {
      const { body, warnings } = toGeminiRequest(req, upstreamModel);
      const request: UpstreamRequest = {
        url: opts.stream ? endpoints.stream : endpoints.generate,
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      };
      return { request, warnings, hints: {} };
    },
    responseToCanonical: (raw) => fromGeminiResponse(raw, upstreamModel),
    createStreamDecoder: () => createGeminiStreamDecoder(upstreamModel),
    mapError: mapGeminiError,
  };
  if (init.embeddings) target.translateEmbeddings = init.embeddings;
  return target;
}

/** `models/{model}:{method}` with the model id percent-encoded (ids are plain, but tuned-model names have `/`). */
export function modelPath(model: string, method: string): string {
  return `models/${encodeURIComponent(model)}:${method}`;
}
