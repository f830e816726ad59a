// Gemini `generateContent` body → canonical response (../shared/reference/providers.md §5). `thought: true`
// parts are reasoning; function calls get an id (generated when the API gave none) that also carries the
// call's thoughtSignature (./thought-signature.ts); a prompt blocked before generation (HTTP 200, no
// candidates, promptFeedback.blockReason) is an empty answer finished by `content_filter`.
import { parseUpstreamObject, type AssistantPart, type ChatResponse } from '../../canonical/index.ts';
import { createdOf, responseIdOf, toolCallId } from './gemini-ids.ts';
import { blockedPromptFinish, mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { mapGeminiUsage } from './map-gemini-usage.ts';
import type { GeminiPart, GeminiResponse } from './wire.ts';

export function fromGeminiResponse(rawBody: string, upstreamModel: string): ChatResponse {
  const r = parseUpstreamObject(rawBody, 'a Gemini response') as GeminiResponse;
  const id = responseIdOf(r.responseId);
  const candidate = r.candidates?.[0];
  const content = candidate ? partsToCanonical(candidate.content?.parts ?? [], id) : [];
  const calls = content.some((p) => p.type === 'tool_call');
  const blocked = !candidate && r.promptFeedback?.blockReason;
  return {
    id,
    model: r.modelVersion ?? upstreamModel,
    created: createdOf(r.createTime),
    content,
    finishReason: blocked ? blockedPromptFinish(blocked) : mapGeminiFinishReason(candidate?.finishReason, calls),
    usage: mapGeminiUsage(r.usageMetadata),
  };
}

export function partsToCanonical(parts: GeminiPart[], responseId: string, firstCall = 0): AssistantPart[] {
  const out: AssistantPart[] = [];
  let k = firstCall;
  for (const p of parts) {
    if (p.functionCall) {
      out.push({
        type: 'tool_call',
        id: toolCallId(p.functionCall.id, responseId, k++, p.thoughtSignature),
        name: p.functionCall.name,
        arguments: JSON.stringify(p.functionCall.args ?? {}),
        ...(p.thoughtSignature ? { providerData: { gemini: { thoughtSignature: p.thoughtSignature } } } : {}),
      });
    } else if (typeof p.text === 'string' && p.text !== '') {
      const providerData = p.thoughtSignature ? { gemini: { thoughtSignature: p.thoughtSignature } } : undefined;
      if (p.thought) out.push({ type: 'reasoning', text: p.text, ...(providerData ? { providerData } : {}) });
      else out.push({ type: 'text', text: p.text, ...(providerData ? { providerData } : {}) });
    }
    // executableCode / codeExecutionResult / inline media outputs have no canonical counterpart yet.
  }
  return out;
}

