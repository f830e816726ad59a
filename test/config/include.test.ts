import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

const fixture = (name: string) => new URL(`../fixtures/config/${name}`, import.meta.url).pathname;

test('include appends the model_list of each file, in order', async () => {
  const { config, warnings } = await loadConfig(fixture('with-include.yaml'), { mode: 'check', env: { IGW_TEST_OPENAI_KEY: 'sk-o' } });
  assert.deepEqual(
    config.model_list.map((d) => [d.path, d.model_name, d.litellm_params.model]),
    [
      ['model_list[0]', 'main-model', 'mock/main'],
      ['model_list[1]', 'gpt-4o', 'openai/gpt-4o'],
      ['model_list[2]', 'llama', 'ollama/llama3.2'],
    ],
  );
  assert.equal(config.model_list[1].litellm_params.api_key, 'sk-o');
  assert.equal(config.model_list[2].litellm_params.rpm, 60);
  // Only model_list is taken from an included file: its litellm_settings do not apply.
  assert.equal(config.litellm_settings.drop_params, false);
  const ignored = warnings.find((w) => w.message.startsWith('only model_list'));
  assert.ok(ignored?.file?.endsWith('included-local.yaml'));
  assert.match(ignored!.message, /ignored: litellm_settings$/);
});

test('a missing include file names include[i] and the file', async () => {
  await assert.rejects(loadConfig(fixture('missing-include.yaml'), { mode: 'check', env: {} }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.issues.length, 1);
    assert.equal(err.issues[0].path, 'include[1]');
    assert.equal(err.issues[0].line, 3);
    assert.match(err.message, /missing-include\.yaml: include\[1\] \(line 3\): file not found: .*does-not-exist\.yaml$/);
    return true;
  });
});

test('an error inside an included file names that file and its line', async () => {
  await assert.rejects(loadConfig(fixture('include-with-error.yaml'), { mode: 'check', env: {} }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.issues[0].path, 'model_list[0].litellm_params.timeout');
    assert.equal(err.issues[0].line, 5);
    assert.match(err.message, /^\S*included-invalid\.yaml: model_list\[0\]\.litellm_params\.timeout \(line 5\): expected a number, got "soon"$/);
    return true;
  });
});

test('include must be a list', async () => {
  const { loadError } = await import('./helpers.ts');
  const err = await loadError('include: models.yaml\n');
  assert.equal(err.issues[0].path, 'include');
  assert.match(err.issues[0].message, /expected a list of YAML file paths/);
});
