// Anthropic `message` body → canonical response (reference §3.3, §4.3). The forced tool that implemented
// `response_format` (DecodeHints) comes back as text: the JSON the client asked for.
import { parseUpstreamObject, isObject, optString, type AssistantPart, type ChatResponse, type FinishReason, type Json } from '../../canonical/index.ts';
import type { DecodeHints } from '../types.ts';
import { fromAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { fromAnthropicUsage } from './map-anthropic-usage.ts';

export function fromAnthropicResponse(rawBody: string, hints: DecodeHints): ChatResponse {
  const body = parseUpstreamObject(rawBody, 'an Anthropic message');
  const blocks = Array.isArray(body.content) ? (body.content as unknown[]) : [];
  const content = blocks.flatMap((b) => (isObject(b) ? partsOf(b, hints) : []));
  const out: ChatResponse = {
    id: optString(body.id) ?? 'msg_unknown',
    model: optString(body.model) ?? '',
    created: Math.floor(Date.now() / 1000),
    content,
    finishReason: structuredFinish(fromAnthropicStopReason(body.stop_reason), content, hints),
    usage: fromAnthropicUsage(body.usage) ?? { inputTokens: 0, outputTokens: 0 },
  };
  if (typeof body.stop_sequence === 'string') out.stopSequence = body.stop_sequence;
  return out;
}


/** Server-tool blocks (`server_tool_use`, `*_tool_result`) have no counterpart in other dialects: skipped. */
function partsOf(b: Json, hints: DecodeHints): AssistantPart[] {
  switch (b.type) {
    case 'text':
      return [{ type: 'text', text: String(b.text ?? ''), ...(Array.isArray(b.citations) && b.citations.length ? { citations: b.citations } : {}) }];
    case 'thinking':
      return [{ type: 'reasoning', text: String(b.thinking ?? ''), ...(typeof b.signature === 'string' && b.signature ? { signature: b.signature } : {}) }];
    case 'redacted_thinking':
      return [{ type: 'redacted_reasoning', data: String(b.data ?? '') }];
    case 'tool_use': {
      const input = JSON.stringify(isObject(b.input) ? b.input : {});
      if (hints.structuredOutputTool !== undefined && b.name === hints.structuredOutputTool) return [{ type: 'text', text: input }];
      return [{ type: 'tool_call', id: String(b.id ?? ''), name: String(b.name ?? ''), arguments: input }];
    }
    default:
      return [];
  }
}

/** The forced structured-output tool ends with `tool_use`; for the client that is a normal stop. */
export function structuredFinish(reason: FinishReason, content: AssistantPart[] | null, hints: DecodeHints): FinishReason {
  if (hints.structuredOutputTool === undefined || reason.unified !== 'tool_calls') return reason;
  if (content && content.some((p) => p.type === 'tool_call')) return reason;
  return { unified: 'stop', raw: reason.raw };
}
