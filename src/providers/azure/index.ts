// Azure OpenAI: the classic per-deployment URL with `api-version`, or the `/openai/v1/` URL style
// (../shared/reference/providers.md §7). Bodies are OpenAI's, so request building is shared.
import { GatewayError } from '../../canonical/index.ts';
import type { ProviderSettings, UpstreamRequest, UpstreamTarget } from '../types.ts';
import { mapOpenAIError, openAITranslation, openAIChatBodyText, toOpenAIEmbeddingsBody, trimSlash } from '../openai/index.ts';

/** GA version used when neither `api_version` nor AZURE_API_VERSION is set. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export function azureTarget(settings: ProviderSettings): UpstreamTarget {
  if (!settings.apiBase) {
    throw new GatewayError({
      status: 500,
      kind: 'bad_request',
      code: 'missing_api_base',
      message: `Azure deployment '${settings.upstreamModel}' needs litellm_params.api_base (or AZURE_API_BASE)`,
    });
  }
  const urls = azureUrls(trimSlash(settings.apiBase), settings.upstreamModel, settings.apiVersion ?? DEFAULT_AZURE_API_VERSION);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...settings.extraHeaders };
  if (settings.apiKey) headers['api-key'] = settings.apiKey;
  return {
    dialect: 'openai-chat',
    provider: 'azure',
    dropParams: settings.dropParams ?? false,
    ...openAITranslation({
      upstreamModel: settings.upstreamModel,
      maxTokensField: 'max_completion_tokens',
      toRequest: (body) => ({ url: urls.chat, method: 'POST', headers, body: JSON.stringify(body) }),
    }),
    mapError: mapOpenAIError,
    base64Embeddings: true,
    buildChat(body, opts): UpstreamRequest {
      return { url: urls.chat, method: 'POST', headers, body: openAIChatBodyText(body, opts, settings.upstreamModel, {}) };
    },
    buildEmbeddings(body): UpstreamRequest {
      const out = toOpenAIEmbeddingsBody(body, settings.upstreamModel, true);
      return { url: urls.embeddings, method: 'POST', headers, body: JSON.stringify(out) };
    },
  };
}

/** `…/openai/v1` bases take plain OpenAI paths; anything else gets the classic deployment path. */
export function azureUrls(base: string, deployment: string, apiVersion: string): { chat: string; embeddings: string } {
  if (/\/openai\/v1$/.test(base)) return { chat: `${base}/chat/completions`, embeddings: `${base}/embeddings` };
  const root = base.endsWith('/openai') ? base : `${base}/openai`;
  const dep = `${root}/deployments/${encodeURIComponent(deployment)}`;
  const q = `?api-version=${encodeURIComponent(apiVersion)}`;
  return { chat: `${dep}/chat/completions${q}`, embeddings: `${dep}/embeddings${q}` };
}
