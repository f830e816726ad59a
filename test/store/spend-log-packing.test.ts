// Spend-log rows travel to the SQLite worker as arrays: packing and unpacking gives the row back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packRows, unpackRows } from '../../src/store/sql/spend-log-packing.ts';
import type { NewSpendLog } from '../../src/store/index.ts';

test('a packed row unpacks to the same row; fields not given stay absent', () => {
  const full: NewSpendLog = {
    request_id: 'r1', api_key: 'k', user_id: null, team_id: 't', organization_id: null, end_user: 'e', model: 'm', deployment: 'm.0',
    call_type: 'chat.completions', prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, cached_read_tokens: 1, cache_write_tokens: 0,
    reasoning_tokens: 2, spend: 0.0001, start_time: '2026-11-24T00:00:00.000Z', end_time: '2026-11-24T00:00:01.000Z', latency_ms: 1000,
    status: 'success', error_code: null, cache_hit: false, tags: ['a', 'b'], metadata: { key_alias: 'x', nested: { n: 1 } },
  };
  const sparse = { request_id: 'r2', model: 'm', start_time: '2026-11-24T00:00:00.000Z', end_time: '2026-11-24T00:00:00.500Z' } as NewSpendLog;
  const packed = packRows([full, sparse]);
  assert.ok(packed.every(Array.isArray));
  const [a, b] = unpackRows(structuredClone(packed));
  assert.deepEqual(a, full);
  assert.deepEqual(b, sparse);
  assert.ok(!('api_key' in b), 'a field the row did not set is not set to undefined');
});
