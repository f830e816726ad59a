// The Anthropic Messages surface for the dispatcher: pass-through relay, and the converters.
import { usageField } from '../../canonical/index.ts';
import { fromAnthropicUsage } from '../../providers/index.ts';
import type { ChatSurface } from '../surface.ts';
import { createAnthropicStreamEncoder } from './anthropic-stream-encoder.ts';
import { relayAnthropicStream } from './anthropic-stream-relay.ts';
import { parseAnthropicRequest } from './parse-anthropic-request.ts';
import { renderAnthropicResponse } from './render-anthropic-response.ts';

export const anthropicMessagesSurface: ChatSurface = {
  dialect: 'anthropic-messages',
  toCanonical: (body) => parseAnthropicRequest(body),
  renderResponse: renderAnthropicResponse,
  createStreamEncoder: () => createAnthropicStreamEncoder(),
  relayStream: (chunks, res) => relayAnthropicStream(chunks, res),
  usageOf: (raw) => fromAnthropicUsage(usageField(raw)),
};
