// Converse response → canonical (../shared/reference/providers.md §6.3). The body has no id, so one is
// derived from its bytes (stable for a given response). With structured output emulated by a forced tool,
// that tool's input becomes the text answer and `tool_use` a plain stop.
import { createHash } from 'node:crypto';
import { parseUpstreamObject, type AssistantPart, type ChatResponse } from '../../canonical/index.ts';
import type { DecodeHints } from '../types.ts';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';
import type { BedrockContentBlock, ConverseResponse } from './wire.ts';

export function fromBedrockResponse(rawBody: string, modelId: string, hints: DecodeHints): ChatResponse {
  const r = parseUpstreamObject(rawBody, 'a Converse response') as ConverseResponse;
  const content = (r.output?.message?.content ?? []).flatMap((b) => blockToCanonical(b, hints));
  const structured = hints.structuredOutputTool !== undefined && !content.some((p) => p.type === 'tool_call');
  return {
    id: `msg_bdrk_${createHash('sha256').update(rawBody).digest('hex').slice(0, 24)}`,
    model: modelId,
    created: Math.floor(Date.now() / 1000),
    content,
    finishReason: mapBedrockStopReason(r.stopReason, structured),
    usage: mapBedrockUsage(r.usage),
  };
}

function blockToCanonical(b: BedrockContentBlock, hints: DecodeHints): AssistantPart[] {
  if (typeof b.text === 'string') return b.text === '' ? [] : [{ type: 'text', text: b.text }];
  if (b.toolUse) {
    const args = JSON.stringify(b.toolUse.input ?? {});
    if (b.toolUse.name === hints.structuredOutputTool) return [{ type: 'text', text: args }];
    return [{ type: 'tool_call', id: b.toolUse.toolUseId, name: b.toolUse.name, arguments: args }];
  }
  const rc = b.reasoningContent;
  if (rc?.reasoningText) {
    const sig = rc.reasoningText.signature;
    return [{ type: 'reasoning', text: rc.reasoningText.text, ...(sig ? { signature: sig } : {}) }];
  }
  if (rc?.redactedContent !== undefined) return [{ type: 'redacted_reasoning', data: rc.redactedContent }];
  return [];
}

