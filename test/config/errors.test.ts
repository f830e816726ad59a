import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadError } from './helpers.ts';

test('YAML syntax error names line and column', async () => {
  const err = await loadError('model_list:\n  - model_name: a\n    litellm_params:\n      model: "openai/x\n');
  assert.equal(err.issues.length, 1);
  assert.deepEqual([err.issues[0].line, err.issues[0].column], [4, 14]);
  assert.match(err.message, /config\.yaml \(line 4, column 14\): YAML syntax error: quoted string is never closed/);
});

test('bad indentation is a syntax error on its line', async () => {
  const err = await loadError('general_settings:\n  master_key: sk-1\n  max_request_size_mb: 5\n other: 1\n');
  assert.match(err.message, /\(line 4, column 1\): YAML syntax error: All mapping items must start at the same column$/);
});

test('wrong type names the YAML path, the line and what was expected', async () => {
  const err = await loadError(`model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      rpm: abc
`);
  assert.deepEqual(err.issues, [{ path: 'model_list[0].litellm_params.rpm', line: 5, message: 'expected a number, got "abc"' }]);
  assert.match(err.message, /config\.yaml: model_list\[0\]\.litellm_params\.rpm \(line 5\): expected a number, got "abc"$/);
});

test('negative numbers, non-integer retries and non-map headers are rejected', async () => {
  const err = await loadError(`model_list:
  - model_name: a
    litellm_params: {model: openai/x, timeout: -1, max_retries: 1.5, extra_headers: [a]}
`);
  assert.deepEqual(
    err.issues.map((i) => `${i.path}: ${i.message}`),
    [
      'model_list[0].litellm_params.timeout: expected a number ≥ 0, got -1',
      'model_list[0].litellm_params.max_retries: expected a whole number, got 1.5',
      'model_list[0].litellm_params.extra_headers: expected a map, got a list',
    ],
  );
});

test('missing required fields are reported, all of them at once', async () => {
  const err = await loadError(`model_list:
  - litellm_params:
      model: openai/gpt-4o
  - model_name: b
    litellm_params:
      api_key: x
  - model_name: c
general_settings:
  max_request_size_mb: big
`);
  assert.deepEqual(
    err.issues.map((i) => [i.path, i.line, i.message]),
    [
      ['model_list[0].model_name', 2, 'is required (expected a string)'],
      ['model_list[1].litellm_params.model', 5, 'is required (expected a string)'],
      ['model_list[2].litellm_params', 7, 'is required (expected a map)'],
      ['general_settings.max_request_size_mb', 9, 'expected a number, got "big"'],
    ],
  );
});

test('empty model_name is rejected', async () => {
  const err = await loadError('model_list:\n  - model_name: ""\n    litellm_params: {model: openai/x}\n');
  assert.equal(err.issues[0].path, 'model_list[0].model_name');
  assert.equal(err.issues[0].message, 'must not be empty');
});

test('api_base must be an http(s) URL', async () => {
  const err = await loadError(`model_list:
  - model_name: a
    litellm_params: {model: openai/x, api_base: "localhost:8000/v1"}
  - model_name: b
    litellm_params: {model: openai/x, api_base: "not a url"}
  - model_name: c
    litellm_params: {model: openai/x, api_base: "http://localhost:8000/v1"}
`);
  assert.equal(err.issues.length, 2);
  assert.equal(err.issues[0].path, 'model_list[0].litellm_params.api_base');
  assert.match(err.issues[0].message, /expected an http\(s\) URL.*scheme "localhost:"/);
  assert.equal(err.issues[1].line, 5);
  assert.match(err.issues[1].message, /not a URL/);
});

test('model_list that is not a list, and a config that is not a map', async () => {
  const err = await loadError('model_list:\n  model_name: a\n');
  assert.equal(err.issues[0].path, 'model_list');
  assert.match(err.issues[0].message, /expected a list of deployments/);
  const scalar = await loadError('just a string\n');
  assert.match(scalar.issues[0].message, /expected a map of sections/);
});

test('a missing config file is a ConfigError', async () => {
  const { ConfigError, loadConfig } = await import('../../src/config/index.ts');
  await assert.rejects(loadConfig('/nonexistent/igw.yaml', { mode: 'check' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /^\/nonexistent\/igw\.yaml: file not found$/);
    return true;
  });
});
