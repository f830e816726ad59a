// OpenAI and every OpenAI-compatible server (a preset supplies base URL, key variable and quirks).
import { GatewayError } from '../../canonical/index.ts';
import type { ProviderSettings, UpstreamRequest, UpstreamTarget } from '../types.ts';
import type { ProviderPreset } from '../presets.ts';
import { openAIChatBodyText, toOpenAIEmbeddingsBody } from './to-openai-request.ts';
import { mapOpenAIError } from './map-openai-error.ts';
import { openAITranslation } from './openai-translation.ts';

export { mapOpenAIError, classifyOpenAIError } from './map-openai-error.ts';
export { openAIChatBodyText, splicedOpenAIChatBody, toOpenAIChatBody, toOpenAIEmbeddingsBody } from './to-openai-request.ts';
export { openAITranslation } from './openai-translation.ts';
export { toOpenAIChatRequest, effortOf } from './to-openai-chat-request.ts';
export { assistantMessage } from './to-openai-messages.ts';
export { fromOpenAIResponse } from './from-openai-response.ts';
export { createOpenAIStreamDecoder } from './openai-stream-decoder.ts';
export { fromOpenAIFinishReason, toOpenAIFinishReason } from './map-openai-finish-reason.ts';
export { fromOpenAIUsage, toOpenAIUsage } from './map-openai-usage.ts';

export function openAITarget(settings: ProviderSettings, preset: ProviderPreset): UpstreamTarget {
  const base = trimSlash(settings.apiBase ?? preset.defaultBase ?? '');
  if (!base) {
    throw new GatewayError({
      status: 500,
      kind: 'bad_request',
      code: 'missing_api_base',
      message: `Provider '${settings.prefix}' needs litellm_params.api_base`,
    });
  }
  const headers = openAIHeaders(settings);
  const chatUrl = `${base}/chat/completions`;
  const embeddingsUrl = `${base}/embeddings`;
  return {
    dialect: 'openai-chat',
    provider: settings.prefix,
    dropParams: settings.dropParams ?? false,
    ...openAITranslation({
      upstreamModel: settings.upstreamModel,
      maxTokensField: preset.maxTokensField ?? 'max_tokens',
      noStreamOptions: preset.noStreamOptions,
      noDeveloperRole: preset.noDeveloperRole,
      replayReasoning: preset.replayReasoning,
      topK: preset.topK,
      toRequest: (body) => ({ url: chatUrl, method: 'POST', headers, body: JSON.stringify(body) }),
    }),
    mapError: mapOpenAIError,
    base64Embeddings: settings.prefix === 'openai' || settings.prefix === 'custom_openai',
    buildChat(body, opts): UpstreamRequest {
      return { url: chatUrl, method: 'POST', headers, body: openAIChatBodyText(body, opts, settings.upstreamModel, preset) };
    },
    buildEmbeddings(body): UpstreamRequest {
      const out = toOpenAIEmbeddingsBody(body, settings.upstreamModel, this.base64Embeddings);
      return { url: embeddingsUrl, method: 'POST', headers, body: JSON.stringify(out) };
    },
  };
}

function openAIHeaders(settings: ProviderSettings): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...settings.extraHeaders };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  if (settings.organization) headers['openai-organization'] = settings.organization;
  return headers;
}

export function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
