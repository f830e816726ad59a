// Canonical response → OpenAI `chat.completion` body (reference §1.3, §4.3). Reasoning is shown as the
// de-facto `reasoning_content` plus `thinking_blocks` with signatures, so a client can replay the turn.
import type { ChatResponse, Json } from '../../canonical/index.ts';
import { assistantMessage, toOpenAIFinishReason, toOpenAIUsage } from '../../providers/index.ts';

export function renderOpenAIResponse(r: ChatResponse): string {
  const message = assistantMessage(r.content, { reasoning: 'full', providerData: true });
  if (!('refusal' in message)) message.refusal = null;
  message.annotations = [];
  const body: Json = {
    id: r.id,
    object: 'chat.completion',
    created: r.created,
    model: r.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: toOpenAIFinishReason(r.finishReason) }],
    usage: toOpenAIUsage(r.usage),
  };
  if (r.serviceTier) body.service_tier = r.serviceTier;
  if (r.systemFingerprint) body.system_fingerprint = r.systemFingerprint;
  return JSON.stringify(body);
}
