// Anthropic SSE events → canonical events (reference §3.4, §4.6): a `switch` over event types calling
// small handlers. Blocks are renumbered (skipped server-tool blocks leave no gaps); the forced tool that
// implements `response_format` streams as a text block; every delta is emitted as it arrives.
import { isObject, optString, SseReader, GatewayError, type Json, type StreamDecoder, type StreamEvent } from '../../canonical/index.ts';
import type { DecodeHints } from '../types.ts';
import { mapAnthropicStreamError } from './map-anthropic-error.ts';
import { fromAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { fromAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.ts';
import { structuredFinish } from './from-anthropic-response.ts';

type Kind = 'text' | 'reasoning' | 'redacted' | 'tool' | 'json_as_text';

interface State {
  hints: DecodeHints;
  /** Anthropic block index → our index and kind; skipped blocks are absent. */
  blocks: Map<number, { index: number; kind: Kind; toolIndex?: number }>;
  nextIndex: number;
  toolCount: number;
  usage: Json;
  stopped: boolean;
  failed: boolean;
  sawRealTool: boolean;
}

export function createAnthropicStreamDecoder(hints: DecodeHints): StreamDecoder {
  const reader = new SseReader();
  const s: State = { hints, blocks: new Map(), nextIndex: 0, toolCount: 0, usage: {}, stopped: false, failed: false, sawRealTool: false };
  const run = (events: { data: string }[]): StreamEvent[] => {
    const out: StreamEvent[] = [];
    for (const ev of events) if (!s.stopped && !s.failed) onEvent(ev.data, s, out);
    return out;
  };
  return {
    push: (chunk) => run(reader.push(chunk)),
    end() {
      const out = run(reader.end());
      if (!s.stopped && !s.failed) {
        out.push({ type: 'error', error: new GatewayError({ status: 502, kind: 'connection', code: 'upstream_stream_interrupted', message: 'Upstream stream ended before message_stop' }) });
      }
      return out;
    },
  };
}

/** The `type` inside the data decides (it always equals the `event:` name, §3.4). */
function onEvent(data: string, s: State, out: StreamEvent[]): void {
  let ev: Json;
  try {
    const v: unknown = JSON.parse(data);
    if (!isObject(v)) return;
    ev = v;
  } catch {
    return;
  }
  switch (ev.type) {
    case 'message_start':
      return onMessageStart(ev, s, out);
    case 'content_block_start':
      return onBlockStart(ev, s, out);
    case 'content_block_delta':
      return onBlockDelta(ev, s, out);
    case 'content_block_stop':
      return onBlockStop(ev, s, out);
    case 'message_delta':
      return onMessageDelta(ev, s, out);
    case 'message_stop':
      s.stopped = true;
      out.push({ type: 'end' });
      return;
    case 'error':
      s.failed = true;
      out.push({ type: 'error', error: mapAnthropicStreamError(ev.error) });
      return;
    default:
      return; // ping and unknown event types (forward-compatible, as the SDK is)
  }
}

function onMessageStart(ev: Json, s: State, out: StreamEvent[]): void {
  const m = isObject(ev.message) ? ev.message : {};
  s.usage = mergeAnthropicUsage({}, m.usage);
  const start: StreamEvent = { type: 'start', id: optString(m.id) ?? 'msg_unknown', model: optString(m.model) ?? '', created: Math.floor(Date.now() / 1000) };
  const usage = fromAnthropicUsage(s.usage);
  if (usage) start.usage = usage;
  out.push(start);
}

function onBlockStart(ev: Json, s: State, out: StreamEvent[]): void {
  const b = isObject(ev.content_block) ? ev.content_block : {};
  const at = typeof ev.index === 'number' ? ev.index : s.blocks.size;
  const index = s.nextIndex;
  switch (b.type) {
    case 'text':
      s.blocks.set(at, { index, kind: 'text' });
      out.push({ type: 'block_start', index, block: { kind: 'text' } });
      if (typeof b.text === 'string' && b.text) out.push({ type: 'text_delta', index, text: b.text });
      break;
    case 'thinking':
      s.blocks.set(at, { index, kind: 'reasoning' });
      out.push({ type: 'block_start', index, block: { kind: 'reasoning' } });
      break;
    case 'redacted_thinking':
      s.blocks.set(at, { index, kind: 'redacted' });
      out.push({ type: 'block_start', index, block: { kind: 'redacted_reasoning', data: String(b.data ?? '') } });
      break;
    case 'tool_use':
      if (s.hints.structuredOutputTool !== undefined && b.name === s.hints.structuredOutputTool) {
        s.blocks.set(at, { index, kind: 'json_as_text' });
        out.push({ type: 'block_start', index, block: { kind: 'text' } });
        break;
      }
      s.sawRealTool = true;
      s.blocks.set(at, { index, kind: 'tool', toolIndex: s.toolCount });
      out.push({ type: 'block_start', index, block: { kind: 'tool_call', toolIndex: s.toolCount++, id: String(b.id ?? ''), name: String(b.name ?? '') } });
      break;
    default:
      return; // server tools and their results: no counterpart
  }
  s.nextIndex++;
}

function onBlockDelta(ev: Json, s: State, out: StreamEvent[]): void {
  const block = s.blocks.get(typeof ev.index === 'number' ? ev.index : -1);
  const d = isObject(ev.delta) ? ev.delta : {};
  if (!block) return;
  const index = block.index;
  switch (d.type) {
    case 'text_delta':
      if (typeof d.text === 'string' && d.text) out.push({ type: 'text_delta', index, text: d.text });
      return;
    case 'input_json_delta': {
      const part = typeof d.partial_json === 'string' ? d.partial_json : '';
      if (!part) return;
      if (block.kind === 'json_as_text') out.push({ type: 'text_delta', index, text: part });
      else out.push({ type: 'tool_args_delta', index, toolIndex: block.toolIndex ?? 0, delta: part });
      return;
    }
    case 'thinking_delta':
      if (typeof d.thinking === 'string' && d.thinking) out.push({ type: 'reasoning_delta', index, text: d.thinking });
      return;
    case 'signature_delta':
      if (typeof d.signature === 'string' && d.signature) out.push({ type: 'reasoning_signature', index, signature: d.signature });
      return;
    default:
      return; // citations_delta and future delta types
  }
}

function onBlockStop(ev: Json, s: State, out: StreamEvent[]): void {
  const block = s.blocks.get(typeof ev.index === 'number' ? ev.index : -1);
  if (block) out.push({ type: 'block_end', index: block.index });
}

/** Usage here is cumulative and overwrites what message_start said (§3.4). */
function onMessageDelta(ev: Json, s: State, out: StreamEvent[]): void {
  s.usage = mergeAnthropicUsage(s.usage, ev.usage);
  const usage = fromAnthropicUsage(s.usage);
  if (usage) out.push({ type: 'usage', usage });
  const d = isObject(ev.delta) ? ev.delta : {};
  if (d.stop_reason === undefined || d.stop_reason === null) return;
  const reason = structuredFinish(fromAnthropicStopReason(d.stop_reason), s.sawRealTool ? [{ type: 'tool_call', id: '', name: '', arguments: '' }] : null, s.hints);
  const finish: StreamEvent = { type: 'finish', reason };
  if (typeof d.stop_sequence === 'string') finish.stopSequence = d.stop_sequence;
  out.push(finish);
}
