import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseReader, SseLimitError, type SseEvent } from '../../src/canonical/index.ts';

function readAll(parts: (string | Uint8Array)[]): SseEvent[] {
  const r = new SseReader();
  const out: SseEvent[] = [];
  for (const p of parts) out.push(...r.push(typeof p === 'string' ? Buffer.from(p) : p));
  out.push(...r.end());
  return out;
}

test('plain data events, one per blank line', () => {
  assert.deepEqual(readAll(['data: {"a":1}\n\ndata: [DONE]\n\n']), [{ data: '{"a":1}' }, { data: '[DONE]' }]);
});

test('event names, comments and one stripped space', () => {
  const ev = readAll([': keepalive\n\nevent: message_start\ndata:  two spaces\n\n']);
  assert.deepEqual(ev, [{ event: 'message_start', data: ' two spaces' }]);
});

test('CRLF, CR and LF line endings, including CRLF split across chunks', () => {
  assert.deepEqual(readAll(['data: a\r', '\n\r\ndata: b\r\rdata: c\n\n']), [{ data: 'a' }, { data: 'b' }, { data: 'c' }]);
});

test('multi-line data is joined with newlines', () => {
  assert.deepEqual(readAll(['data: {"a":\ndata: 1}\n\n']), [{ data: '{"a":\n1}' }]);
});

test('an event split at every byte still parses once', () => {
  const text = 'data: {"x":"héllo"}\n\n';
  const bytes = Buffer.from(text);
  const parts = [...bytes].map((b) => Uint8Array.of(b));
  assert.deepEqual(readAll(parts), [{ data: '{"x":"héllo"}' }]);
});

test('a leading BOM is ignored and an unterminated final event is dropped', () => {
  assert.deepEqual(readAll(['\uFEFFdata: 1\n\ndata: 2']), [{ data: '1' }]);
});

test('events over the size limit raise a typed error', () => {
  const r = new SseReader(10);
  assert.throws(() => r.push(Buffer.from('data: 0123456789abcdef\n')), SseLimitError);
});
