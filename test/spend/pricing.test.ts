// Prices: from the genai-prices catalogue, overridden per deployment with LiteLLM's fields, or unknown (0 and a
// warning); costs in whole nano-dollars, equal to the library's own calculation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calcPrice } from '@pydantic/genai-prices';
import type { DeploymentConfig } from '../../src/config/types.ts';
import { PriceBook, resolvePrice, usdToNanos, formatUsd, usageFromOpenAI } from '../../src/spend/index.ts';

function entry(model: string, model_info: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): DeploymentConfig {
  return { model_name: model.split('/').pop() ?? model, litellm_params: { model, ...extra }, model_info, path: 'model_list[0]' };
}

const AT = new Date('2026-03-10T12:00:00Z');

test('a catalogue model costs what genai-prices says, cached input at its own rate', () => {
  const price = resolvePrice(entry('openai/gpt-4o'), 'openai/gpt-4o');
  assert.equal(price.source, 'genai-prices');
  assert.deepEqual(price.catalog, { provider: 'openai', model: 'gpt-4o' });
  const usage = { inputTokens: 12_000, cacheReadTokens: 2_000, outputTokens: 800, reasoningTokens: 100 };
  const expected = calcPrice({ input_tokens: 12_000, cache_read_tokens: 2_000, output_tokens: 800 }, 'gpt-4o', { providerId: 'openai' });
  assert.ok(expected);
  assert.equal(price.cost(usage, AT), usdToNanos(expected.total_price));
  assert.equal(price.warning, undefined);
});

test('tiered catalogue prices switch above the tier start, like the library', () => {
  const price = resolvePrice(entry('anthropic/claude-sonnet-4-5'), 'anthropic/claude-sonnet-4-5');
  for (const input of [1000, 250_000]) {
    const usage = { inputTokens: input, cacheReadTokens: 100, cacheWriteTokens: 300, outputTokens: 500 };
    const lib = calcPrice({ input_tokens: input, cache_read_tokens: 100, cache_write_tokens: 300, output_tokens: 500 }, 'claude-sonnet-4-5', { providerId: 'anthropic' });
    assert.ok(lib);
    assert.equal(price.cost(usage, AT), usdToNanos(lib.total_price), `input ${input}`);
  }
});

test('model_info overrides replace the parts they name; the rest stays from the catalogue', () => {
  const price = resolvePrice(entry('openai/gpt-4o', { input_cost_per_token: 0.00001 }), 'openai/gpt-4o');
  assert.equal(price.source, 'genai-prices+config');
  assert.equal(price.rates.input, 0.00001);
  assert.equal(price.rates.output, 10 / 1e6);
  assert.equal(price.cost({ inputTokens: 100, outputTokens: 10 }, AT), usdToNanos(100 * 0.00001 + 10 * 10e-6));
});

test('overrides are also read from litellm_params, as LiteLLM does; model_info wins', () => {
  const cfg = entry('mock/echo', { output_cost_per_token: 0.002 }, { input_cost_per_token: 0.001, output_cost_per_token: 0.5 });
  const price = resolvePrice(cfg, 'mock/echo');
  assert.equal(price.source, 'config');
  assert.equal(price.cost({ inputTokens: 3, outputTokens: 2 }, AT), usdToNanos(0.003 + 0.004));
});

test('cache read/write, reasoning overrides (LiteLLM names)', () => {
  const cfg = entry('mock/c', {
    input_cost_per_token: 0.000002,
    output_cost_per_token: 0.000008,
    cache_read_input_token_cost: 0.0000005,
    cache_creation_input_token_cost: 0.0000025,
    output_cost_per_reasoning_token: 0.00001,
  });
  const price = resolvePrice(cfg, 'mock/c');
  const usage = { inputTokens: 1000, cacheReadTokens: 600, cacheWriteTokens: 100, outputTokens: 50, reasoningTokens: 20 };
  const usd = 300 * 0.000002 + 600 * 0.0000005 + 100 * 0.0000025 + 30 * 0.000008 + 20 * 0.00001;
  assert.equal(price.cost(usage, AT), usdToNanos(usd));
});

