// Every ```yaml block of docs/configuration.md loads in check mode. A block starting with `# file: NAME` is an
// included file: it is written as NAME next to the others first.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { supportedProviderPrefixes } from '../../src/providers/presets.ts';
import { writeFiles } from './helpers.ts';

const doc = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const blocks = yamlBlocks(doc);
const FILE_HEADER = /^# file: (\S+)\n/;
const files: Record<string, string> = {};
blocks.forEach((block, i) => (files[FILE_HEADER.exec(block)?.[1] ?? `example-${i + 1}.yaml`] = block));
const dir = await writeFiles(files);

test('docs/configuration.md has YAML examples', () => {
  assert.ok(blocks.length >= 5, `found ${blocks.length}`);
});

for (const [name, block] of Object.entries(files)) {
  test(`docs/configuration.md: ${name} loads without errors`, async () => {
    const { config, warnings } = await loadConfig(join(dir, name), { mode: 'check', env: {} });
    assert.ok(config.model_list.length > 0 || block.includes('environment_variables'), 'the example configures models');
    const unexpected = warnings.filter((w) => !/environment variable \w+ is not set|only model_list/.test(w.message));
    assert.deepEqual(unexpected, []);
  });
}

test('docs/configuration.md lists every supported provider prefix', () => {
  for (const prefix of supportedProviderPrefixes()) assert.ok(doc.includes(`\`${prefix}/\``), `${prefix}/ is not documented`);
});
