import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { raceWithHedge, type Leg } from '../../src/router/hedge.ts';
import type { Running } from '../../src/router/attempt.ts';
import { fakeDeployment } from './helpers.ts';

function leg(id: string, ms: number, events: string[], fail = false): Leg<string> {
  return async (cancel) => {
    events.push(`start ${id}`);
    try {
      await sleep(ms, undefined, { signal: cancel });
    } catch {
      events.push(`aborted ${id}`);
      throw new Error('aborted');
    }
    if (fail) throw new Error(`${id} failed`);
    const r: Running<string> = {
      value: id,
      deployment: fakeDeployment(id),
      cancel: () => events.push(`cancelled ${id}`),
      done: () => undefined,
    };
    return r;
  };
}

test('no hedge when the first leg answers in time', async () => {
  const events: string[] = [];
  const won = await raceWithHedge(leg('a', 10, events), leg('b', 10, events), 100);
  assert.equal(won.value, 'a');
  await sleep(120);
  assert.deepEqual(events, ['start a']);
});

test('the hedge wins and the slow first leg is aborted', async () => {
  const events: string[] = [];
  const won = await raceWithHedge(leg('a', 500, events), leg('b', 10, events), 50);
  assert.equal(won.value, 'b');
  await sleep(10);
  assert.deepEqual(events, ['start a', 'start b', 'aborted a']);
});

test('a first leg failing before the hedge is due is reported at once', async () => {
  const events: string[] = [];
  await assert.rejects(raceWithHedge(leg('a', 5, events, true), leg('b', 10, events), 100), /a failed/);
  assert.deepEqual(events, ['start a']);
});

test('if one leg fails after the hedge started, the other still wins', async () => {
  const events: string[] = [];
  const won = await raceWithHedge(leg('a', 80, events, true), leg('b', 100, events), 20);
  assert.equal(won.value, 'b');
});
