// Anthropic Messages (`anthropic/<model>`): `x-api-key`, an `anthropic-version` per deployment (default
// 2023-06-01; 2026-10-21 refuses temperature, top_p and top_k — reference §0.2), pass-through for clients
// that speak Messages themselves, translation for everyone else.
import type { CanonicalParam } from '../../canonical/index.ts';
import type { ProviderSettings, UpstreamRequest, UpstreamTarget } from '../types.ts';
import { trimSlash } from '../openai/index.ts';
import { createAnthropicStreamDecoder } from './anthropic-stream-decoder.ts';
import { fromAnthropicResponse } from './from-anthropic-response.ts';
import { mapAnthropicError } from './map-anthropic-error.ts';
import { toAnthropicRequest } from './to-anthropic-request.ts';
import { DEFAULT_ANTHROPIC_VERSION, NO_SAMPLING_VERSION } from './wire.ts';

export { mapAnthropicError, mapAnthropicStreamError } from './map-anthropic-error.ts';
export { fromAnthropicStopReason, toAnthropicStopReason } from './map-anthropic-stop-reason.ts';
export { fromAnthropicUsage, toAnthropicUsage } from './map-anthropic-usage.ts';
export { toAnthropicRequest } from './to-anthropic-request.ts';
export { fromAnthropicResponse } from './from-anthropic-response.ts';
export { createAnthropicStreamDecoder } from './anthropic-stream-decoder.ts';
export { DEFAULT_ANTHROPIC_VERSION } from './wire.ts';

export const ANTHROPIC_DEFAULT_BASE = 'https://api.anthropic.com';

/** OpenAI parameters with an Anthropic counterpart (§4.1); sampling only on versions that take it. */
export const ANTHROPIC_BASE_PARAMS: readonly CanonicalParam[] = [
  'max_tokens', 'stop', 'tools', 'tool_choice', 'parallel_tool_calls', 'response_format', 'reasoning_effort', 'user', 'input_document',
];
/** Refused by API version 2026-10-21 (reference §0.2). */
export const ANTHROPIC_SAMPLING_PARAMS: readonly CanonicalParam[] = ['temperature', 'top_p', 'top_k'];

/**
 * Client headers a pass-through forwards (Claude Code's gateway requirements): beta flags change what the body
 * may contain, and the body was written for the client's API version unless the deployment pins one.
 */
const FORWARDED = ['anthropic-beta', 'anthropic-version'] as const;

export function anthropicTarget(settings: ProviderSettings): UpstreamTarget {
  const url = `${trimSlash(settings.apiBase ?? ANTHROPIC_DEFAULT_BASE)}/v1/messages`;
  const version = settings.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': version, ...settings.extraHeaders };
  if (settings.apiKey) headers['x-api-key'] = settings.apiKey;
  const supported = new Set<CanonicalParam>(ANTHROPIC_BASE_PARAMS);
  if (version < NO_SAMPLING_VERSION) for (const p of ANTHROPIC_SAMPLING_PARAMS) supported.add(p);
  const request = (body: unknown, extra?: Record<string, string>): UpstreamRequest => ({
    url,
    method: 'POST',
    headers: extra ? { ...headers, ...extra } : headers,
    body: JSON.stringify(body),
  });
  return {
    dialect: 'anthropic-messages',
    provider: settings.prefix,
    dropParams: settings.dropParams ?? false,
    base64Embeddings: false,
    supportedParams: supported,
    mapError: mapAnthropicError,
    buildChat(body, opts) {
      const extra = forwarded(opts.clientHeaders, settings.anthropicVersion !== undefined);
      return request({ ...body, model: settings.upstreamModel }, extra);
    },
    buildFromCanonical(req, opts) {
      const built = toAnthropicRequest(req, { upstreamModel: settings.upstreamModel, stream: opts.stream, defaultMaxTokens: settings.defaultMaxTokens });
      return { request: request(built.body), warnings: built.warnings, hints: built.hints };
    },
    responseToCanonical: fromAnthropicResponse,
    createStreamDecoder: createAnthropicStreamDecoder,
  };
}

function forwarded(client: Readonly<Record<string, string>> | undefined, versionPinned: boolean): Record<string, string> | undefined {
  if (!client) return undefined;
  const out: Record<string, string> = {};
  for (const name of FORWARDED) if (client[name] && !(name === 'anthropic-version' && versionPinned)) out[name] = client[name];
  return Object.keys(out).length > 0 ? out : undefined;
}
