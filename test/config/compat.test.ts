// Real LiteLLM proxy configs (test/fixtures/litellm-configs, copied from BerriAI/litellm, MIT): each one
// either loads (warnings allowed) or is rejected with a ConfigError, never anything else.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { ConfigError, loadConfig, type ConfigIssue, type LoadedConfig } from '../../src/config/index.ts';

const dir = new URL('../fixtures/litellm-configs/', import.meta.url);
const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();

type Outcome = { file: string; loaded: LoadedConfig } | { file: string; issues: ConfigIssue[] } | { file: string; crash: unknown };

async function tryLoad(file: string): Promise<Outcome> {
  try {
    return { file, loaded: await loadConfig(new URL(file, dir).pathname, { mode: 'check', env: {} }) };
  } catch (err) {
    return err instanceof ConfigError ? { file, issues: err.issues } : { file, crash: err };
  }
}

const outcomes = await Promise.all(files.map(tryLoad));
const loaded = outcomes.filter((o) => 'loaded' in o);
const rejected = outcomes.filter((o) => 'issues' in o);
console.log(`litellm compat: ${files.length} configs, ${loaded.length} loaded, ${rejected.length} rejected: ${rejected.map((o) => o.file).join(', ')}`);

/** Rejected on purpose, and why; anything else rejected is a regression. */
const EXPECTED_REJECTIONS: Record<string, RegExp> = {
  // Broken YAML upstream: an unclosed quote, and a mapping key indented one column too far left.
  'litellm__proxy__example_config_yaml__hosted_litellm.yaml': /^YAML syntax error: quoted string is never closed/,
  'litellm__proxy__proxy_config.yaml': /^YAML syntax error: All mapping items must start at the same column/,
  // A deployment without litellm_params.
  'tests__local_testing__example_config_yaml__langfuse_config.yaml': /^is required \(expected a map\)$/,
  // The included files were copied under flattened names, so the relative paths no longer resolve
  // (and one of them points at a missing file on purpose upstream).
  'tests__proxy_unit_tests__example_config_yaml__config_with_include.yaml': /^file not found/,
  'tests__proxy_unit_tests__example_config_yaml__config_with_missing_include.yaml': /^file not found/,
  'tests__proxy_unit_tests__example_config_yaml__config_with_multiple_includes.yaml': /^file not found/,
};

test(`compat: ${files.length} LiteLLM configs → ${loaded.length} load, ${rejected.length} rejected with ConfigError, none crash`, () => {
  assert.equal(files.length, 74);
  for (const o of outcomes) if ('crash' in o) assert.fail(`${o.file} threw something other than ConfigError: ${String(o.crash)}`);
  assert.deepEqual(rejected.map((o) => o.file), Object.keys(EXPECTED_REJECTIONS).sort());
});

test('compat: each rejection is the expected one, with a line number', () => {
  for (const o of rejected) {
    assert.match(o.issues[0].message, EXPECTED_REJECTIONS[o.file], o.file);
    assert.ok(o.issues[0].line, `${o.file}: issue without a line`);
  }
});

test('compat: the broken-YAML files fail at the right line', () => {
  const lineOf = (file: string) => rejected.find((o) => o.file === file)?.issues[0].line;
  assert.equal(lineOf('litellm__proxy__example_config_yaml__hosted_litellm.yaml'), 8);
  assert.equal(lineOf('litellm__proxy__proxy_config.yaml'), 34);
});

test('compat: loaded configs keep their deployments; include fragments just warn that no models are configured', () => {
  for (const o of loaded) {
    const hasModels = o.loaded.config.model_list.length > 0;
    const noModelsWarning = o.loaded.warnings.some((w) => w.message === 'no models configured');
    assert.equal(noModelsWarning, !hasModels, o.file);
    assert.ok(o.loaded.warnings.filter((w) => w.message.startsWith('not supported yet')).length <= 1, o.file);
  }
  const fragment = loaded.find((o) => o.file.endsWith('models_file_1.yaml'));
  assert.equal(fragment?.loaded.config.model_list[0].model_name, 'included-model-1');
});

test('compat: the include configs load once their files keep their upstream names', async () => {
  const { copyFile, mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const prefix = 'tests__proxy_unit_tests__example_config_yaml__';
  const upstream = await mkdtemp(join(tmpdir(), 'igw-compat-'));
  for (const file of files.filter((f) => f.startsWith(prefix))) await copyFile(new URL(file, dir), join(upstream, file.slice(prefix.length)));
  const models = async (name: string) =>
    (await loadConfig(join(upstream, name), { mode: 'check', env: {} })).config.model_list.map((d) => d.model_name);
  assert.deepEqual(await models('config_with_include.yaml'), ['included-model']);
  assert.deepEqual(await models('config_with_multiple_includes.yaml'), ['included-model-1', 'included-model-2']);
  await assert.rejects(models('config_with_missing_include.yaml'), /include\[0\] \(line 2\): file not found: .*non-existent-file\.yaml/);
});
