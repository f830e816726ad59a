// The OpenAI Chat Completions surface for the dispatcher: pass-through relay, and the converters.
import type { Readable } from 'node:stream';
import { usageField } from '../../canonical/index.ts';
import { fromOpenAIUsage } from '../../providers/index.ts';
import type { ChatSurface } from '../surface.ts';
import { createOpenAIStreamEncoder } from './openai-stream-encoder.ts';
import { parseOpenAIRequest } from './parse-openai-request.ts';
import { renderOpenAIResponse } from './render-openai-response.ts';
import { relayOpenAIStream } from './stream-relay.ts';

export const openAIChatSurface: ChatSurface = {
  dialect: 'openai-chat',
  toCanonical: (body) => parseOpenAIRequest(body),
  renderResponse: renderOpenAIResponse,
  createStreamEncoder: (_req, view) => createOpenAIStreamEncoder({ includeUsage: view.wantsUsage }),
  async relayStream(chunks, res, view) {
    const outcome = await relayOpenAIStream(chunks as Readable, res, view.wantsUsage, view.streamTrailer);
    return { usage: fromOpenAIUsage(outcome.usage), error: outcome.error };
  },
  usageOf: (raw) => fromOpenAIUsage(usageField(raw)),
};
