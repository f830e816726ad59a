// Bedrock Converse shapes for the simulator (reference §6): request validation (role alternation, blank
// text, toolConfig when tool blocks appear), the request read as an OpenAI-like body for the planner, the
// Converse response and the ConverseStream messages (with Bedrock's `p` padding), encoded with
// @smithy/core's event-stream codec.
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { ChatPlan } from './chat.ts';

const codec = new EventStreamCodec((b) => new TextDecoder().decode(b), (s) => new TextEncoder().encode(s));
const THOUGHT = 'Let me think about that.';

/** A ValidationException message, or undefined when Converse would accept the request. */
export function validateConverse(b: any): string | undefined {
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'The model returned the following errors: messages: field required';
  let toolBlocks = false;
  for (const [i, m] of b.messages.entries()) {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (m?.role !== expected) return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    for (const [j, c] of (m.content ?? []).entries()) {
      if (typeof c?.text === 'string' && c.text.trim() === '') return `The text field in the ContentBlock object at messages.${i}.content.${j} is blank. Add text to the text field, and try again.`;
      if (c?.toolUse || c?.toolResult) toolBlocks = true;
    }
  }
  if (toolBlocks && !b.toolConfig) return 'The toolConfig field must be defined when using toolUse and toolResult content blocks.';
  return undefined;
}

export function converseToPlanBody(b: any): { body: any; lastUser: string } {
  const messages: any[] = [];
  for (const s of b.system ?? []) if (typeof s?.text === 'string') messages.push({ role: 'system', content: s.text });
  let lastUser = '';
  for (const m of b.messages ?? []) {
    const blocks: any[] = m.content ?? [];
    const text = blocks.filter((c) => typeof c?.text === 'string').map((c) => c.text).join('\n');
    if (m.role === 'assistant') {
      const calls = blocks.filter((c) => c?.toolUse).map((c) => ({ function: { arguments: JSON.stringify(c.toolUse.input ?? {}) } }));
      messages.push({ role: 'assistant', content: text, tool_calls: calls.length ? calls : undefined });
      continue;
    }
    const results = blocks.filter((c) => c?.toolResult);
    if (results.length) {
      const out = results.flatMap((c) => c.toolResult.content ?? []).map((x: any) => x.text ?? JSON.stringify(x.json ?? '')).join('\n');
      messages.push({ role: 'tool', content: out });
    }
    if (text || !results.length) {
      messages.push({ role: 'user', content: text });
      lastUser = text;
    }
  }
  const tools = (b.toolConfig?.tools ?? []).map((t: any) => ({ type: 'function', function: { name: t.toolSpec?.name, parameters: t.toolSpec?.inputSchema?.json ?? {} } }));
  const choice = b.toolConfig?.toolChoice;
  const tool_choice = choice?.tool ? { type: 'function', function: { name: choice.tool.name } } : undefined;
  return { body: { messages, tools, tool_choice, max_tokens: b.inferenceConfig?.maxTokens }, lastUser };
}

const STOP = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' } as const;

export interface BedrockRender { thinking: boolean; signature: string }

function usage(plan: ChatPlan, thinking: boolean) {
  const out = plan.usage.completion_tokens + (thinking ? 5 : 0);
  return { inputTokens: plan.usage.prompt_tokens, outputTokens: out, totalTokens: plan.usage.prompt_tokens + out };
}

export function converseBody(plan: ChatPlan, r: BedrockRender): string {
  const c = plan.choices[0];
  const content: any[] = r.thinking ? [{ reasoningContent: { reasoningText: { text: THOUGHT, signature: r.signature } } }] : [];
  if (c.toolCalls.length) {
    for (const t of c.toolCalls) content.push({ toolUse: { toolUseId: `tooluse_${t.id}`, name: t.name, input: parseArgs(t.args) } });
  } else content.push({ text: c.text ?? '' });
  return JSON.stringify({ metrics: { latencyMs: 42 }, output: { message: { content, role: 'assistant' } }, stopReason: STOP[c.finish], usage: usage(plan, r.thinking) });
}

export function guardrailBody(prompt: number): string {
  return JSON.stringify({
    metrics: { latencyMs: 7 },
    output: { message: { content: [{ text: 'Sorry, the model cannot answer this question.' }], role: 'assistant' } },
    stopReason: 'guardrail_intervened',
    usage: { inputTokens: prompt, outputTokens: 0, totalTokens: prompt },
  });
}

function parseArgs(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return { raw: args };
  }
}

let padding = 0;
/** Bedrock pads events with a random-length `p` string; here a cycling length. */
function pad(): string {
  padding = (padding + 7) % 23;
  return 'abcdefghijklmnopqrstuvwxyz'.slice(0, padding + 1);
}

export function eventMessage(type: string, payload: object): Uint8Array {
  return encode({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, { ...payload, p: pad() });
}

export function exceptionMessage(type: string, message: string): Uint8Array {
  return encode({ ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }, { message });
}

function encode(headers: Record<string, string>, payload: object): Uint8Array {
  const typed = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { type: 'string' as const, value: v }]));
  return codec.encode({ headers: typed, body: new TextEncoder().encode(JSON.stringify(payload)) });
}

/** The ConverseStream messages: reasoning block, text deltas (no start) or tool blocks, stop, metadata. */
export function converseStream(plan: ChatPlan, r: BedrockRender, guardrail = false): Uint8Array[] {
  const c = plan.choices[0];
  const out: Uint8Array[] = [eventMessage('messageStart', { role: 'assistant' })];
  let i = 0;
  if (guardrail) {
    out.push(eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Sorry, the model cannot answer this question.' } }));
    out.push(eventMessage('contentBlockStop', { contentBlockIndex: 0 }), eventMessage('messageStop', { stopReason: 'guardrail_intervened' }));
    out.push(eventMessage('metadata', { metrics: { latencyMs: 7 }, usage: { inputTokens: plan.usage.prompt_tokens, outputTokens: 0, totalTokens: plan.usage.prompt_tokens } }));
    return out;
  }
  if (r.thinking) {
    out.push(eventMessage('contentBlockDelta', { contentBlockIndex: i, delta: { reasoningContent: { text: THOUGHT } } }));
    out.push(eventMessage('contentBlockDelta', { contentBlockIndex: i, delta: { reasoningContent: { signature: r.signature } } }));
    out.push(eventMessage('contentBlockStop', { contentBlockIndex: i++ }));
  }
  if (c.toolCalls.length) {
    for (const t of c.toolCalls) {
      out.push(eventMessage('contentBlockStart', { contentBlockIndex: i, start: { toolUse: { toolUseId: `tooluse_${t.id}`, name: t.name } } }));
      for (const piece of t.argPieces) out.push(eventMessage('contentBlockDelta', { contentBlockIndex: i, delta: { toolUse: { input: piece } } }));
      out.push(eventMessage('contentBlockStop', { contentBlockIndex: i++ }));
    }
  } else {
    for (const piece of c.pieces) out.push(eventMessage('contentBlockDelta', { contentBlockIndex: i, delta: { text: piece } }));
    out.push(eventMessage('contentBlockStop', { contentBlockIndex: i }));
  }
  out.push(eventMessage('messageStop', { stopReason: STOP[c.finish] }));
  out.push(eventMessage('metadata', { metrics: { latencyMs: 42 }, usage: usage(plan, r.thinking) }));
  return out;
}
