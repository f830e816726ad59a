// Gemini wire shapes for the simulator (reference §5): the request read as an OpenAI-like body so the shared
// planner (chat.ts) decides the answer, the answer written as GenerateContentResponse bodies and SSE events,
// and google.rpc.Status error bodies.
import type { ChatPlan } from './chat.ts';
import { splitText } from './chat.ts';

const THOUGHT = 'Let me think about that.';

export interface GeminiPlanInput {
  /** OpenAI-shaped body for planChat. */
  body: any;
  /** Text of the last user turn (directives live there). */
  lastUser: string;
}

/** Gemini request → the OpenAI-like body planChat understands. */
export function geminiToPlanBody(g: any): GeminiPlanInput {
  const messages: any[] = [];
  for (const p of g.systemInstruction?.parts ?? []) if (typeof p?.text === 'string') messages.push({ role: 'system', content: p.text });
  let lastUser = '';
  for (const c of g.contents ?? []) {
    const parts: any[] = Array.isArray(c?.parts) ? c.parts : [];
    const text = parts.filter((p) => typeof p?.text === 'string' && !p.thought).map((p) => p.text).join('\n');
    if (c?.role === 'model') {
      const calls = parts.filter((p) => p?.functionCall).map((p) => ({ function: { arguments: JSON.stringify(p.functionCall.args ?? {}) } }));
      messages.push({ role: 'assistant', content: text, tool_calls: calls.length ? calls : undefined });
      continue;
    }
    const results = parts.filter((p) => p?.functionResponse);
    if (results.length) messages.push({ role: 'tool', content: results.map((p) => JSON.stringify(p.functionResponse.response ?? {})).join('\n') });
    if (text || !results.length) {
      messages.push({ role: 'user', content: text });
      lastUser = text;
    }
  }
  const tools = (g.tools ?? []).flatMap((t: any) => t?.functionDeclarations ?? [])
    .map((f: any) => ({ type: 'function', function: { name: f.name, parameters: f.parametersJsonSchema ?? f.parameters ?? {} } }));
  const fc = g.toolConfig?.functionCallingConfig;
  const tool_choice = fc?.mode === 'NONE' ? 'none' : fc?.mode === 'ANY' && fc.allowedFunctionNames?.length ? { type: 'function', function: { name: fc.allowedFunctionNames[0] } } : undefined;
  const gc = g.generationConfig ?? {};
  const schema = gc.responseJsonSchema ?? gc.responseSchema;
  const response_format = gc.responseMimeType === 'application/json'
    ? (schema ? { type: 'json_schema', json_schema: { schema } } : { type: 'json_object' })
    : undefined;
  return { body: { messages, tools, tool_choice, response_format, max_tokens: gc.maxOutputTokens }, lastUser };
}

/** First function call of a model turn without its thought signature (Gemini 3 rejects the request). */
export function missingSignature(g: any, issued: Set<string>): string | undefined {
  for (const [i, c] of (g.contents ?? []).entries()) {
    if (c?.role !== 'model') continue;
    const first = (c.parts ?? []).find((p: any) => p?.functionCall);
    if (first && !issued.has(first.thoughtSignature)) return `contents[${i}]: function call \`${first.functionCall.name}\``;
  }
  return undefined;
}

export interface GeminiRender {
  model: string;
  responseId: string;
  thinking: boolean;
  /** Gemini 3: sign the first function call with this value. */
  signature?: string;
}

const FINISH = { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP' } as const;

function usage(plan: ChatPlan, r: GeminiRender, done: boolean): Record<string, number> {
  const prompt = plan.usage.prompt_tokens;
  if (!done) return { promptTokenCount: prompt, totalTokenCount: prompt };
  const thoughts = r.thinking ? splitText(THOUGHT).length : 0;
  const out: Record<string, number> = { promptTokenCount: prompt, candidatesTokenCount: plan.usage.completion_tokens };
  if (thoughts) out.thoughtsTokenCount = thoughts;
  out.totalTokenCount = prompt + plan.usage.completion_tokens + thoughts;
  return out;
}

function callParts(plan: ChatPlan, r: GeminiRender): any[] {
  return plan.choices[0].toolCalls.map((t, k) => {
    let args: unknown;
    try { args = JSON.parse(t.args); } catch { args = { raw: t.args }; }
    const part: any = { functionCall: { name: t.name, args } };
    if (k === 0 && r.signature) part.thoughtSignature = r.signature;
    return part;
  });
}

function envelope(r: GeminiRender, candidate: any, u: Record<string, number>): string {
  return JSON.stringify({ candidates: [candidate], usageMetadata: u, modelVersion: r.model, responseId: r.responseId });
}

export function geminiBody(plan: ChatPlan, r: GeminiRender): string {
  const c = plan.choices[0];
  const parts: any[] = r.thinking ? [{ text: THOUGHT, thought: true }] : [];
  if (c.toolCalls.length) parts.push(...callParts(plan, r));
  else parts.push({ text: c.text ?? '' });
  return envelope(r, { content: { parts, role: 'model' }, finishReason: FINISH[c.finish], index: 0 }, usage(plan, r, true));
}

/** SSE events (CRLF-framed, as Google's servers send them): thought, text pieces or calls, last one finishes. */
export function geminiEvents(plan: ChatPlan, r: GeminiRender): string[] {
  const c = plan.choices[0];
  const partial = usage(plan, r, false);
  const frame = (parts: any[], finish?: string, u = partial) =>
    `data: ${envelope(r, { content: { parts, role: 'model' }, ...(finish ? { finishReason: finish } : {}), index: 0 }, u)}\r\n\r\n`;
  const events: string[] = [];
  if (r.thinking) events.push(frame([{ text: THOUGHT, thought: true }]));
  if (c.toolCalls.length) {
    events.push(frame(callParts(plan, r), FINISH[c.finish], usage(plan, r, true)));
    return events;
  }
  const pieces = c.pieces.length ? c.pieces : [''];
  pieces.forEach((p, i) => events.push(i === pieces.length - 1 ? frame([{ text: p }], FINISH[c.finish], usage(plan, r, true)) : frame([{ text: p }])));
  return events;
}

/** A prompt blocked before generation: HTTP 200, no candidates. */
export function blockedBody(r: GeminiRender, prompt: number): string {
  return JSON.stringify({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: prompt, totalTokenCount: prompt }, modelVersion: r.model, responseId: r.responseId });
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED', 499: 'CANCELLED', 500: 'INTERNAL', 501: 'NOT_IMPLEMENTED', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

export function googleError(code: number, message: string, details?: unknown[]): string {
  const error: Record<string, unknown> = { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' };
  if (details) error.details = details;
  return JSON.stringify({ error });
}

