import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../src/canonical/index.ts';
import { backoffMs, canFallBack, retriesFor, retryAfterMs, retrySettings } from '../../src/router/retry-policy.ts';
import { fallbackSettings, fallbacksFor } from '../../src/router/fallbacks.ts';

const err = (headers: Record<string, string> = {}) => new GatewayError({ status: 429, kind: 'rate_limit', message: 'x', headers });

test('num_retries applies to retryable kinds; retry_policy overrides per kind; bad requests get none', () => {
  const s = retrySettings(2, { RateLimitErrorRetries: 5, ContentPolicyViolationErrorRetries: 1, TimeoutErrorRetries: 0 });
  assert.equal(retriesFor('rate_limit', s), 5);
  assert.equal(retriesFor('timeout', s), 0);
  assert.equal(retriesFor('server', s), 2);
  assert.equal(retriesFor('overloaded', s, 7), 7, 'the request can set num_retries');
  assert.equal(retriesFor('content_policy', s), 1);
  assert.equal(retriesFor('bad_request', s), 0);
  assert.equal(retriesFor('auth', s), 0);
  assert.equal(canFallBack('bad_request'), false);
  assert.equal(canFallBack('auth'), true);
});

test('retry-after-ms wins over retry-after; seconds and HTTP dates are read', () => {
  assert.equal(retryAfterMs(err({ 'retry-after-ms': '150', 'retry-after': '9' })), 150);
  assert.equal(retryAfterMs(err({ 'retry-after': '2' })), 2000);
  const soon = new Date(Date.now() + 3000).toUTCString();
  const ms = retryAfterMs(err({ 'retry-after': soon }))!;
  assert.ok(ms > 1000 && ms <= 3000);
  assert.equal(retryAfterMs(err()), undefined);
  assert.equal(retryAfterMs(err({ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' })), 360_000, 'reset headers when no retry-after');
  assert.equal(retryAfterMs(err({ 'x-ratelimit-reset-tokens': '12ms' })), 12);
  assert.equal(retryAfterMs(err({ 'x-ratelimit-reset-tokens': '1m2.5s' })), 62_500);
});

test('backoff: exponential with jitter, at least retry_after, the upstream value when given, none past the cap', () => {
  const s = retrySettings(3, undefined, 0, 10);
  assert.equal(backoffMs(err(), 0, s, () => 0), 125);
  assert.equal(backoffMs(err(), 0, s, () => 1), 250);
  assert.equal(backoffMs(err(), 3, s, () => 1), 2000);
  assert.equal(backoffMs(err(), 10, s, () => 1), 8000, 'capped');
  assert.equal(backoffMs(err({ 'retry-after': '3' }), 0, s, () => 0), 3000);
  assert.equal(backoffMs(err({ 'retry-after': '30' }), 0, s, () => 0), undefined, 'beyond max_retry_after');
  assert.equal(backoffMs(err(), 0, retrySettings(1, undefined, 1), () => 0), 1000, 'retry_after is a floor');
});

test('fallback lists by error kind, the request override and disable_fallbacks', () => {
  const s = fallbackSettings([{ a: ['b', 'c'] }], [{ a: ['big'] }], [{ a: ['safe'] }], ['d']);
  assert.deepEqual(fallbacksFor('a', 'server', s, {}), ['b', 'c']);
  assert.deepEqual(fallbacksFor('a', 'context_window', s, {}), ['big']);
  assert.deepEqual(fallbacksFor('a', 'content_policy', s, {}), ['safe']);
  assert.deepEqual(fallbacksFor('x', 'server', s, {}), ['d']);
  assert.deepEqual(fallbacksFor('x', 'context_window', s, {}), ['d']);
  assert.deepEqual(fallbacksFor('a', 'server', s, { fallbacks: ['z'] }), ['z']);
  assert.deepEqual(fallbacksFor('a', 'server', s, { disabled: true }), []);
});