test('an unknown model is costed at 0 with a warning, logged once at start-up', () => {
  const warnings: string[] = [];
  const list = [entry('hosted_vllm/my-llama'), entry('openai/gpt-4o'), entry('mock/unpriced')];
  const book = new PriceBook(list, (message) => warnings.push(message));
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /no price known for 'hosted_vllm\/my-llama'.*costed at 0.*input_cost_per_token/);
  assert.match(warnings[1], /mock\/unpriced/, 'mock models take no catalogue price');
  const unknown = book.priceFor(list[0], 'hosted_vllm/my-llama');
  assert.equal(unknown.source, 'none');
  assert.equal(unknown.cost({ inputTokens: 1e6, outputTokens: 1e6 }, AT), 0);
  book.priceFor(list[0], 'hosted_vllm/my-llama');
  assert.equal(warnings.length, 2, 'resolved once: no warning per request');
  assert.deepEqual(book.entries().map((e) => e.price.source), ['none', 'genai-prices', 'none']);
});

test('an Azure deployment is priced through model_info.base_model', () => {
  const bare = resolvePrice(entry('azure/my-prod-deployment'), 'azure/my-prod-deployment');
  assert.equal(bare.source, 'none');
  assert.match(bare.warning ?? '', /base_model/);
  const based = resolvePrice(entry('azure/my-prod-deployment', { base_model: 'gpt-4o-mini' }), 'azure/my-prod-deployment');
  assert.equal(based.source, 'genai-prices');
  assert.deepEqual(based.catalog, { provider: 'azure', model: 'gpt-4o-mini' });
});

test('wildcard entries resolve each concrete model once, on first use', () => {
  const warnings: string[] = [];
  const wild = entry('openai/*');
  const book = new PriceBook([wild], (m) => warnings.push(m));
  assert.equal(book.entries().length, 0);
  const a = book.priceFor(wild, 'openai/gpt-4o-mini');
  assert.equal(a.source, 'genai-prices');
  assert.equal(book.priceFor(wild, 'openai/gpt-4o-mini'), a);
  book.priceFor(wild, 'openai/not-a-real-model');
  book.priceFor(wild, 'openai/not-a-real-model');
  assert.equal(warnings.length, 1);
});

test('usage from OpenAI wire shapes: chat, Responses API, Anthropic-style cache fields; bad numbers ignored', () => {
  assert.deepEqual(
    usageFromOpenAI({ prompt_tokens: 100, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 5 } }),
    { inputTokens: 100, outputTokens: 20, cacheReadTokens: 40, cacheWriteTokens: 0, reasoningTokens: 5 },
  );
  assert.deepEqual(
    usageFromOpenAI({ input_tokens: 10, output_tokens: 3, input_tokens_details: { cached_tokens: 2 }, output_tokens_details: { reasoning_tokens: 1 } }),
    { inputTokens: 10, outputTokens: 3, cacheReadTokens: 2, cacheWriteTokens: 0, reasoningTokens: 1 },
  );
  assert.deepEqual(usageFromOpenAI({ prompt_tokens: 50, completion_tokens: 1, cache_read_input_tokens: 10, cache_creation_input_tokens: 30 }), {
    inputTokens: 50,
    outputTokens: 1,
    cacheReadTokens: 10,
    cacheWriteTokens: 30,
    reasoningTokens: 0,
  });
  assert.equal(usageFromOpenAI(null), undefined);
  assert.equal(usageFromOpenAI({ prompt_tokens: 'many' }), undefined);
  assert.deepEqual(usageFromOpenAI({ prompt_tokens: 5, prompt_tokens_details: { cached_tokens: 99 } })?.cacheReadTokens, 5, 'clamped to the input');
});

test('money is printed in plain decimals', () => {
  assert.equal(formatUsd(0), '0');
  assert.equal(formatUsd(123), '0.000000123');
  assert.equal(formatUsd(2_500_000), '0.0025');
  assert.equal(formatUsd(12_500_000_000), '12.5');
  assert.equal(usdToNanos(0.1 + 0.2), 300_000_000);
});
