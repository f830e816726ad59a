// OpenAI `chat.completion` body → canonical response (reference §1.3, §4.3). Only the first choice is
// read: the translation path never asks for n > 1 (the parameter policy refuses it for other dialects).
import { parseUpstreamObject, isObject, optString, type AssistantPart, type ChatResponse, type Json } from '../../canonical/index.ts';
import { fromOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { fromOpenAIUsage } from './map-openai-usage.ts';

export function fromOpenAIResponse(rawBody: string): ChatResponse {
  const body = parseUpstreamObject(rawBody, 'a chat completion');
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const choice = isObject(choices[0]) ? choices[0] : {};
  const message = isObject(choice.message) ? choice.message : {};
  const content = messageParts(message);
  const hasToolCalls = content.some((p) => p.type === 'tool_call');
  const out: ChatResponse = {
    id: optString(body.id) ?? 'chatcmpl-unknown',
    model: optString(body.model) ?? '',
    created: typeof body.created === 'number' ? body.created : Math.floor(Date.now() / 1000),
    content,
    finishReason: fromOpenAIFinishReason(choice.finish_reason, hasToolCalls),
    usage: fromOpenAIUsage(body.usage) ?? { inputTokens: 0, outputTokens: 0 },
  };
  if (typeof body.service_tier === 'string') out.serviceTier = body.service_tier;
  if (typeof body.system_fingerprint === 'string') out.systemFingerprint = body.system_fingerprint;
  return out;
}


/** Reasoning first (compat servers: `reasoning_content` or `reasoning`), then text, refusal, tool calls. */
export function messageParts(m: Json): AssistantPart[] {
  const parts: AssistantPart[] = [];
  const reasoning = optString(m.reasoning_content) ?? optString(m.reasoning);
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
  if (typeof m.content === 'string' && m.content !== '') parts.push({ type: 'text', text: m.content });
  else if (Array.isArray(m.content)) {
    for (const p of m.content as Json[]) if (p?.type === 'text' && typeof p.text === 'string') parts.push({ type: 'text', text: p.text });
  }
  if (typeof m.refusal === 'string' && m.refusal !== '') parts.push({ type: 'refusal', text: m.refusal });
  if (Array.isArray(m.tool_calls)) {
    for (const c of m.tool_calls as Json[]) {
      const fn = isObject(c?.function) ? c.function : {};
      parts.push({ type: 'tool_call', id: optString(c?.id) ?? newCallId(), name: optString(fn.name) ?? '', arguments: optString(fn.arguments) ?? '' });
    }
  }
  return parts;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `call_<24 alphanumerics>` for servers that omit tool-call ids (§4.2 "IDs"). */
export function newCallId(): string {
  let s = 'call_';
  for (let i = 0; i < 24; i++) s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return s;
}
