// The spend-log queue: size- and time-triggered batches, retries that keep rows, and a drain on close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../src/observability/index.ts';
import { SpendWriter } from '../../src/spend/index.ts';
import type { NewSpendLog } from '../../src/store/index.ts';

const logger = createLogger('silent');

function row(i: number): NewSpendLog {
  const t = new Date(Date.UTC(2026, 2, 10, 12, 0, 0, i)).toISOString();
  return { request_id: `r${i}`, model: 'm', start_time: t, end_time: t, spend: 0.001 };
}

test('a full batch is written at once, in one insert, in order', async () => {
  const batches: string[][] = [];
  const w = new SpendWriter({ logger, batchSize: 3, flushIntervalMs: 60_000, insert: async (rows) => (batches.push(rows.map((r) => r.request_id)), rows.length) });
  for (let i = 0; i < 7; i++) w.enqueue(row(i));
  await sleep(10);
  assert.deepEqual(batches, [['r0', 'r1', 'r2'], ['r3', 'r4', 'r5']]);
  assert.equal(w.stats().queued, 1);
  await w.close();
  assert.deepEqual(batches.at(-1), ['r6']);
  assert.equal(w.stats().written, 7);
});

test('fewer rows than a batch are written after the interval', async () => {
  const written: string[] = [];
  const w = new SpendWriter({ logger, batchSize: 100, flushIntervalMs: 30, insert: async (rows) => (written.push(...rows.map((r) => r.request_id)), rows.length) });
  w.enqueue(row(1));
  w.enqueue(row(2));
  assert.deepEqual(written, []);
  await sleep(80);
  assert.deepEqual(written, ['r1', 'r2']);
  await w.close();
});

test('a failed write keeps its rows and is retried; close drains what the store takes', async () => {
  let failuresLeft = 2;
  const written: string[] = [];
  const w = new SpendWriter({
    logger,
    batchSize: 2,
    flushIntervalMs: 5,
    insert: async (rows) => {
      if (failuresLeft-- > 0) throw new Error('connection refused');
      written.push(...rows.map((r) => r.request_id));
      return rows.length;
    },
  });
  for (let i = 0; i < 5; i++) w.enqueue(row(i));
  await w.close(5_000);
  assert.deepEqual(written, ['r0', 'r1', 'r2', 'r3', 'r4']);
  assert.equal(w.stats().failedWrites, 2);
  assert.equal(w.stats().dropped, 0);
});

test('rows queued while a batch is being written are not lost or written twice', async () => {
  const written: string[] = [];
  let release!: () => void;
  let first = true;
  const w = new SpendWriter({
    logger,
    batchSize: 2,
    flushIntervalMs: 5,
    insert: async (rows) => {
      if (first) {
        first = false;
        await new Promise<void>((r) => (release = r));
      }
      written.push(...rows.map((r) => r.request_id));
      return rows.length;
    },
  });
  w.enqueue(row(0));
  w.enqueue(row(1));
  await sleep(5);
  w.enqueue(row(2));
  w.enqueue(row(3));
  w.enqueue(row(4));
  release();
  await w.close();
  assert.deepEqual(written, ['r0', 'r1', 'r2', 'r3', 'r4']);
});

test('a store that never comes back: close gives up at its deadline and reports the loss', async () => {
  const w = new SpendWriter({ logger, batchSize: 10, flushIntervalMs: 5, insert: async () => Promise.reject(new Error('down')) });
  w.enqueue(row(1));
  const t0 = Date.now();
  await w.close(100);
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(w.stats().dropped, 1);
});

test('the queue is bounded while the store fails: oldest rows go first', async () => {
  const w = new SpendWriter({ logger, batchSize: 1000, flushIntervalMs: 60_000, maxQueued: 3, insert: async (rows) => rows.length });
  for (let i = 0; i < 5; i++) w.enqueue(row(i));
  assert.equal(w.stats().queued, 3);
  assert.equal(w.stats().dropped, 2);
  await w.close();
});
