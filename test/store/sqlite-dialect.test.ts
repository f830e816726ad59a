// SQLite's spelling of values: times are stored exactly as toISOString() writes them, whatever form they came in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError } from '../../src/store/index.ts';
import { sqliteDialect } from '../../src/store/sql/sqlite-dialect.ts';

const time = (v: unknown): unknown => sqliteDialect.value('time', v);

test('a time in the stored form is kept as it is; other forms Date reads are rewritten into it', () => {
  for (const stored of ['2026-03-01T10:00:00.000Z', '2024-02-29T23:59:59.999Z', '0001-12-31T00:00:00.000Z', '9999-10-31T12:34:56.789Z']) {
    assert.equal(time(stored), stored);
  }
  assert.equal(time('2026-03-01T10:00:00Z'), '2026-03-01T10:00:00.000Z');
  assert.equal(time('2026-03-01T11:00:00.000+01:00'), '2026-03-01T10:00:00.000Z');
  assert.equal(time('2026-03-01'), '2026-03-01T00:00:00.000Z');
  assert.equal(time(new Date('2026-03-01T10:00:00Z')), '2026-03-01T10:00:00.000Z');
  assert.equal(time(Date.parse('2026-03-01T10:00:00Z')), '2026-03-01T10:00:00.000Z');
  assert.equal(time(null), null);
});

test('a day or hour that Date rolls over is stored as the time it stands for', () => {
  assert.equal(time('2026-02-29T00:00:00.000Z'), '2026-03-01T00:00:00.000Z');
  assert.equal(time('2026-02-31T00:00:00.000Z'), '2026-03-03T00:00:00.000Z');
  assert.equal(time('2026-04-31T08:00:00.000Z'), '2026-05-01T08:00:00.000Z');
  assert.equal(time('2026-03-01T24:00:00.000Z'), '2026-03-02T00:00:00.000Z');
});

test('every day of a leap and a common year, days 29-31 of every month included, is stored as toISOString() writes it', () => {
  for (const year of ['2024', '2026']) {
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= 31; day++) {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:00:00.000Z`;
        assert.equal(time(text), new Date(text).toISOString(), text);
      }
    }
  }
});

test('what Date cannot read is invalid', () => {
  for (const bad of ['2026-13-01T00:00:00.000Z', '2026-02-32T00:00:00.000Z', '2026-03-01T23:60:00.000Z', 'yesterday', '', true, {}]) {
    assert.throws(
      () => time(bad),
      (err: unknown) => err instanceof StoreError && err.code === 'invalid',
      String(bad),
    );
  }
});
