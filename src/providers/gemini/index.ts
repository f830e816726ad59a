// `gemini/<model>`: Google AI Studio, the Generative Language API v1beta with an `x-goog-api-key`
// (../shared/reference/providers.md §5). `api_base` replaces `https://generativelanguage.googleapis.com/v1beta`.
import { GatewayError } from '../../canonical/index.ts';
import type { EmbeddingsPlan, ProviderSettings, UpstreamRequest, UpstreamTarget } from '../types.ts';
import { embeddingTexts, fromGeminiEmbeddings, toGeminiEmbeddings } from './gemini-embeddings.ts';
import { geminiDialectTarget, modelPath } from './gemini-target.ts';

export { geminiDialectTarget, modelPath, GEMINI_PARAMS, type GeminiEndpoints } from './gemini-target.ts';
export { mapGeminiError } from './map-gemini-error.ts';
export { embeddingTexts } from './gemini-embeddings.ts';

export const GEMINI_DEFAULT_BASE = 'https://generativelanguage.googleapis.com/v1beta';

export function geminiTarget(settings: ProviderSettings): UpstreamTarget {
  if (!settings.apiKey) {
    throw new GatewayError({
      status: 500,
      kind: 'auth',
      code: 'missing_api_key',
      message: `Gemini deployment '${settings.upstreamModel}' needs litellm_params.api_key (or GEMINI_API_KEY)`,
    });
  }
  const base = (settings.apiBase ?? GEMINI_DEFAULT_BASE).replace(/\/+$/, '');
  const model = settings.upstreamModel;
  const headers = { 'content-type': 'application/json', 'x-goog-api-key': settings.apiKey, ...settings.extraHeaders };
  const url = (method: string) => `${base}/${modelPath(model, method)}`;
  return geminiDialectTarget({
    provider: settings.prefix,
    upstreamModel: model,
    endpoints: { generate: url('generateContent'), stream: `${url('streamGenerateContent')}?alt=sse` },
    headers,
    dropParams: settings.dropParams ?? false,
    embeddings: (body) => geminiEmbeddingsPlan(body, model, url, headers),
  });
}

function geminiEmbeddingsPlan(
  body: Record<string, unknown>,
  model: string,
  url: (method: string) => string,
  headers: Record<string, string>,
): EmbeddingsPlan {
  const inputs = embeddingTexts(body.input);
  const call = toGeminiEmbeddings(body, model);
  const request: UpstreamRequest = { url: url(call.method), method: 'POST', headers, body: JSON.stringify(call.body) };
  return { requests: [request], toOpenAI: (raws) => fromGeminiEmbeddings(raws[0], model, inputs) };
}
