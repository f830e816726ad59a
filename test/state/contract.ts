// One contract for every state engine: run on memory (memory.test.ts) and on Redis (redis.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateBackend } from '../../src/state/index.ts';

export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

/** Starts just after a minute boundary, so a 60 s window has a known reset. */
export function testClock(start = Date.UTC(2026, 2, 10, 12, 0, 0, 100)): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function stateContract(name: string, open: (clock: TestClock) => Promise<StateBackend>): void {
  describe(`state contract: ${name}`, () => {
    const clock = testClock();
    let state: StateBackend;
    before(async () => {
      state = await open(clock);
    });
    after(async () => {
      await state?.close();
    });

    test('windows: the 11th request on a limit of 10 is refused, with the reset time; the next window starts at 0', async () => {
      const spec = { key: 'rpm:k1', windowMs: 60_000, amount: 1, limit: 10 };
      for (let i = 1; i <= 10; i++) {
        const r = await state.consumeWindows([spec]);
        assert.equal(r.allowed, true);
        assert.equal(r.windows[0].count, i);
      }
      const refused = await state.consumeWindows([spec]);
      assert.equal(refused.allowed, false);
      assert.equal(refused.refusedIndex, 0);
      assert.equal(refused.windows[0].count, 10);
      assert.equal(refused.windows[0].resetAt, Date.UTC(2026, 2, 10, 12, 1, 0));
      clock.advance(60_000);
      const next = await state.consumeWindows([spec]);
      assert.equal(next.allowed, true);
      assert.equal(next.windows[0].count, 1);
      clock.advance(-60_000);
    });

    test('windows: all or nothing across keys; peek does not change counts; no limit never refuses', async () => {
      const a = { key: 'rpm:a', windowMs: 60_000, amount: 1, limit: 5 };
      const b = { key: 'rpm:b', windowMs: 60_000, amount: 1, limit: 1 };
      assert.equal((await state.consumeWindows([a, b])).allowed, true);
      const r = await state.consumeWindows([a, b]);
      assert.equal(r.allowed, false);
      assert.equal(r.refusedIndex, 1);
      const [pa, pb] = await state.peekWindows([a, b]);
      assert.equal(pa.count, 1, 'the refused call did not count on the other key');
      assert.equal(pb.count, 1);
      const tokens = await state.consumeWindows([{ key: 'tpm:a', windowMs: 60_000, amount: 1500 }]);
      assert.equal(tokens.allowed, true);
      assert.equal(tokens.windows[0].count, 1500);
      assert.equal(tokens.windows[0].limit, null);
      assert.equal((await state.consumeWindows([{ key: 'tpm:a', windowMs: 60_000, amount: 500 }])).windows[0].count, 2000);
    });

    test('windows: concurrent callers never exceed the limit', async () => {
      const spec = { key: 'rpm:race', windowMs: 60_000, amount: 1, limit: 25 };
      const results = await Promise.all(Array.from({ length: 60 }, () => state.consumeWindows([spec])));
      assert.equal(results.filter((r) => r.allowed).length, 25);
    });

    test('accumulators: add, get, seed only when absent, expire', async () => {
      assert.deepEqual(await state.getAccumulators(['spend:x', 'spend:y']), [0, 0]);
      assert.deepEqual(await state.addAccumulators([{ key: 'spend:x', amount: 0.25 }, { key: 'spend:y', amount: 1 }]), [0.25, 1]);
      assert.deepEqual(await state.addAccumulators([{ key: 'spend:x', amount: 0.5 }]), [0.75]);
      assert.equal(await state.seedAccumulator('spend:x', 100), false);
      assert.equal(await state.seedAccumulator('spend:z', 3.5), true);
      assert.deepEqual(await state.getAccumulators(['spend:x', 'spend:z']), [0.75, 3.5]);
      await state.addAccumulators([{ key: 'spend:short', amount: 1, ttlMs: 50 }]);
      await tick(120);
      clock.advance(120);
      assert.deepEqual(await state.getAccumulators(['spend:short']), [0]);
    });

    test('slots: max parallel, all or nothing, release never below zero', async () => {
      const s = [{ key: 'par:k', limit: 2 }, { key: 'par:team', limit: 10 }];
      assert.equal((await state.acquireSlots(s)).acquired, true);
      assert.deepEqual((await state.acquireSlots(s)).counts, [2, 2]);
      const refused = await state.acquireSlots(s);
      assert.equal(refused.acquired, false);
      assert.equal(refused.refusedIndex, 0);
      assert.deepEqual(await state.getSlots(['par:k', 'par:team']), [2, 2]);
      await state.releaseSlots(['par:k', 'par:team']);
      await state.releaseSlots(['par:k', 'par:team']);
      await state.releaseSlots(['par:k']);
      assert.deepEqual(await state.getSlots(['par:k', 'par:team']), [0, 0]);
      assert.equal((await state.acquireSlots([{ key: 'par:k', limit: 1 }])).acquired, true);
    });

    test('entries: get, set with ttl, setIfAbsent, delete', async () => {
      assert.equal(await state.get('cool:d1'), null);
      await state.set('cool:d1', 'down');
      assert.equal(await state.get('cool:d1'), 'down');
      assert.equal(await state.setIfAbsent('cool:d1', 'other'), false);
      assert.equal(await state.setIfAbsent('cool:d2', 'first', 10_000), true);
      await state.set('cool:d3', 'brief', 40);
      await tick(100);
      clock.advance(100);
      assert.equal(await state.get('cool:d3'), null);
      await state.delete(['cool:d1', 'cool:d2']);
      assert.equal(await state.get('cool:d1'), null);
      assert.equal(await state.get('cool:d2'), null);
    });

    test('pub/sub reaches every subscriber; unsubscribe stops delivery; versions increase', async () => {
      const got: string[] = [];
      const other: string[] = [];
      const stop = await state.subscribe('inval', (m) => got.push(m));
      const stop2 = await state.subscribe('inval', (m) => other.push(m));
      await state.publish('inval', 'key:abc');
      for (let i = 0; i < 250 && (got.length < 1 || other.length < 1); i++) await tick();
      assert.deepEqual(got, ['key:abc']);
      assert.deepEqual(other, ['key:abc']);
      await stop();
      await state.publish('inval', 'key:def');
      for (let i = 0; i < 250 && other.length < 2; i++) await tick();
      assert.deepEqual(got, ['key:abc']);
      assert.deepEqual(other, ['key:abc', 'key:def']);
      await stop2();
      const v0 = await state.getVersion('keys');
      assert.equal(await state.bumpVersion('keys'), v0 + 1);
      assert.equal(await state.getVersion('keys'), v0 + 1);
    });
  });
}
