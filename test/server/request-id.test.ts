import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncomingMessage } from 'node:http';
import { requestIdOf, uuidV7 } from '../../src/server/http.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('uuidV7: RFC 9562 layout, the time in its first 48 bits, and ids that sort by time', () => {
  const at = Date.parse('2026-11-24T22:00:00.123Z');
  const id = uuidV7(at);
  assert.match(id, UUID_V7);
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
  for (const ms of [0, 0xffffff, 0x1000000, 2 ** 48 - 1]) {
    assert.equal(parseInt(uuidV7(ms).slice(0, 8) + uuidV7(ms).slice(9, 13), 16), ms, `the time ${ms} in the first 48 bits`);
  }
  const ids = [uuidV7(at + 2), uuidV7(at), uuidV7(at + 1)];
  assert.deepEqual([...ids].sort(), [ids[1], ids[2], ids[0]]);
  assert.notEqual(uuidV7(at), uuidV7(at), 'distinct within the same millisecond');
  const sameMs = Array.from({ length: 40_000 }, () => uuidV7(at + 5));
  for (const id of sameMs) assert.match(id, UUID_V7);
  assert.equal(new Set(sameMs).size, sameMs.length, 'no id twice, even past the wrap of the counter');
  const firstRun = sameMs.slice(0, 30_000);
  assert.deepEqual([...firstRun].sort(), firstRun, 'ids of one millisecond count up');
});

test('requestIdOf keeps a sane client id and makes a v7 id otherwise', () => {
  const req = (h: Record<string, string>) => ({ headers: h }) as unknown as IncomingMessage;
  assert.equal(requestIdOf(req({ 'x-request-id': 'client-id.42' })), 'client-id.42');
  assert.match(requestIdOf(req({})), UUID_V7);
  assert.match(requestIdOf(req({ 'x-request-id': 'has spaces and "quotes"' })), UUID_V7);
});
