// `bedrock/<model-id>`: AWS Bedrock Runtime, Converse and ConverseStream for chat, InvokeModel for the
// Titan and Cohere embedding models (../shared/reference/providers.md §6). `modelId` may be a model id,
// an inference profile (`us.…`) or an ARN; it is percent-encoded into the path. Region from
// `aws_region_name`, AWS_REGION or AWS_DEFAULT_REGION; endpoint from `api_base` /
// `aws_bedrock_runtime_endpoint`, else the regional one. Signing happens in the transport (./bedrock-auth.ts).
import type { CanonicalParam } from '../../canonical/index.ts';
import { GatewayError } from '../../canonical/index.ts';
import { httpTransport } from '../http-client.ts';
import type { ProviderSettings, Transport, UpstreamRequest, UpstreamTarget } from '../types.ts';
import { bedrockAuthTransport, resolveBedrockAuth } from './bedrock-auth.ts';
import { fromBedrockEmbeddings, toBedrockEmbeddings } from './bedrock-embeddings.ts';
import { createBedrockStreamDecoder } from './bedrock-stream-decoder.ts';
import { fromBedrockResponse } from './from-bedrock-response.ts';
import { mapBedrockError } from './map-bedrock-error.ts';
import { toBedrockRequest } from './to-bedrock-request.ts';

export { encodeEventMessage, EventStreamReader } from './event-stream.ts';
export { mapBedrockError } from './map-bedrock-error.ts';

/** OpenAI parameters Converse honours (inferenceConfig, toolConfig, top_k and thinking as model fields). */
export const BEDROCK_PARAMS: ReadonlySet<CanonicalParam> = new Set<CanonicalParam>([
  'max_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'tools',
  'tool_choice',
  'response_format',
  'reasoning_effort',
  'input_document',
]);

export function createBedrockUpstream(settings: ProviderSettings): { target: UpstreamTarget; transport: Transport } {
  const region = bedrockRegion(settings);
  const auth = resolveBedrockAuth(settings);
  return { target: bedrockTarget(settings, region), transport: bedrockAuthTransport(httpTransport, auth, region) };
}

export function bedrockTarget(settings: ProviderSettings, region: string): UpstreamTarget {
  const p = settings.params ?? {};
  const endpoint = settings.apiBase ?? str(p.aws_bedrock_runtime_endpoint) ?? `https://bedrock-runtime.${region}.amazonaws.com`;
  const modelId = settings.upstreamModel;
  const base = `${endpoint.replace(/\/+$/, '')}/model/${encodeURIComponent(modelId)}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...settings.extraHeaders };
  const streamHeaders = { ...headers, accept: 'application/vnd.amazon.eventstream' };
  const post = (url: string, body: unknown, h = headers): UpstreamRequest => ({ url, method: 'POST', headers: h, body: JSON.stringify(body) });
  return {
    dialect: 'bedrock-converse',
    provider: settings.prefix,
    base64Embeddings: false,
    supportedParams: BEDROCK_PARAMS,
    dropParams: settings.dropParams ?? false,
    buildFromCanonical(req, opts) {
      const { body, warnings, hints } = toBedrockRequest(req, modelId);
      const request = opts.stream ? post(`${base}/converse-stream`, body, streamHeaders) : post(`${base}/converse`, body);
      return { request, warnings, hints };
    },
    responseToCanonical: (raw, hints) => fromBedrockResponse(raw, modelId, hints),
    createStreamDecoder: (hints) => createBedrockStreamDecoder(modelId, hints),
    mapError: mapBedrockError,
    translateEmbeddings(body) {
      const { family, texts, bodies } = toBedrockEmbeddings(body, modelId);
      return {
        requests: bodies.map((b) => post(`${base}/invoke`, b)),
        toOpenAI: (raws) => fromBedrockEmbeddings(family, raws, modelId, texts),
      };
    },
  };
}

export function bedrockRegion(settings: ProviderSettings): string {
  const region = str(settings.params?.aws_region_name) ?? settings.env?.AWS_REGION ?? settings.env?.AWS_DEFAULT_REGION;
  if (!region) {
    throw new GatewayError({
      status: 500,
      kind: 'bad_request',
      code: 'missing_aws_region',
      message: `Bedrock deployment '${settings.upstreamModel}' needs litellm_params.aws_region_name (or AWS_REGION)`,
    });
  }
  return region;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
