import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, loadError } from './helpers.ts';

const WITH_REFS = `model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/IGW_T_KEY
      rpm: os.environ/IGW_T_RPM
      extra_headers:
        X-Team: os.environ/IGW_T_TEAM
general_settings:
  master_key: os.environ/IGW_T_MASTER
`;

test('os.environ/NAME is replaced anywhere, and resolved values are validated', async () => {
  const env = { IGW_T_KEY: 'sk-a', IGW_T_RPM: '120', IGW_T_TEAM: 'blue', IGW_T_MASTER: 'sk-master' };
  const { config, warnings } = await load(WITH_REFS, { mode: 'serve', env });
  const params = config.model_list[0].litellm_params;
  assert.equal(params.api_key, 'sk-a');
  assert.equal(params.rpm, 120);
  assert.deepEqual(params.extra_headers, { 'X-Team': 'blue' });
  assert.equal(config.general_settings.master_key, 'sk-master');
  assert.deepEqual(warnings, []);
});

test('unset variables are warnings in check mode, with path and line', async () => {
  const { config, warnings } = await load(WITH_REFS, { mode: 'check', env: {} });
  assert.deepEqual(
    warnings.map((w) => [w.path, w.line, w.message]),
    [
      ['model_list[0].litellm_params.api_key', 5, 'environment variable IGW_T_KEY is not set'],
      ['model_list[0].litellm_params.rpm', 6, 'environment variable IGW_T_RPM is not set'],
      ['model_list[0].litellm_params.extra_headers.X-Team', 8, 'environment variable IGW_T_TEAM is not set'],
      ['general_settings.master_key', 10, 'environment variable IGW_T_MASTER is not set'],
    ],
  );
  assert.equal(config.model_list[0].litellm_params.api_key, undefined);
  assert.equal(config.general_settings.master_key, undefined);
});

test('an unset master_key variable is fatal in serve mode and says what to set', async () => {
  const err = await loadError(WITH_REFS, { mode: 'serve', env: { IGW_T_KEY: 'k' } });
  assert.equal(err.issues.length, 1);
  assert.equal(err.issues[0].path, 'general_settings.master_key');
  assert.equal(err.issues[0].line, 10);
  assert.match(err.issues[0].message, /IGW_T_MASTER is not set; set IGW_T_MASTER/);
});

test('an empty master_key variable is fatal too', async () => {
  const err = await loadError('general_settings:\n  master_key: os.environ/IGW_T_EMPTY\n', { mode: 'serve', env: { IGW_T_EMPTY: '' } });
  assert.match(err.message, /general_settings\.master_key \(line 2\): environment variable IGW_T_EMPTY is empty; set IGW_T_EMPTY/);
});

test('environment_variables feed os.environ/ references; check mode leaves process.env alone', async () => {
  const yaml = `environment_variables:
  IGW_T_EV_BASE: http://localhost:9999/v1
  IGW_T_EV_PORT: 9999
model_list:
  - model_name: a
    litellm_params: {model: openai/x, api_base: os.environ/IGW_T_EV_BASE}
`;
  const { config } = await load(yaml, { mode: 'check', env: {} });
  assert.equal(config.model_list[0].litellm_params.api_base, 'http://localhost:9999/v1');
  assert.deepEqual(config.environment_variables, { IGW_T_EV_BASE: 'http://localhost:9999/v1', IGW_T_EV_PORT: '9999' });
  assert.equal(process.env.IGW_T_EV_BASE, undefined);
});

test('serve mode copies environment_variables into process.env', async (t) => {
  t.after(() => delete process.env.IGW_T_EV_SERVE);
  await load('environment_variables:\n  IGW_T_EV_SERVE: "on"\n', { mode: 'serve', env: {} });
  assert.equal(process.env.IGW_T_EV_SERVE, 'on');
});

test('environment_variables must be a map of scalars', async () => {
  const err = await loadError('environment_variables:\n  A: [1, 2]\n');
  assert.deepEqual([err.issues[0].path, err.issues[0].line], ['environment_variables.A', 2]);
  const notMap = await loadError('environment_variables: [A]\n');
  assert.equal(notMap.issues[0].path, 'environment_variables');
});
