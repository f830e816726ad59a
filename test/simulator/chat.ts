// Deterministic chat completions: what to answer (text or tool calls), token counts, the §1.3 body.

import { CHOICE_FILTER_RESULTS, PROMPT_FILTER_RESULTS } from './azure.ts';
import type { Directives } from './directives.ts';

export interface ToolCallPlan { id: string; name: string; args: string; argPieces: string[] }

export interface ChoicePlan {
  /** null when the choice is tool calls only. */
  text: string | null;
  /** The text split into stream deltas; one piece = one completion token. */
  pieces: string[];
  toolCalls: ToolCallPlan[];
  finish: 'stop' | 'length' | 'tool_calls';
}

export interface Usage { prompt_tokens: number; completion_tokens: number; total_tokens: number; [k: string]: unknown }

export interface ChatPlan { id: string; created: number; model: string; choices: ChoicePlan[]; usage: Usage }

export interface Counters { nextChat(): number; nextCall(): number }

const MAX_ECHO = 200;

export function planChat(body: any, model: string, d: Directives, counters: Counters): ChatPlan {
  const messages: any[] = body.messages;
  const last = messages[messages.length - 1] ?? {};
  const n = Number.isInteger(body.n) && body.n > 1 ? Math.min(body.n, 128) : 1;
  const tools: any[] = Array.isArray(body.tools) ? body.tools.filter((t: any) => t?.function?.name) : [];
  const wantTools = tools.length > 0 && body.tool_choice !== 'none' && last.role === 'user';
  const text = wantTools ? null : replyText(body, last, d);
  const limit = body.max_completion_tokens ?? body.max_tokens;
  const choices: ChoicePlan[] = [];
  let completion = 0;
  for (let i = 0; i < n; i++) {
    let choice: ChoicePlan;
    if (text === null) {
      const toolCalls = planToolCalls(body, tools, d, counters);
      choice = { text: null, pieces: [], toolCalls, finish: 'tool_calls' };
      for (const c of toolCalls) completion += c.argPieces.length + 1;
    } else {
      let pieces = splitText(text);
      let finish: ChoicePlan['finish'] = 'stop';
      if (typeof limit === 'number' && limit >= 0 && pieces.length > limit) {
        pieces = pieces.slice(0, limit);
        finish = 'length';
      }
      choice = { text: finish === 'length' ? pieces.join('') : text, pieces, toolCalls: [], finish };
      completion += pieces.length;
    }
    choices.push(choice);
  }
  const prompt = promptTokens(messages);
  return {
    id: `chatcmpl-${counters.nextChat()}`, created: Math.floor(Date.now() / 1000), model, choices,
    usage: usage(prompt, completion),
  };
}

function replyText(body: any, last: any, d: Directives): string {
  if (last.role === 'tool') return `Tool result received: ${contentText(last.content).slice(0, MAX_ECHO)}`;
  if (d.reply !== undefined) return d.reply;
  const format = body.response_format?.type;
  if (format === 'json_object') return '{"ok":true}';
  if (format === 'json_schema') return JSON.stringify(fromSchema(body.response_format.json_schema?.schema ?? {}));
  return `Hello! You said: ${d.text.slice(0, MAX_ECHO)}`;
}

function planToolCalls(body: any, tools: any[], d: Directives, counters: Counters): ToolCallPlan[] {
  const choice = body.tool_choice;
  const forced: string | undefined = choice?.function?.name ?? choice?.allowed_tools?.tools?.[0]?.function?.name;
  const first = (forced && tools.find((t) => t.function.name === forced)) || (forced ? { function: { name: forced } } : tools[0]);
  const picked = d.parallel ? [first, tools.length > 1 && !forced ? tools[1] : first] : [first];
  return picked.map((tool) => {
    const args = d.args ?? JSON.stringify(fromSchema(tool.function.parameters ?? {}));
    return { id: `call_${counters.nextCall()}`, name: tool.function.name, args, argPieces: splitArgs(args) };
  });
}

/** A value for a JSON schema: string → "example" (or the first enum), number → 1, boolean → true. */
export function fromSchema(schema: any): unknown {
  if (!schema || typeof schema !== 'object') return null;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const alt = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alt) && alt.length) return fromSchema(alt[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = fromSchema(v);
      return out;
    }
    case 'array': return [fromSchema(schema.items ?? { type: 'string' })];
    case 'string': return 'example';
    case 'number': case 'integer': return 1;
    case 'boolean': return true;
    default: return null;
  }
}

const PIECE = /\s*(?:[\p{L}\p{N}_]{1,6}|[^\s\p{L}\p{N}_])/gu;

/** Word-ish pieces (≤6 letters/digits, or one symbol) with their leading whitespace; joins back to `text`. */
export function splitText(text: string): string[] {
  const pieces: string[] = text.match(PIECE) ?? [];
  const used = pieces.reduce((a, p) => a + p.length, 0);
  if (used < text.length) { // trailing whitespace
    if (pieces.length) pieces[pieces.length - 1] += text.slice(used);
    else pieces.push(text);
  }
  return pieces;
}

/** Splits tool arguments after each top-level-ish `:` / `,` outside strings; always ≥2 pieces when possible. */
export function splitArgs(args: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ((c === ':' || c === ',') && i + 1 < args.length) {
      pieces.push(args.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < args.length) pieces.push(args.slice(start));
  if (pieces.length === 1 && args.length >= 2) {
    const half = Math.floor(args.length / 2);
    return [args.slice(0, half), args.slice(half)];
  }
  return pieces;
}

export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) if (part?.type === 'text' && typeof part.text === 'string') out += (out ? '\n' : '') + part.text;
  return out;
}

function promptTokens(messages: any[]): number {
  let chars = 0;
  for (const m of messages) {
    chars += contentText(m?.content).length;
    if (Array.isArray(m?.tool_calls)) for (const c of m.tool_calls) chars += String(c?.function?.arguments ?? '').length;
  }
  return Math.max(1, Math.ceil(chars / 4));
}

export function usage(prompt: number, completion: number): Usage {
  return {
    prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** The non-stream `chat.completion` body (§1.3), plus the Azure annotations when `azure`. */
export function completionBody(plan: ChatPlan, azure: boolean): string {
  const choices = plan.choices.map((c, index) => {
    const message: Record<string, unknown> = { role: 'assistant', content: c.text, refusal: null, annotations: [] };
    if (c.toolCalls.length) {
      message.tool_calls = c.toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.args } }));
    }
    const choice: Record<string, unknown> = { index, message, logprobs: null, finish_reason: c.finish };
    if (azure) choice.content_filter_results = CHOICE_FILTER_RESULTS;
    return choice;
  });
  const body: Record<string, unknown> = {
    id: plan.id, object: 'chat.completion', created: plan.created, model: plan.model, choices,
  };
  if (azure) body.prompt_filter_results = PROMPT_FILTER_RESULTS;
  body.usage = plan.usage;
  body.service_tier = 'default';
  body.system_fingerprint = 'fp_sim';
  return JSON.stringify(body);
}
