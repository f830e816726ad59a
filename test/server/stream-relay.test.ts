import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { isPlainDelta, relayOpenAIStream, type StreamOutcome } from '../../src/server/openai/stream-relay.ts';

const delta = (text: string, extra = ''): string =>
  `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}},"finish_reason":null}]${extra}}`;

/** Relays `events` (each a data payload) through a real HTTP response; returns what the client read. */
async function relay(events: string[], includeUsage: boolean): Promise<{ text: string; outcome: StreamOutcome }> {
  let outcome: StreamOutcome | undefined;
  const server = createServer((_req, res) => {
    const body = (async function* () {
      // Split across network chunks at awkward places, as a real upstream does.
      const raw = Buffer.from(events.map((e) => `data: ${e}\n\n`).join(''));
      for (let i = 0; i < raw.length; i += 37) yield raw.subarray(i, i + 37);
    })();
    void relayOpenAIStream(body, res, includeUsage).then((o) => (outcome = o));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return { text: await res.text(), outcome: outcome! };
  } finally {
    server.close();
  }
}

test('isPlainDelta: only delta chunks without an error or a usage value skip parsing', () => {
  assert.equal(isPlainDelta(delta('Hello')), true);
  assert.equal(isPlainDelta(delta('Hello', ',"usage":null')), true);
  assert.equal(isPlainDelta(delta('Hello', ',"usage": null')), true);
  assert.equal(isPlainDelta(delta('say "usage" and "error"')), true, 'quoted words inside text are escaped');
  assert.equal(isPlainDelta(delta('Hello', ',"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}')), false);
  assert.equal(isPlainDelta(delta('error')), false, 'a whole "error" value is parsed to be sure');
  assert.equal(isPlainDelta('{"error":{"message":"overloaded"}}'), false);
  assert.equal(isPlainDelta('{"id":"c1","choices":[],"usage":{"total_tokens":4}}'), false);
  assert.equal(isPlainDelta('{"choices":[{"index":0,"finish_reason":null,"content_filter_results":{}}]}'), false);
  assert.equal(isPlainDelta('{"choices":[{"delta":{"content":"cut'), false, 'not a whole object');
});

test('relay: deltas pass as they are; usage in a content chunk is read; the usage chunk is withheld unless asked for', async () => {
  const usage = '{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}';
  const events = [delta('Hel', ',"usage":null'), delta('lo', `,"usage":${usage}`), `{"id":"c1","choices":[],"usage":${usage}}`, '[DONE]'];
  const withheld = await relay(events, false);
  assert.equal(withheld.text, `data: ${events[0]}\n\ndata: ${events[1]}\n\ndata: [DONE]\n\n`);
  assert.deepEqual(withheld.outcome.usage, JSON.parse(usage));
  assert.equal(withheld.outcome.completed, true);
  const asked = await relay(events, true);
  assert.equal(asked.text, `data: ${events[0]}\n\ndata: ${events[1]}\n\ndata: ${events[2]}\n\ndata: [DONE]\n\n`);
});

test('relay: filter-only and non-JSON chunks are dropped; an error chunk is passed on and marks the stream failed', async () => {
  const filterOnly = '{"id":"c1","choices":[{"index":0,"finish_reason":null,"content_filter_results":{"hate":{"filtered":false}}}]}';
  const error = '{"error":{"message":"The server had an error","type":"server_error"}}';
  const { text, outcome } = await relay([filterOnly, delta('Hi'), 'not json', error, '[DONE]'], false);
  assert.equal(text, `data: ${delta('Hi')}\n\ndata: ${error}\n\ndata: [DONE]\n\n`);
  assert.equal(outcome.completed, false);
});
