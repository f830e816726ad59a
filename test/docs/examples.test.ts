// Every runnable example in README.md, docs/clients.md and docs/fallbacks.md, run against a gateway serving
// config.example.yaml: JavaScript blocks with the project's Node, curl blocks with bash.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { startGateway, type RunningGateway } from '../../src/start.ts';
import { codeBlocks } from '../helpers/markdown.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
const scratch = new URL('test/.docs-tmp/', root);

let gw: RunningGateway;

before(async () => {
  const loaded = await loadConfig(new URL('config.example.yaml', root).pathname, { mode: 'check' });
  gw = await startGateway(loaded, { port: 0, host: '127.0.0.1', logger: createLogger('silent') });
  mkdirSync(scratch, { recursive: true });
});

after(async () => {
  await gw.close();
  rmSync(scratch, { recursive: true, force: true });
});

for (const doc of ['README.md', 'docs/clients.md', 'docs/fallbacks.md']) {
  const text = readFileSync(new URL(doc, root), 'utf8');
  codeBlocks(text, 'js').forEach((code, i) => {
    test(`${doc}: JavaScript example ${i + 1} runs`, async () => {
      const file = new URL(`example-${doc.replace(/\W/g, '_')}-${i}.mjs`, scratch);
      writeFileSync(file, code.replaceAll('http://localhost:4000', gw.url));
      const { stdout } = await run(process.execPath, [file.pathname], { timeout: 30_000 });
      assert.ok(stdout.trim().length > 0, 'the example prints its result');
    });
  });
  codeBlocks(text, 'bash')
    .filter((code) => code.startsWith('curl'))
    .forEach((code, i) => {
      test(`${doc}: curl example ${i + 1} answers 2xx`, async () => {
        const script = code.replaceAll('http://localhost:4000', gw.url).replace(/^curl /, 'curl --fail-with-body ');
        const { stdout } = await run('bash', ['-c', script], { timeout: 30_000 });
        assert.ok(stdout.includes('mock') || stdout.includes('"object":"list"'), stdout);
      });
    });
}

test('README shows config.example.yaml as it is', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const example = readFileSync(new URL('config.example.yaml', root), 'utf8');
  const strip = (s: string): string => s.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).join('\n');
  assert.ok(codeBlocks(readme, 'yaml').some((b) => strip(b) === strip(example)));
});
