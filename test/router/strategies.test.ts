import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatsTable } from '../../src/router/stats.ts';
import { costBased, latencyBased, leastBusy, simpleShuffle, usageBased, type PickContext } from '../../src/router/strategies.ts';
import { fakeDeployment } from './helpers.ts';

function ctx(stats = new StatsTable(), random = Math.random, stream = false): PickContext {
  return { stats, stream, now: 120_000, latencyBuffer: 0.1, random };
}

test('simple-shuffle follows the weights', () => {
  const a = fakeDeployment('a', { weight: 1 });
  const b = fakeDeployment('b', { weight: 3 });
  let seed = 1;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const counts = { a: 0, b: 0 };
  for (let i = 0; i < 4000; i++) counts[simpleShuffle([a, b], ctx(undefined, rand)).id as 'a' | 'b']++;
  assert.ok(counts.b / counts.a > 2.6 && counts.b / counts.a < 3.4, JSON.stringify(counts));
});

test('least-busy picks the fewest in flight', () => {
  const stats = new StatsTable();
  const [a, b, c] = ['a', 'b', 'c'].map((id) => fakeDeployment(id));
  stats.of(a).inFlight = 3;
  stats.of(b).inFlight = 1;
  stats.of(c).inFlight = 2;
  assert.equal(leastBusy([a, b, c], ctx(stats)).id, 'b');
});

test('latency-based: untried first, then the fastest; near-equal ones share the load', () => {
  const stats = new StatsTable();
  const [a, b, c] = ['a', 'b', 'c'].map((id) => fakeDeployment(id));
  stats.of(a).recordLatency(undefined, 100);
  stats.of(b).recordLatency(undefined, 300);
  assert.equal(latencyBased([a, b, c], ctx(stats)).id, 'c', 'no samples yet: explore');
  stats.of(c).recordLatency(undefined, 105);
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(latencyBased([a, b, c], ctx(stats)).id);
  assert.deepEqual([...seen].sort(), ['a', 'c'], 'within the 10% buffer both serve; the slow one never');
  stats.of(a).recordLatency(50, undefined);
  stats.of(b).recordLatency(10, undefined);
  stats.of(c).recordLatency(90, undefined);
  assert.equal(latencyBased([a, b, c], ctx(stats, Math.random, true)).id, 'b', 'streams go by time to first byte');
});

test('usage-based picks the most rpm/tpm headroom', () => {
  const stats = new StatsTable();
  const a = fakeDeployment('a', { rpmLimit: 10 });
  const b = fakeDeployment('b', { tpmLimit: 1000 });
  for (let i = 0; i < 8; i++) stats.of(a).countRequest(120_000);
  stats.of(b).countTokens(120_000, 500);
  assert.equal(usageBased([a, b], ctx(stats)).id, 'b');
});

test('cost-based picks the cheapest; unpriced last', () => {
  const a = fakeDeployment('a', { costPerToken: 3e-6 });
  const b = fakeDeployment('b', { costPerToken: 1e-6 });
  const c = fakeDeployment('c');
  assert.equal(costBased([a, b, c], ctx()).id, 'b');
  assert.equal(costBased([a, c], ctx()).id, 'a');
});
