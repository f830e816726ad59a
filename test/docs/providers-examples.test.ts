// docs/providers.md stays true: every ```yaml block loads in check mode without warnings, and each
// "Supported parameters:" list is exactly what the adapter declares.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { ANTHROPIC_BASE_PARAMS, ANTHROPIC_SAMPLING_PARAMS } from '../../src/providers/anthropic/index.ts';
import { BEDROCK_PARAMS } from '../../src/providers/bedrock/index.ts';
import { OPENAI_PARAMS } from '../../src/providers/openai/openai-translation.ts';
import { GEMINI_PARAMS } from '../../src/providers/gemini/index.ts';
import { writeFiles } from '../config/helpers.ts';

const doc = await readFile(new URL('../../docs/providers.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const dir = await writeFiles(Object.fromEntries(blocks.map((b, i) => [`providers-${i + 1}.yaml`, b])));

blocks.forEach((_, i) => {
  test(`docs/providers.md: example ${i + 1} loads without warnings`, async () => {
    const { config, warnings } = await loadConfig(join(dir, `providers-${i + 1}.yaml`), { mode: 'check', env: {} });
    assert.ok(config.model_list.length > 0);
    assert.deepEqual(warnings.filter((w) => !/environment variable \w+ is not set/.test(w.message)), []);
  });
});

/** The parameters listed after "Supported parameters:" in the section whose heading starts with `heading`. */
function listed(heading: string): string[] {
  const start = doc.indexOf(`## \`${heading}`);
  assert.ok(start >= 0, `section ${heading}`);
  const next = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, next < 0 ? undefined : next);
  const m = /Supported parameters: ([\s\S]*?)\.\n/.exec(section);
  assert.ok(m, `no "Supported parameters" in ${heading}`);
  return [...m[1].matchAll(/`([a-z_]+)`/g)].map((x) => x[1]).sort();
}

test('docs/providers.md: the supported-parameter lists match the adapters', () => {
  assert.deepEqual(listed('gemini/'), [...GEMINI_PARAMS].sort());
  assert.deepEqual(listed('bedrock/'), [...BEDROCK_PARAMS].sort());
  assert.deepEqual(listed('anthropic/'), [...ANTHROPIC_BASE_PARAMS, ...ANTHROPIC_SAMPLING_PARAMS].sort());
  assert.deepEqual(listed('openai/'), [...OPENAI_PARAMS].sort());
});
