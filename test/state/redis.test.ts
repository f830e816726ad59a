// The state contract on Redis (127.0.0.1:6379), under a key prefix of its own per run.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { RedisState } from '../../src/state/redis.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { stateContract, testClock } from './contract.ts';

import { deleteKeys, TEST_REDIS_URL } from '../helpers/redis.ts';

export { TEST_REDIS_URL };
const run = promisify(execFile);
const prefix = `igw-test:${process.pid}:${Date.now().toString(36)}:`;

stateContract('redis', (clock) => RedisState.connect({ url: TEST_REDIS_URL, prefix, now: clock.now }));

test('two replicas on one Redis share windows and see each other\'s invalidations', async () => {
  const clock = testClock();
  const p = `${prefix}replicas:`;
  const a = await RedisState.connect({ url: TEST_REDIS_URL, prefix: p, now: clock.now });
  const b = await RedisState.connect({ url: TEST_REDIS_URL, prefix: p, now: clock.now });
  try {
    const spec = { key: 'rpm:shared', windowMs: 60_000, amount: 1, limit: 3 };
    await a.consumeWindows([spec]);
    await b.consumeWindows([spec]);
    await a.consumeWindows([spec]);
    assert.equal((await b.consumeWindows([spec])).allowed, false);
    const seen: string[] = [];
    await b.subscribe('inval', (m) => seen.push(m));
    await a.publish('inval', 'team:t1');
    for (let i = 0; i < 500 && !seen.length; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(seen, ['team:t1']);
  } finally {
    await a.close();
    await b.close();
  }
});

test('an unreachable Redis: connect() rejects, and leaves no client reconnecting that would keep the process alive', async () => {
  const index = new URL('../../src/state/redis.ts', import.meta.url).href;
  const script = `const { RedisState } = await import(${JSON.stringify(index)});
    await RedisState.connect({ url: 'redis://127.0.0.1:1' }).then(() => console.log('connected'), (e) => console.log('rejected', e.message));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 });
  assert.match(stdout, /^rejected /);
});

test('a Redis gone after start-up: close() returns at once, unsubscribing included, and leaves nothing reconnecting', async () => {
  const proxy = await startTcpProxy(TEST_REDIS_URL);
  const state = await RedisState.connect({ url: proxy.url, prefix: `${prefix}gone:` });
  const unsubscribe = await state.subscribe('c', () => {});
  await proxy.close();
  await new Promise((r) => setTimeout(r, 200)); // ioredis has seen the connection go
  // Waits in ioredis's offline queue; a QUIT behind it used to leave the client reconnecting, and the process
  // alive, forever. (Closed now, ioredis never settles it: nothing awaits it here.)
  void state.set('k', 'v').catch(() => {});
  const t0 = performance.now();
  await unsubscribe();
  await state.close();
  assert.ok(performance.now() - t0 < 500, `closed after ${Math.round(performance.now() - t0)} ms`);
});

// Leave nothing behind on the shared Redis: every key this run wrote starts with its prefix.
after(() => deleteKeys(prefix));
