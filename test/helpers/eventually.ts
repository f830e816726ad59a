// Polls a condition until it holds or the time is up: for effects that travel (Redis pub/sub, timers).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 5000, everyMs = 10): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) assert.fail(`still not true after ${ms} ms: ${what}`);
    await sleep(everyMs);
  }
}
