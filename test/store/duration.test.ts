// budget_duration strings and budget period boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDuration, isDuration, nextBoundaryAfter } from '../../src/store/index.ts';

const d = (s: string): Date => new Date(s);

test('durations: LiteLLM spellings parse, others do not', () => {
  for (const ok of ['30s', '10m', '1h', '1d', '7d', '2w', '30d', '1mo', '12mo']) assert.ok(isDuration(ok), ok);
  for (const bad of ['', '0d', '1', 'd', '1y', '1.5h', '-1d', 'monthly', '1 d']) assert.ok(!isDuration(bad), bad);
});

test('months are calendar months, clamped to the month end', () => {
  assert.equal(addDuration(d('2026-01-31T10:00:00Z'), '1mo').toISOString(), '2026-02-28T10:00:00.000Z');
  assert.equal(addDuration(d('2026-01-15T00:00:00Z'), '12mo').toISOString(), '2027-01-15T00:00:00.000Z');
  assert.equal(addDuration(d('2026-03-01T00:00:00Z'), '30s').toISOString(), '2026-03-01T00:00:30.000Z');
});

test('the next boundary keeps the period phase, however late', () => {
  const anchor = d('2026-03-10T13:00:00Z');
  assert.equal(nextBoundaryAfter(anchor, '1h', d('2026-03-10T13:00:00Z')).toISOString(), '2026-03-10T14:00:00.000Z');
  assert.equal(nextBoundaryAfter(anchor, '1h', d('2026-03-10T13:30:00Z')).toISOString(), '2026-03-10T14:00:00.000Z');
  assert.equal(nextBoundaryAfter(anchor, '1h', d('2026-03-12T09:15:00Z')).toISOString(), '2026-03-12T10:00:00.000Z');
  assert.equal(nextBoundaryAfter(anchor, '30s', d('2036-03-10T13:00:10Z')).toISOString(), '2036-03-10T13:00:30.000Z');
  assert.equal(nextBoundaryAfter(anchor, '1mo', d('2026-03-10T13:00:00Z')).toISOString(), '2026-04-10T13:00:00.000Z');
  assert.equal(nextBoundaryAfter(anchor, '1mo', d('2026-07-01T00:00:00Z')).toISOString(), '2026-07-10T13:00:00.000Z');
  assert.equal(nextBoundaryAfter(anchor, '2mo', d('2026-07-11T00:00:00Z')).toISOString(), '2026-09-10T13:00:00.000Z');
  assert.equal(nextBoundaryAfter(d('2026-01-31T00:00:00Z'), '1mo', d('2026-02-28T12:00:00Z')).toISOString(), '2026-03-31T00:00:00.000Z');
});
