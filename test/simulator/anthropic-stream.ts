// Anthropic streaming with the exact framing of reference §3.4: every event `event: <type>` + `data:` whose
// `type` equals it; message_start, per block start → deltas → stop (a ping after the first block start),
// message_delta with the stop reason and cumulative usage, message_stop.

import type { MessagePlan, PlannedBlock } from './anthropic-plan.ts';

const ev = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
export const PING_EVENT = 'event: ping\ndata: {"type": "ping"}\n\n';

export function anthropicStreamEvents(plan: MessagePlan): string[] {
  const u = plan.usage;
  const events: string[] = [ev('message_start', {
    message: {
      id: plan.id, type: 'message', role: 'assistant', model: plan.model, content: [], stop_reason: null, stop_sequence: null,
      usage: { input_tokens: u.input_tokens, cache_creation_input_tokens: u.cache_creation_input_tokens, cache_read_input_tokens: u.cache_read_input_tokens, output_tokens: 1 },
    },
  })];
  plan.blocks.forEach((b, index) => {
    events.push(ev('content_block_start', { index, content_block: startBlock(b) }));
    if (index === 0) events.push(PING_EVENT);
    for (const delta of deltas(b)) events.push(ev('content_block_delta', { index, delta }));
    events.push(ev('content_block_stop', { index }));
  });
  events.push(ev('message_delta', {
    delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence },
    usage: { input_tokens: u.input_tokens, cache_creation_input_tokens: u.cache_creation_input_tokens, cache_read_input_tokens: u.cache_read_input_tokens, output_tokens: u.output_tokens },
  }));
  events.push(ev('message_stop', {}));
  return events;
}

function startBlock(b: PlannedBlock): Record<string, unknown> {
  if (b.type === 'thinking') return { type: 'thinking', thinking: '', signature: '' };
  if (b.type === 'text') return { type: 'text', text: '' };
  return { type: 'tool_use', id: b.id, name: b.name, input: {} };
}

function deltas(b: PlannedBlock): Record<string, unknown>[] {
  if (b.type === 'text') return b.pieces.map((text) => ({ type: 'text_delta', text }));
  if (b.type === 'thinking') {
    return [...b.pieces.map((thinking) => ({ type: 'thinking_delta', thinking })), { type: 'signature_delta', signature: b.signature }];
  }
  // The API opens every tool_use with an empty fragment (§3.4 example).
  return [{ type: 'input_json_delta', partial_json: '' }, ...b.argPieces.map((partial_json) => ({ type: 'input_json_delta', partial_json }))];
}

/** The in-stream error event (§3.4): sent after HTTP 200, no message_stop follows. */
export function anthropicStreamErrorEvent(message = 'Overloaded'): string {
  return ev('error', { error: { type: 'overloaded_error', message } });
}
