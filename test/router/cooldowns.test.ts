import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cooldowns } from '../../src/router/cooldowns.ts';
import { fakeDeployment } from './helpers.ts';

function breaker(allowedFails = 2, cooldownMs = 1000) {
  let now = 0;
  const c = new Cooldowns({ allowedFails, cooldownMs, now: () => now });
  return { c, d: fakeDeployment('a'), advance: (ms: number) => (now += ms) };
}

test('trips only after more than allowed_fails failures within a minute', () => {
  const { c, d, advance } = breaker(2);
  c.recordFailure(d, 'server');
  c.recordFailure(d, 'server');
  assert.equal(c.admission(d), 'closed');
  advance(61_000);
  c.recordFailure(d, 'server');
  assert.equal(c.admission(d), 'closed', 'failures older than a minute no longer count');
  c.recordFailure(d, 'server');
  c.recordFailure(d, 'server');
  assert.equal(c.admission(d), 'cooling');
});

test('429, 401 and 404 trip at once, unless the deployment is alone in its group', () => {
  for (const kind of ['rate_limit', 'auth', 'not_found'] as const) {
    const { c, d } = breaker(5);
    c.recordFailure(d, kind, true);
    assert.equal(c.admission(d), 'closed', `${kind} alone`);
    c.recordFailure(d, kind);
    assert.equal(c.admission(d), 'cooling', kind);
  }
});

test("the request's own faults never count", () => {
  const { c, d } = breaker(0);
  for (const kind of ['bad_request', 'context_window', 'content_policy', 'payload_too_large'] as const) c.recordFailure(d, kind);
  assert.equal(c.admission(d), 'closed');
});

test('half-open: after the cooldown exactly one probe; success closes, failure re-trips', () => {
  const { c, d, advance } = breaker(0, 1000);
  c.recordFailure(d, 'server');
  assert.equal(c.admission(d), 'cooling');
  assert.ok(c.remainingMs(d) > 0);
  advance(1000);
  assert.equal(c.admission(d), 'probe');
  assert.equal(c.claimProbe(d), true);
  assert.equal(c.claimProbe(d), false, 'only one probe at a time');
  assert.equal(c.admission(d), 'cooling', 'others wait while the probe runs');
  c.recordFailure(d, 'timeout');
  assert.equal(c.admission(d), 'cooling');
  advance(1000);
  assert.equal(c.claimProbe(d), true);
  c.recordSuccess(d);
  assert.equal(c.admission(d), 'closed');
  assert.equal(c.remainingMs(d), 0);
});

test('a probe abandoned by its client frees the slot', () => {
  const { c, d, advance } = breaker(0, 10);
  c.recordFailure(d, 'server');
  advance(10);
  c.claimProbe(d);
  c.releaseProbe(d);
  assert.equal(c.admission(d), 'probe');
});

test('observers hear of every trip and of a probe that closes the breaker, not of an early success', () => {
  const { c, d, advance } = breaker(0, 1000);
  const heard: unknown[] = [];
  const stop = c.observe((change) => heard.push(change));
  c.recordFailure(d, 'server');
  c.recordSuccess(d); // a call sent before the trip, answering late
  assert.equal(c.admission(d), 'closed');
  advance(100);
  c.recordFailure(d, 'server');
  advance(1000);
  c.claimProbe(d);
  c.recordSuccess(d);
  assert.deepEqual(heard, [
    { op: 'cool', id: 'a', until: 1000 },
    { op: 'cool', id: 'a', until: 1100 },
    { op: 'clear', id: 'a', until: 1100 },
  ]);
  stop();
  c.recordFailure(d, 'server');
  assert.equal(heard.length, 3);
});

test("another replica's cooldown: applied until its time, then half-open; never shortens one; never echoed", () => {
  const { c, d, advance } = breaker(5, 1000);
  const heard: unknown[] = [];
  c.observe((change) => heard.push(change));
  c.apply({ op: 'cool', id: 'a', until: 500 });
  assert.equal(c.admission(d), 'cooling');
  assert.equal(c.remainingMs(d), 500);
  c.apply({ op: 'cool', id: 'a', until: 200 });
  assert.equal(c.remainingMs(d), 500, 'an earlier end does not shorten it');
  c.apply({ op: 'cool', id: 'a', until: 800 });
  assert.equal(c.remainingMs(d), 800);
  advance(800);
  assert.equal(c.admission(d), 'probe');
  c.apply({ op: 'cool', id: 'a', until: 800 });
  assert.equal(c.admission(d), 'probe', 'a cooldown already over is ignored');
  assert.equal(c.claimProbe(d), true);
  c.recordSuccess(d);
  assert.equal(c.admission(d), 'closed');
  assert.deepEqual(heard, [{ op: 'clear', id: 'a', until: 800 }], 'only the local probe is told');
});

test("another replica's clear closes the same or an older cooldown, not one tripped here since", () => {
  const { c, d, advance } = breaker(0, 1000);
  c.apply({ op: 'cool', id: 'a', until: 1000 });
  advance(1000);
  c.apply({ op: 'clear', id: 'a', until: 1000 });
  assert.equal(c.admission(d), 'closed', 'the other replica probed it back');
  c.recordFailure(d, 'server');
  c.apply({ op: 'clear', id: 'a', until: 1000 });
  assert.equal(c.admission(d), 'cooling', 'tripped here after that cooldown');
});
