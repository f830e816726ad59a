// Anthropic Messages replies (reference §3.2–§3.4): what to answer (thinking, text, tool_use), token counts
// with prompt caching, and the non-stream `message` body. Deterministic, like ./chat.ts.

import { createHash } from 'node:crypto';
import { fromSchema, splitArgs, splitText } from './chat.ts';
import type { Directives } from './directives.ts';

export type PlannedBlock =
  | { type: 'thinking'; thinking: string; signature: string; pieces: string[] }
  | { type: 'text'; text: string; pieces: string[] }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; argPieces: string[] };

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface MessagePlan {
  id: string;
  model: string;
  blocks: PlannedBlock[];
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';
  stopSequence: string | null;
  usage: AnthropicUsage;
}

export interface PlanState {
  nextMessage(): number;
  nextToolUse(): number;
  /** Cache prefixes written so far (a second request with the same prefix reads it). */
  cached: Set<string>;
}

const MAX_ECHO = 200;

/** The signature the simulator gives a thinking text; replayed thinking must carry exactly this. */
export function thinkingSignature(thinking: string): string {
  return 'sig_' + createHash('sha256').update(thinking).digest('base64url').slice(0, 32);
}

export function planMessage(body: any, d: Directives, lastUser: any, state: PlanState): MessagePlan {
  const tools: any[] = Array.isArray(body.tools) ? body.tools.filter((t: any) => typeof t?.name === 'string' && t.input_schema) : [];
  const toolResult = firstToolResult(lastUser);
  const wantTools = tools.length > 0 && body.tool_choice?.type !== 'none' && toolResult === undefined;
  const blocks: PlannedBlock[] = [];
  const thinkingOn = body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';
  if (thinkingOn) {
    const thinking = `Thinking about: ${(toolResult ?? d.text).slice(0, MAX_ECHO)}`;
    blocks.push({ type: 'thinking', thinking, signature: thinkingSignature(thinking), pieces: splitText(thinking) });
  }
  let stopReason: MessagePlan['stopReason'] = 'end_turn';
  let stopSequence: string | null = null;
  if (wantTools) {
    const forced = body.tool_choice?.type === 'tool' || body.tool_choice?.type === 'any';
    if (!forced) blocks.push(textBlock('Let me check.'));
    for (const tool of pickTools(body, tools, d)) {
      const args = d.args ?? JSON.stringify(fromSchema(tool.input_schema));
      let input: Record<string, unknown>;
      try { input = JSON.parse(args); } catch { input = { raw: args }; }
      blocks.push({ type: 'tool_use', id: `toolu_sim_${state.nextToolUse()}`, name: tool.name, input, argPieces: splitArgs(JSON.stringify(input)) });
    }
    stopReason = 'tool_use';
  } else {
    let text = replyText(body, d, toolResult);
    const hit = stopHit(text, body.stop_sequences);
    if (hit) {
      text = text.slice(0, hit.at);
      stopReason = 'stop_sequence';
      stopSequence = hit.sequence;
    }
    blocks.push(textBlock(text));
  }
  let output = outputTokens(blocks);
  if (typeof body.max_tokens === 'number' && output > body.max_tokens) {
    truncate(blocks, body.max_tokens);
    stopReason = 'max_tokens';
    stopSequence = null;
    output = body.max_tokens;
  }
  return { id: `msg_sim_${state.nextMessage()}`, model: body.model, blocks, stopReason, stopSequence, usage: usageOf(body, output, state) };
}

function textBlock(text: string): PlannedBlock {
  return { type: 'text', text, pieces: splitText(text) };
}

function pickTools(body: any, tools: any[], d: Directives): any[] {
  const forced = body.tool_choice?.type === 'tool' ? tools.find((t) => t.name === body.tool_choice.name) : undefined;
  const first = forced ?? tools[0];
  if (!d.parallel || body.tool_choice?.disable_parallel_tool_use === true) return [first];
  return [first, tools.length > 1 && !forced ? tools[1] : first];
}

function firstToolResult(lastUser: any): string | undefined {
  if (!Array.isArray(lastUser?.content)) return undefined;
  const r = lastUser.content.find((b: any) => b?.type === 'tool_result');
  if (!r) return undefined;
  if (typeof r.content === 'string') return r.content;
  return Array.isArray(r.content) ? r.content.filter((b: any) => b?.type === 'text').map((b: any) => b.text).join('\n') : '';
}

