// Canonical stream events → the exact Anthropic event sequence (reference §3.4, §4.7, §10): every event
// framed as `event: <type>` + `data: <json with the same type>`; `message_start` (then a `ping`), blocks
// numbered from 0, `message_delta` with the stop reason and cumulative usage, `message_stop`. An error
// ends the stream with `event: error` and no `message_stop`.
import { sseNamed, type BlockStart, type FinishReason, type GatewayError, type Json, type StreamEncoder, type StreamEvent, type Usage } from '../../canonical/index.ts';
import { toAnthropicStopReason, toAnthropicUsage } from '../../providers/index.ts';
import { anthropicMessageId } from './render-anthropic-response.ts';
import { anthropicErrorType } from './render-anthropic-error.ts';

const event = (type: string, data: Json): string => sseNamed(type, JSON.stringify({ type, ...data }));

export function createAnthropicStreamEncoder(): StreamEncoder {
  let started = false;
  let closed = false;
  let open: number | undefined;
  let next = 0;
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let finish: { reason: FinishReason; stopSequence?: string } | undefined;
  /** Canonical block index → ours (the two differ only if a decoder skipped numbers). */
  const indexes = new Map<number, number>();

  const messageStart = (id: string, model: string): string => {
    started = true;
    const message = { id: anthropicMessageId(id), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: toAnthropicUsage(usage) };
    return event('message_start', { message }) + sseNamed('ping', '{"type": "ping"}');
  };
  const ensureStarted = (): string => (started ? '' : messageStart('msg_igw', ''));
  const closeOpen = (): string => {
    if (open === undefined) return '';
    const out = event('content_block_stop', { index: open });
    open = undefined;
    return out;
  };
  const delta = (index: number, d: Json): string => {
    const at = indexes.get(index);
    return at === undefined ? '' : event('content_block_delta', { index: at, delta: d });
  };

  return {
    push(ev: StreamEvent): string {
      if (closed) return '';
      switch (ev.type) {
        case 'start':
          if (ev.usage) usage = ev.usage;
          return started ? '' : messageStart(ev.id, ev.model);
        case 'block_start': {
          const out = ensureStarted() + closeOpen();
          open = next++;
          indexes.set(ev.index, open);
          return out + event('content_block_start', { index: open, content_block: contentBlock(ev.block) });
        }
        case 'text_delta':
          return delta(ev.index, { type: 'text_delta', text: ev.text });
        case 'reasoning_delta':
          return delta(ev.index, { type: 'thinking_delta', thinking: ev.text });
        case 'reasoning_signature':
          return delta(ev.index, { type: 'signature_delta', signature: ev.signature });
        case 'tool_args_delta':
          return delta(ev.index, { type: 'input_json_delta', partial_json: ev.delta });
        case 'block_end':
          return indexes.get(ev.index) === open ? closeOpen() : '';
        case 'usage':
          usage = ev.usage;
          return '';
        case 'finish':
          finish = { reason: ev.reason, ...(ev.stopSequence !== undefined ? { stopSequence: ev.stopSequence } : {}) };
          return '';
        case 'end': {
          closed = true;
          const reason = finish?.reason ?? { unified: 'stop', raw: null };
          const d = { stop_reason: toAnthropicStopReason(reason, finish?.stopSequence), stop_sequence: finish?.stopSequence ?? null };
          return ensureStarted() + closeOpen() + event('message_delta', { delta: d, usage: toAnthropicUsage(usage) }) + event('message_stop', {});
        }
        case 'error':
          closed = true;
          return errorEvent(ev.error);
      }
    },
  };
}

export function errorEvent(err: GatewayError): string {
  return event('error', { error: { type: anthropicErrorType(err), message: err.message } });
}

function contentBlock(b: BlockStart): Json {
  switch (b.kind) {
    case 'text':
    case 'refusal':
      return { type: 'text', text: '' };
    case 'reasoning':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_reasoning':
      return { type: 'redacted_thinking', data: b.data };
    case 'tool_call':
      return b.providerData ? { type: 'tool_use', id: b.id, name: b.name, input: {}, provider_data: b.providerData } : { type: 'tool_use', id: b.id, name: b.name, input: {} };
  }
}
