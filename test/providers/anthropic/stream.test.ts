// Golden stream tests: recorded Anthropic SSE bytes (reference §3.4) → exact canonical events → exact OpenAI
// chunks and Anthropic events; OpenAI chunks (§1.4) → exact Anthropic events (§4.7). Every input is also fed
// split at every byte boundary and one byte at a time: the events must not depend on network chunking.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { StreamDecoder, StreamEvent } from '../../../src/canonical/index.ts';
import { createAnthropicStreamDecoder, createOpenAIStreamDecoder } from '../../../src/providers/index.ts';
import { createAnthropicStreamEncoder } from '../../../src/server/anthropic/anthropic-stream-encoder.ts';
import { createOpenAIStreamEncoder } from '../../../src/server/openai/openai-stream-encoder.ts';

const fixture = (p: string): Buffer => readFileSync(new URL(`../../fixtures/${p}`, import.meta.url));
const json = (p: string): unknown => JSON.parse(fixture(p).toString('utf8'));

/** Decoder output with the wall-clock `created` of Anthropic starts pinned (the wire has no timestamp). */
function decodeChunks(make: () => StreamDecoder, chunks: Uint8Array[]): StreamEvent[] {
  const d = make();
  const events = [...chunks.flatMap((c) => d.push(c)), ...d.end()];
  return events.map((e) => (e.type === 'start' && e.id.startsWith('msg_') ? { ...e, created: 1700000000 } : e));
}

function everySplit(bytes: Buffer): Uint8Array[][] {
  const splits: Uint8Array[][] = [[bytes], [...bytes].map((b) => Uint8Array.of(b))];
  for (let i = 1; i < bytes.length; i++) splits.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return splits;
}

function assertStable(make: () => StreamDecoder, bytes: Buffer, expected: unknown): StreamEvent[] {
  for (const chunks of everySplit(bytes)) assert.deepEqual(decodeChunks(make, chunks), expected);
  return decodeChunks(make, [bytes]);
}

const encodeOpenAI = (events: StreamEvent[]): string => {
  const enc = createOpenAIStreamEncoder({ includeUsage: true });
  return events.map((e) => enc.push(e)).join('');
};
const encodeAnthropic = (events: StreamEvent[]): string => {
  const enc = createAnthropicStreamEncoder();
  return events.map((e) => enc.push(e)).join('');
};

for (const name of ['stream-tool-use', 'stream-thinking-cached']) {
  test(`anthropic/${name}.sse → canonical events, chunk by chunk`, () => {
    assertStable(() => createAnthropicStreamDecoder({}), fixture(`anthropic/${name}.sse`), json(`anthropic/${name}.events.json`));
  });
  test(`anthropic/${name}: canonical events → exact OpenAI chunks and Anthropic events`, () => {
    const events = json(`anthropic/${name}.events.json`) as StreamEvent[];
    assert.equal(encodeOpenAI(events), fixture(`anthropic/${name}.openai.sse`).toString('utf8'));
    assert.equal(encodeAnthropic(events), fixture(`anthropic/${name}.anthropic.sse`).toString('utf8'));
  });
}

test('openai/chat-stream-tools.sse → canonical events → exact Anthropic events (§4.7)', () => {
  const events = assertStable(createOpenAIStreamDecoder, fixture('openai/chat-stream-tools.sse'), json('anthropic/from-openai-chat-stream-tools.events.json'));
  assert.equal(encodeAnthropic(events), fixture('anthropic/from-openai-chat-stream-tools.sse').toString('utf8'));
});

test('every Anthropic event we emit names its type on the event: line, in the §3.4 order', () => {
  for (const name of ['stream-tool-use', 'stream-thinking-cached']) {
    const frames = fixture(`anthropic/${name}.anthropic.sse`).toString('utf8').split('\n\n').filter(Boolean);
    const types = frames.map((f) => {
      const [e, d] = f.split('\n');
      const t = JSON.parse(d.slice('data: '.length)).type;
      assert.equal(e, `event: ${t}`);
      return t;
    });
    assert.equal(types[0], 'message_start');
    assert.deepEqual(types.slice(-2), ['message_delta', 'message_stop']);
  }
});

test('a structured-output tool streams as text and finishes as stop', () => {
  const sse = fixture('anthropic/stream-tool-use.sse').toString('utf8').replaceAll('"name":"get_weather"', '"name":"city"');
  const events = decodeChunks(() => createAnthropicStreamDecoder({ structuredOutputTool: 'city' }), [Buffer.from(sse)]);
  const text = events.flatMap((e) => (e.type === 'text_delta' ? [e.text] : [])).join('');
  assert.equal(text, 'Let me check{"city": "Paris"}');
  assert.ok(!events.some((e) => e.type === 'block_start' && e.block.kind === 'tool_call'));
  assert.deepEqual(events.find((e) => e.type === 'finish'), { type: 'finish', reason: { unified: 'stop', raw: 'tool_use' } });
});

test('stream errors: an Anthropic error event and an early end are canonical errors; nothing follows', () => {
  const head = fixture('anthropic/stream-tool-use.sse').toString('utf8').split('event: content_block_stop')[0];
  const withError = head + 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
  const events = decodeChunks(() => createAnthropicStreamDecoder({}), [Buffer.from(withError)]);
  const last = events[events.length - 1];
  assert.ok(last.type === 'error' && last.error.kind === 'overloaded' && last.error.status === 503);
  assert.ok(!events.some((e) => e.type === 'end'));
  const cut = decodeChunks(() => createAnthropicStreamDecoder({}), [Buffer.from(head)]);
  const end = cut[cut.length - 1];
  assert.ok(end.type === 'error' && end.error.code === 'upstream_stream_interrupted');
  assert.equal(encodeAnthropic(cut).split('event: ').at(-1)?.startsWith('error'), true);
  assert.match(encodeOpenAI(cut), /data: \{"error":\{"message":"Upstream stream ended before message_stop".*\n\ndata: \[DONE\]\n\n$/);
});

test('server-tool blocks are skipped and the remaining blocks renumbered without gaps', () => {
  const sse = [
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_9","model":"c","usage":{"input_tokens":3,"output_tokens":1}}}',
    'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":1}"}}',
    'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
    'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Found it"}}',
    'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}',
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":7}}',
    'event: message_stop\ndata: {"type":"message_stop"}',
    '',
  ].join('\n\n');
  const events = decodeChunks(() => createAnthropicStreamDecoder({}), [Buffer.from(sse)]);
  assert.deepEqual(events.slice(1, 4), [
    { type: 'block_start', index: 0, block: { kind: 'text' } },
    { type: 'text_delta', index: 0, text: 'Found it' },
    { type: 'block_end', index: 0 },
  ]);
});