function replyText(body: any, d: Directives, toolResult: string | undefined): string {
  if (toolResult !== undefined) return `Tool result received: ${toolResult.slice(0, MAX_ECHO)}`;
  if (d.reply !== undefined) return d.reply;
  if (body.output_config?.format?.type === 'json_schema') return JSON.stringify(fromSchema(body.output_config.format.schema ?? {}));
  return `Hello! You said: ${d.text.slice(0, MAX_ECHO)}`;
}

function stopHit(text: string, sequences: unknown): { at: number; sequence: string } | undefined {
  if (!Array.isArray(sequences)) return undefined;
  let best: { at: number; sequence: string } | undefined;
  for (const s of sequences) {
    const at = typeof s === 'string' && s ? text.indexOf(s) : -1;
    if (at >= 0 && (!best || at < best.at)) best = { at, sequence: s };
  }
  return best;
}

function outputTokens(blocks: PlannedBlock[]): number {
  let n = 0;
  for (const b of blocks) n += b.type === 'tool_use' ? b.argPieces.length + 1 : b.pieces.length;
  return n;
}

/** Cuts the blocks to `limit` output tokens (a tool_use that does not fit is dropped whole). */
function truncate(blocks: PlannedBlock[], limit: number): void {
  let left = limit;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    const cost = b.type === 'tool_use' ? b.argPieces.length + 1 : b.pieces.length;
    if (cost <= left) { left -= cost; continue; }
    if (b.type === 'tool_use') blocks.length = i;
    else {
      b.pieces = b.pieces.slice(0, left);
      if (b.type === 'text') b.text = b.pieces.join('');
      else b.thinking = b.pieces.join('');
      blocks.length = i + 1;
    }
    return;
  }
}

/**
 * input = ceil(chars / 4) over system, messages and tools. With any `cache_control` in the request, the
 * system + tools prefix is written to the cache the first time and read from it afterwards.
 */
function usageOf(body: any, output: number, state: PlanState): AnthropicUsage {
  const prefix = JSON.stringify([body.system ?? '', body.tools ?? []]);
  const total = Math.max(1, Math.ceil((textChars(body.system) + textChars(body.messages) + JSON.stringify(body.tools ?? []).length) / 4));
  const usage: AnthropicUsage = { input_tokens: total, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  if (!JSON.stringify(body).includes('"cache_control"')) return usage;
  const cachedTokens = Math.min(total, Math.max(1, Math.ceil((textChars(body.system) + JSON.stringify(body.tools ?? []).length) / 4)));
  const key = createHash('sha256').update(prefix).digest('hex');
  if (state.cached.has(key)) usage.cache_read_input_tokens = cachedTokens;
  else {
    state.cached.add(key);
    usage.cache_creation_input_tokens = cachedTokens;
  }
  usage.input_tokens = total - cachedTokens;
  return usage;
}

function textChars(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + textChars(x), 0);
  if (!v || typeof v !== 'object') return 0;
  const o = v as any;
  if (typeof o.text === 'string') return o.text.length;
  if (typeof o.thinking === 'string') return o.thinking.length;
  if (o.type === 'tool_use') return JSON.stringify(o.input ?? {}).length;
  return textChars(o.content);
}

export function fullUsage(u: AnthropicUsage): Record<string, unknown> {
  return {
    ...u,
    cache_creation: { ephemeral_5m_input_tokens: u.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    service_tier: 'standard',
  };
}

/** The non-stream `message` body (§3.3). */
export function messageBody(plan: MessagePlan): string {
  const content = plan.blocks.map((b) => {
    if (b.type === 'thinking') return { type: 'thinking', thinking: b.thinking, signature: b.signature };
    if (b.type === 'text') return { type: 'text', text: b.text, citations: null };
    return { type: 'tool_use', id: b.id, name: b.name, input: b.input };
  });
  return JSON.stringify({
    id: plan.id, type: 'message', role: 'assistant', model: plan.model, content,
    stop_reason: plan.stopReason, stop_sequence: plan.stopSequence, stop_details: null, usage: fullUsage(plan.usage),
  });
}
