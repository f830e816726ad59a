// Public face of the providers: turn a deployment's settings into a target (request building for its
// dialect) and a transport (how bytes move).
import { GatewayError } from '../canonical/index.ts';
import { anthropicTarget } from './anthropic/index.ts';
import { azureTarget } from './azure/index.ts';
import { geminiTarget } from './gemini/index.ts';
import { createVertexUpstream } from './vertex/index.ts';
import { createBedrockUpstream } from './bedrock/index.ts';
import { httpTransport } from './http-client.ts';
export { MAX_ERROR_BODY } from './http-client.ts';
import { mockTarget, mockTransport } from './mock/index.ts';
import { openAITarget } from './openai/index.ts';
import { findPreset } from './presets.ts';
import type { ProviderSettings, Transport, UpstreamTarget } from './types.ts';

export * from './types.ts';
export {
  mapOpenAIError,
  assistantMessage,
  toOpenAIFinishReason,
  toOpenAIUsage,
  fromOpenAIUsage,
  toOpenAIChatRequest,
  fromOpenAIResponse,
  createOpenAIStreamDecoder,
} from './openai/index.ts';
export { findPreset, splitProviderModel, supportedProviderPrefixes, type ProviderPreset } from './presets.ts';
export { DEFAULT_AZURE_API_VERSION } from './azure/index.ts';
export {
  mapAnthropicError,
  mapAnthropicStreamError,
  fromAnthropicStopReason,
  toAnthropicStopReason,
  fromAnthropicUsage,
  toAnthropicUsage,
  toAnthropicRequest,
  fromAnthropicResponse,
  createAnthropicStreamDecoder,
  DEFAULT_ANTHROPIC_VERSION,
} from './anthropic/index.ts';

export interface Upstream {
  target: UpstreamTarget;
  transport: Transport;
}

export function createUpstream(settings: ProviderSettings): Upstream {
  const preset = findPreset(settings.prefix);
  if (!preset) {
    throw new GatewayError({
      status: 501,
      kind: 'not_implemented',
      code: 'provider_not_supported',
      message: `Provider '${settings.prefix}' is not supported by this version of igw`,
    });
  }
  switch (preset.kind) {
    case 'anthropic':
      return { target: anthropicTarget(settings), transport: httpTransport };
    case 'azure':
      return { target: azureTarget(settings), transport: httpTransport };
    case 'mock':
      return { target: mockTarget(settings), transport: mockTransport(settings.mock ?? { latencyMs: 0, tokens: 20, chunkDelayMs: 0 }) };
    case 'openai':
      return { target: openAITarget(settings, preset), transport: httpTransport };
    case 'gemini':
      return { target: geminiTarget(settings), transport: httpTransport };
    case 'vertex':
      return createVertexUpstream(settings);
    case 'bedrock':
      return createBedrockUpstream(settings);
  }
}
