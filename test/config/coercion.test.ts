import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from './helpers.ts';

test('numbers and booleans written as strings are coerced, like LiteLLM', async () => {
  const { config } = await load(`model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      rpm: "100"
      tpm: 20_000
      timeout: "30"
      stream_timeout: "2.5"
      drop_params: "true"
      mock_latency_ms: "5"
general_settings:
  max_request_size_mb: "5"
litellm_settings:
  drop_params: "False"
  request_timeout: "120"
router_settings:
  num_retries: "3"
`);
  const p = config.model_list[0].litellm_params;
  assert.deepEqual([p.rpm, p.tpm, p.timeout, p.stream_timeout, p.drop_params, p.mock_latency_ms], [100, 20000, 30, 2.5, true, 5]);
  assert.equal(config.general_settings.max_request_size_mb, 5);
  assert.equal(config.litellm_settings.drop_params, false);
  assert.equal(config.litellm_settings.request_timeout, 120);
  assert.equal(config.router_settings.num_retries, 3);
});

test('duplicate keys are tolerated and the last one wins, like PyYAML', async () => {
  const { config } = await load(`litellm_settings:
  drop_params: true
litellm_settings:
  request_timeout: 30
model_list:
  - model_name: a
    litellm_params:
      model: openai/first
      model: openai/second
`);
  assert.equal(config.model_list[0].litellm_params.model, 'openai/second');
  assert.equal(config.litellm_settings.request_timeout, 30);
  assert.equal(config.litellm_settings.drop_params, false);
});

test('defaults, empty sections, wildcards and entry-level rpm/tpm', async () => {
  const { config } = await load(`model_list:
  - model_name: "*"
    litellm_params:
      model: openai/*
    rpm: 10
    model_info:
general_settings:
litellm_settings:
`);
  assert.deepEqual(config.general_settings, { max_request_size_mb: 20 });
  assert.deepEqual(config.litellm_settings, { drop_params: false, request_timeout: 600 });
  assert.deepEqual(config.router_settings, {});
  assert.deepEqual(config.model_list[0], { model_name: '*', litellm_params: { model: 'openai/*', rpm: 10 }, model_info: {}, path: 'model_list[0]' });
});

test('unknown keys are kept in litellm_params, model_info and router_settings', async () => {
  const { config } = await load(`model_list:
  - model_name: a
    litellm_params: {model: openai/x, temperature: 0.2}
    model_info: {id: 42, mode: chat}
router_settings: {routing_strategy: simple-shuffle, fallbacks: [{a: [b]}]}
`);
  assert.equal(config.model_list[0].litellm_params.temperature, 0.2);
  assert.deepEqual(config.model_list[0].model_info, { id: '42', mode: 'chat' });
  assert.deepEqual(config.router_settings, { routing_strategy: 'simple-shuffle', fallbacks: [{ a: ['b'] }] });
});

test('the result is deep-frozen', async () => {
  const loaded = await load('model_list:\n  - model_name: a\n    litellm_params: {model: openai/x, extra_headers: {A: b}}\n');
  assert.ok(Object.isFrozen(loaded));
  assert.ok(Object.isFrozen(loaded.warnings));
  assert.ok(Object.isFrozen(loaded.config.model_list[0].litellm_params.extra_headers));
  assert.throws(() => {
    (loaded.config.general_settings as { max_request_size_mb: number }).max_request_size_mb = 1;
  }, TypeError);
});
