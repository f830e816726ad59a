// OpenAI `chat.completion.chunk` stream → canonical events (reference §1.4, §4.7 read backwards). A small
// state machine: one block open at a time; a content, reasoning or refusal delta of another kind, or a new
// tool-call index, closes the open block and opens the next. Every delta is emitted as it arrives.
import {
  GatewayError,
  isObject,
  optString,
  SseReader,
  type BlockStart,
  type FinishReason,
  type Json,
  type StreamDecoder,
  type StreamEvent,
} from '../../canonical/index.ts';
import { fromOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { fromOpenAIUsage } from './map-openai-usage.ts';
import { classifyOpenAIError } from './map-openai-error.ts';
import { newCallId } from './from-openai-response.ts';

type OpenKind = 'text' | 'reasoning' | 'refusal' | 'tool_call';

interface State {
  started: boolean;
  nextIndex: number;
  open: { kind: OpenKind; index: number; toolIndex?: number } | undefined;
  /** OpenAI tool index → canonical block index. */
  tools: Map<number, number>;
  finishRaw: unknown;
  finished: boolean;
  done: boolean;
  failed: boolean;
}

export function createOpenAIStreamDecoder(): StreamDecoder {
  const reader = new SseReader();
  const s: State = { started: false, nextIndex: 0, open: undefined, tools: new Map(), finishRaw: undefined, finished: false, done: false, failed: false };
  return {
    push(chunk) {
      const out: StreamEvent[] = [];
      for (const ev of reader.push(chunk)) if (!s.done && !s.failed) onData(ev.data, s, out);
      return out;
    },
    end() {
      const out: StreamEvent[] = [];
      for (const ev of reader.end()) if (!s.done && !s.failed) onData(ev.data, s, out);
      if (s.done || s.failed) return out;
      // No [DONE]: a stream that already reported its finish reason ended well enough.
      if (s.finished) finishStream(s, out);
      else out.push({ type: 'error', error: interrupted() });
      return out;
    },
  };
}

function onData(data: string, s: State, out: StreamEvent[]): void {
  if (data === '[DONE]') return finishStream(s, out);
  let chunk: Json;
  try {
    const v: unknown = JSON.parse(data);
    if (!isObject(v)) return;
    chunk = v;
  } catch {
    return;
  }
  if (chunk.error !== undefined) return fail(chunk.error, s, out);
  if (!s.started) {
    s.started = true;
    out.push({ type: 'start', id: optString(chunk.id) ?? newCallId(), model: optString(chunk.model) ?? '', created: typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000) });
  }
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  const choice = choices.find((c) => isObject(c) && (c.index ?? 0) === 0);
  if (isObject(choice)) onChoice(choice, s, out);
  const usage = fromOpenAIUsage(chunk.usage);
  if (usage) out.push({ type: 'usage', usage });
}

function onChoice(choice: Json, s: State, out: StreamEvent[]): void {
  const delta = isObject(choice.delta) ? choice.delta : {};
  const reasoning = optString(delta.reasoning_content) ?? optString(delta.reasoning);
  if (reasoning) appendText('reasoning', reasoning, s, out);
  if (typeof delta.content === 'string' && delta.content !== '') appendText('text', delta.content, s, out);
  if (typeof delta.refusal === 'string' && delta.refusal !== '') appendText('refusal', delta.refusal, s, out);
  if (Array.isArray(delta.tool_calls)) for (const t of delta.tool_calls) if (isObject(t)) onToolCall(t, s, out);
  if (choice.finish_reason !== null && choice.finish_reason !== undefined && !s.finished) {
    closeOpen(s, out);
    s.finished = true;
    s.finishRaw = choice.finish_reason;
    out.push({ type: 'finish', reason: finishReason(s) });
  }
}

function finishReason(s: State): FinishReason {
  return fromOpenAIFinishReason(s.finishRaw, s.tools.size > 0);
}

function appendText(kind: 'text' | 'reasoning' | 'refusal', text: string, s: State, out: StreamEvent[]): void {
  if (s.open?.kind !== kind) {
    const block: BlockStart = kind === 'text' ? { kind: 'text' } : kind === 'reasoning' ? { kind: 'reasoning' } : { kind: 'refusal' };
    openBlock(kind, block, s, out);
  }
  const index = s.open!.index;
  out.push(kind === 'reasoning' ? { type: 'reasoning_delta', index, text } : { type: 'text_delta', index, text });
}

function onToolCall(t: Json, s: State, out: StreamEvent[]): void {
  const toolIndex = typeof t.index === 'number' ? t.index : 0;
  const fn = isObject(t.function) ? t.function : {};
  let index = s.tools.get(toolIndex);
  if (index === undefined) {
    const block: BlockStart = { kind: 'tool_call', toolIndex: s.tools.size, id: optString(t.id) ?? newCallId(), name: optString(fn.name) ?? '' };
    index = openBlock('tool_call', block, s, out, toolIndex);
    s.tools.set(toolIndex, index);
  }
  const args = optString(fn.arguments);
  if (args) out.push({ type: 'tool_args_delta', index, toolIndex: [...s.tools.keys()].indexOf(toolIndex), delta: args });
}

function openBlock(kind: OpenKind, block: BlockStart, s: State, out: StreamEvent[], toolIndex?: number): number {
  closeOpen(s, out);
  const index = s.nextIndex++;
  s.open = { kind, index, toolIndex };
  out.push({ type: 'block_start', index, block });
  return index;
}

function closeOpen(s: State, out: StreamEvent[]): void {
  if (!s.open) return;
  out.push({ type: 'block_end', index: s.open.index });
  s.open = undefined;
}

function finishStream(s: State, out: StreamEvent[]): void {
  closeOpen(s, out);
  if (!s.finished) {
    s.finished = true;
    out.push({ type: 'finish', reason: finishReason(s) });
  }
  s.done = true;
  out.push({ type: 'end' });
}

function fail(error: unknown, s: State, out: StreamEvent[]): void {
  const e = isObject(error) ? error : {};
  const message = optString(e.message) ?? 'Upstream stream error';
  const code = e.code === undefined || e.code === null ? null : String(e.code);
  const kind = classifyOpenAIError(500, { code, message });
  s.failed = true;
  out.push({
    type: 'error',
    error: new GatewayError({ status: kind === 'server' ? 502 : 500, kind, code: code ?? 'upstream_stream_error', type: optString(e.type), message }),
  });
}

function interrupted(): GatewayError {
  return new GatewayError({ status: 502, kind: 'connection', code: 'upstream_stream_interrupted', message: 'Upstream stream ended before [DONE]' });
}
