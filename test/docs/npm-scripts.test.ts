// The npm scripts the documentation tells readers to run exist in package.json. (The benchmarks themselves take
// minutes and some need valgrind, so the suite does not run them; bench/ is type-checked with the rest.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const scripts = Object.keys((JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts);
const docs = ['README.md', ...readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

test('every `npm run <script>` in README.md and docs/ names a script of package.json', () => {
  let mentions = 0;
  for (const doc of docs) {
    for (const [, name] of readFileSync(new URL(doc, root), 'utf8').matchAll(/npm run ([\w:-]+)/g)) {
      mentions++;
      assert.ok(scripts.includes(name), `${doc} mentions \`npm run ${name}\`, which package.json does not define`);
    }
  }
  assert.ok(mentions > 0, 'the docs mention npm scripts');
});
