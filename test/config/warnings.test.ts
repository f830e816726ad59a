import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from './helpers.ts';

test('unknown and not-yet-supported keys load and are listed in one warning', async () => {
  const { config, warnings } = await load(`model_list:
  - model_name: a
    litellm_params: {model: openai/x, litellm_credential_name: cred-a}
  - model_name: b
    litellm_params: {model: openai/y, litellm_credential_name: cred-b}
guardrails:
  - guardrail_name: g
mcp_servers: {}
general_settings:
  master_key: sk-1
  alerting: [slack]
litellm_settings:
  callbacks: [prometheus]
router_settings:
  fallbacks: [{a: [b]}]
  enable_pre_call_checks: true
`);
  assert.equal(config.model_list.length, 2);
  const unsupported = warnings.filter((w) => w.message.startsWith('not supported yet'));
  assert.equal(unsupported.length, 1);
  assert.equal(
    unsupported[0].message,
    'not supported yet (ignored): guardrails, mcp_servers, general_settings.alerting, litellm_settings.callbacks, router_settings.enable_pre_call_checks, litellm_params.litellm_credential_name',
  );
});

test('a provider without a preset is a warning naming the path and the provider', async () => {
  const { config, warnings } = await load(`model_list:
  - model_name: command
    litellm_params:
      model: cohere/command-r-plus
  - model_name: gpt
    litellm_params:
      model: gpt-4o
  - model_name: local
    litellm_params:
      model: hosted_vllm/qwen
      api_base: http://localhost:8000/v1
`);
  assert.equal(config.model_list.length, 3);
  assert.deepEqual(warnings, [
    {
      path: 'model_list[0].litellm_params.model',
      line: 4,
      message: "provider 'cohere' is not supported yet; requests to model 'command' will fail with 501",
    },
  ]);
});

test('no model_list is a warning, not an error', async () => {
  const { config, warnings } = await load('general_settings:\n  master_key: sk-1\n');
  assert.deepEqual(config.model_list, []);
  assert.deepEqual(warnings.map((w) => w.message), ['no models configured']);
});
