// Cooldowns shared through the real Redis: replicas are Cooldowns + CooldownSharing on one key prefix (one
// per test), with a clock of their own; a TCP proxy takes Redis away from one of them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../helpers/eventually.ts';
import { pino } from 'pino';
import { Cooldowns } from '../../src/router/cooldowns.ts';
import { cooldownKey, CooldownSharing } from '../../src/router/shared-cooldowns.ts';
import { RedisState } from '../../src/state/redis.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { fakeDeployment } from './helpers.ts';

const x = fakeDeployment('x');
const y = fakeDeployment('y');
const prefixes: string[] = [];

after(async () => {
  for (const p of prefixes) await deleteKeys(p);
});

function newPrefix(): string {
  const p = uniquePrefix('cooldowns');
  prefixes.push(p);
  return p;
}

function testClock(): { now: () => number; advance(ms: number): void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}

interface Replica {
  cooldowns: Cooldowns;
  /** What it logged, parsed (pino levels: 30 info, 40 warn). */
  logs: { level: number; msg: string }[];
  close(): Promise<void>;
}

/** A breaker that trips on the first failure and cools down for a minute, shared under `prefix`. */
async function replica(prefix: string, now: () => number, url = TEST_REDIS_URL): Promise<Replica> {
  const state = await RedisState.connect({ url, prefix });
  const cooldowns = new Cooldowns({ allowedFails: 0, cooldownMs: 60_000, now });
  const logs: Replica['logs'] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const sharing = new CooldownSharing(cooldowns, state, { ids: ['x', 'y'], logger });
  await sharing.start();
  return {
    cooldowns,
    logs,
    close: async () => {
      await sharing.stop();
      await state.close();
    },
  };
}

test('a breaker tripped on one replica cools the deployment on the others; a replica started later reads it; a probe clears it for all', async () => {
  const prefix = newPrefix();
  const clock = testClock();
  const a = await replica(prefix, clock.now);
  const b = await replica(prefix, clock.now);
  let c: Replica | undefined;
  try {
    a.cooldowns.recordFailure(x, 'server');
    await eventually('b sees x cooling', () => b.cooldowns.admission(x) === 'cooling');
    assert.equal(b.cooldowns.remainingMs(x), 60_000, 'until the time a set');
    assert.equal(b.cooldowns.admission(y), 'closed');
    c = await replica(prefix, clock.now);
    assert.equal(c.cooldowns.admission(x), 'cooling', 'read from Redis at start-up');
    clock.advance(60_000);
    for (const r of [a, b, c]) assert.equal(r.cooldowns.admission(x), 'probe', 'half-open everywhere when the time is up');
    assert.equal(a.cooldowns.claimProbe(x), true);
    a.cooldowns.recordSuccess(x);
    const cc = c;
    await eventually('b and c hear that the probe closed it', () => b.cooldowns.admission(x) === 'closed' && cc.cooldowns.admission(x) === 'closed');
  } finally {
    await a.close();
    await b.close();
    await c?.close();
  }
});

test('a replica that lost its connection to Redis reads the cooldowns it missed when it is back', async () => {
  const prefix = newPrefix();
  const clock = testClock();
  const proxy = await startTcpProxy(TEST_REDIS_URL);
  const a = await replica(prefix, clock.now);
  const b = await replica(prefix, clock.now, proxy.url);
  const look = await RedisState.connect({ url: TEST_REDIS_URL, prefix });
  try {
    proxy.cut();
    a.cooldowns.recordFailure(x, 'server');
    await eventually("a's cooldown is in Redis", async () => (await look.get(cooldownKey('x'))) !== null);
    await sleep(100);
    assert.equal(b.cooldowns.admission(x), 'closed', 'b missed the message');
    proxy.restore();
    await eventually('b re-reads the cooldowns once reconnected', () => b.cooldowns.admission(x) === 'cooling', 10_000);
    assert.equal(b.cooldowns.admission(y), 'closed');
  } finally {
    await look.close();
    await a.close();
    await b.close();
    await proxy.close();
  }
});

test('with Redis unreachable, a replica keeps cooling deployments down on its own and logs it once', async () => {
  const clock = testClock();
  const proxy = await startTcpProxy(TEST_REDIS_URL);
  const r = await replica(newPrefix(), clock.now, proxy.url);
  try {
    await proxy.close();
    r.cooldowns.recordFailure(x, 'server');
    assert.equal(r.cooldowns.admission(x), 'cooling', 'at once, without waiting on Redis');
    await eventually('the failure to share is logged', () => r.logs.some((l) => l.level === 40), 10_000);
    r.cooldowns.recordFailure(y, 'server');
    assert.equal(r.cooldowns.admission(y), 'cooling');
    await sleep(1500);
    const warnings = r.logs.filter((l) => l.level >= 40);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0].msg, /not shared with other replicas/);
  } finally {
    await r.close();
  }
});
