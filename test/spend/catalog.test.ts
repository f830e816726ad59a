// The catalogue lookups made out of process (catalog.ts) give what the library gives in-process, time-of-day
// prices included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCatalogPrice, matchCatalog, prefetchCatalogPrices } from '../../src/spend/catalog.ts';

const LISTS = [['openai/gpt-4o'], ['azure/not-a-model', 'gpt-4o-mini'], ['deepseek/deepseek-chat'], ['nobody/unknown-model']];

test('lookups answered by the child process equal the in-process ones', () => {
  prefetchCatalogPrices(LISTS);
  for (const candidates of LISTS) {
    const inProcess = matchCatalog(candidates);
    const found = findCatalogPrice(candidates);
    if (!inProcess) {
      assert.equal(found, undefined, `${candidates} is unknown`);
      continue;
    }
    assert.ok(found, `${candidates} is found`);
    assert.equal(found.providerId, inProcess.providerId);
    assert.equal(found.modelId, inProcess.modelId);
    assert.deepEqual(found.rates, inProcess.rates);
  }
});

test('a time-of-day price from the child still prices by the request time', () => {
  prefetchCatalogPrices([['deepseek/deepseek-chat']]);
  const price = findCatalogPrice(['deepseek/deepseek-chat']);
  assert.ok(price?.priceAt, 'deepseek-chat has time-dependent prices in the catalogue');
  const usage = { inputTokens: 1_000_000, outputTokens: 0 };
  const peak = price.priceAt(usage, new Date('2025-03-03T08:00:00Z'));
  const offPeak = price.priceAt(usage, new Date('2025-03-03T17:00:00Z'));
  assert.ok(peak > 0 && offPeak > 0, `both priced (${peak}, ${offPeak})`);
});
