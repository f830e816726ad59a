// Helpers for golden stream tests: feed recorded bytes to a decoder whole, split at every boundary, and
// byte by byte; the events must be the same every time. `created` and error objects are normalised so
// fixtures can be compared as JSON.
import assert from 'node:assert/strict';
import type { StreamDecoder, StreamEvent } from '../../src/canonical/index.ts';

export function decodeIn(make: () => StreamDecoder, chunks: Uint8Array[]): unknown[] {
  const d = make();
  const out: StreamEvent[] = [];
  for (const c of chunks) out.push(...d.push(c));
  out.push(...d.end());
  return out.map(normalise);
}

/** Events as plain JSON: `created` dropped (it may be the receive time), errors reduced to status/kind/code. */
export function normalise(e: StreamEvent): unknown {
  if (e.type === 'start') {
    assert.equal(typeof e.created, 'number');
    const { created: _created, ...rest } = e;
    return rest;
  }
  if (e.type === 'error') return { type: 'error', status: e.error.status, kind: e.error.kind, code: e.error.code };
  return JSON.parse(JSON.stringify(e));
}

/** Decodes `bytes` whole, at every split point (or a sample of them for long inputs) and one byte at a time. */
export function assertSameAtEveryBoundary(make: () => StreamDecoder, bytes: Uint8Array, expected: unknown[]): void {
  assert.deepEqual(decodeIn(make, [bytes]), expected, 'whole');
  const step = Math.max(1, Math.floor(bytes.length / 400));
  for (let i = 1; i < bytes.length; i += step) {
    assert.deepEqual(decodeIn(make, [bytes.subarray(0, i), bytes.subarray(i)]), expected, `split at ${i}`);
  }
  const single: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
  assert.deepEqual(decodeIn(make, single), expected, 'byte by byte');
}
