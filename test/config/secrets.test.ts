import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadError } from './helpers.ts';

const SECRET = 'sk-live-DO-NOT-PRINT-123';

test('a wrong-typed secret is described by kind, never by value', async () => {
  const err = await loadError(`model_list:
  - model_name: a
    litellm_params:
      model: openai/x
      api_key: true
      mock_tokens: ${SECRET}
`);
  assert.deepEqual(
    err.issues.map((i) => `${i.path}: ${i.message}`),
    ['model_list[0].litellm_params.api_key: expected a string, got a boolean', 'model_list[0].litellm_params.mock_tokens: expected a number, got a string'],
  );
  assert.doesNotMatch(err.message, /DO-NOT-PRINT/);
});

test('a key pasted into api_base is not echoed', async () => {
  const err = await loadError(`model_list:\n  - model_name: a\n    litellm_params: {model: openai/x, api_base: ${SECRET}}\n`);
  assert.match(err.message, /api_base/);
  assert.doesNotMatch(err.message, /DO-NOT-PRINT/);
});

test('YAML syntax errors do not quote the offending line', async () => {
  const err = await loadError(`general_settings:\n  master_key: "${SECRET}\n  database_url: postgres://u:${SECRET}@db/igw\n`);
  assert.match(err.message, /line 2/);
  assert.doesNotMatch(err.message, /DO-NOT-PRINT/);
});

test('a non-scalar environment variable is not echoed', async () => {
  const err = await loadError(`environment_variables:\n  OPENAI_API_KEY: {value: ${SECRET}}\n`);
  assert.doesNotMatch(err.message, /DO-NOT-PRINT/);
});
