import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTime } from '../../src/server/governance/spend-row.ts';

test('isoTime writes what Date.prototype.toISOString writes', () => {
  const samples = [
    0, 1, 9, 10, 99, 100, 999, 1000, 1001, 59_999, 60_000,
    Date.UTC(2026, 10, 25, 3, 0, 58, 7), Date.UTC(2026, 10, 25, 3, 0, 58, 70), Date.UTC(2026, 10, 25, 3, 0, 59, 999),
    Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    Date.UTC(10000, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 500), -1, 1_764_000_000_123.7,
  ];
  // Alternating seconds as well as repeats of one, so that the kept prefix is both reused and replaced.
  for (const ms of [...samples, ...samples.slice().reverse(), ...samples.map((m) => m + 1)]) {
    assert.equal(isoTime(ms), new Date(ms).toISOString(), `ms=${ms}`);
  }
  for (let ms = Date.UTC(2026, 0, 1) - 2500; ms < Date.UTC(2026, 0, 1) + 2500; ms += 7) assert.equal(isoTime(ms), new Date(ms).toISOString());
});

test('isoTime refuses what toISOString refuses', () => {
  assert.throws(() => isoTime(Number.NaN), RangeError);
  assert.throws(() => isoTime(Infinity), RangeError);
});
