// docs/keys-and-budgets.md, run as written against a gateway serving config.example.yaml (embedded store in
// memory): every ```bash block in order in one shell (variables carry over; curl fails on HTTP errors), and
// every ```ts block on its own with the project's Node (type stripping). Sections added to the page follow the
// same rule: a runnable block is ```bash or ```ts; anything else uses another fence (```text, ```sh).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { startGateway, type RunningGateway } from '../../src/start.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('docs/keys-and-budgets.md', root), 'utf8');

function blocks(markdown: string, lang: string): string[] {
  const out: string[] = [];
  const fence = '```' + lang + '\n';
  let at = markdown.indexOf(fence);
  while (at !== -1) {
    const end = markdown.indexOf('\n```', at + fence.length);
    out.push(markdown.slice(at + fence.length, end + 1));
    at = markdown.indexOf(fence, end + 4);
  }
  return out;
}

let gw: RunningGateway;
let scratch: string;

before(async () => {
  const loaded = await loadConfig(new URL('config.example.yaml', root).pathname, { mode: 'check' });
  gw = await startGateway(loaded, { port: 0, host: '127.0.0.1', logger: createLogger('silent'), dataDir: ':memory:' });
  // Inside the repository, so that an example's `import OpenAI from 'openai'` finds node_modules.
  // Not test/.docs-tmp/: examples.test.ts removes that one when it ends, maybe while this file still runs.
  const tmp = new URL('test/.docs-keys-tmp/', root).pathname;
  mkdirSync(tmp, { recursive: true });
  scratch = mkdtempSync(join(tmp, 'keys-'));
});

after(async () => {
  await gw?.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('docs/keys-and-budgets.md: the bash walkthrough runs in order and every call succeeds', async () => {
  const steps = blocks(doc, 'bash');
  assert.ok(steps.length >= 5, 'the walkthrough has its curl steps');
  const script = ['set -euo pipefail', ...steps]
    .join('\n')
    .replaceAll('http://localhost:4000', gw.url)
    .replace(/\bcurl -s /g, 'curl -s --fail-with-body ');
  const { stdout } = await run('bash', ['-c', script], { timeout: 60_000 });
  assert.match(stdout, /"team_alias":"Search"/);
  assert.match(stdout, /created sk-/);
  assert.match(stdout, /Hello from|mock/i);
  assert.match(stdout, /"alias": "search-backend"/);
  assert.match(stdout, /"keys": \[\s*"search-backend"\s*\]/);
  assert.match(stdout, /"rpm_limit": 120/);
  // Budgets, rate limits, costs, tags.
  assert.match(stdout, /^200 200 200 400 $/m);
  assert.match(stdout, /"message":"Budget has been exceeded! Current cost: 0.000126, Max budget: 0.0001","type":"budget_exceeded"/);
  assert.match(stdout, /HTTP\/1.1 200 OK\r?\nx-ratelimit-limit-requests: 1\r?\nx-ratelimit-remaining-requests: 0/);
  assert.match(stdout, /HTTP\/1.1 429 Too Many Requests/);
  assert.match(stdout, /retry-after: \d+/);
  assert.match(stdout, /x-igw-response-cost: 0.000042\r?\nx-litellm-response-cost: 0.000042/);
  assert.match(stdout, /"model": "mock-gpt",\s+"spend": 4.2e-05,\s+"prompt_tokens": 2,\s+"completion_tokens": 20,\s+"status": "success"/);
  assert.match(stdout, /\{"model_name":"mock-gpt","input":1e-06,"output":2e-06,"source":"config"\}/);
  assert.match(stdout, /\{"model_name":"gpt-4o-mini","input":1.5e-07,"output":6e-07,"source":"genai-prices"\}/);
  assert.match(stdout, /\{"individual_request_tag":"experiment-7","log_count":1,"total_spend":4.2e-05\}/);
  assert.match(stdout, /\{"request_tags":\["recsys","experiment-7","nightly-eval"\],"metadata":\{"run":"2026-03-10","key_alias":"search-backend"\}\}/);
});

test('docs/keys-and-budgets.md: the TypeScript examples run', async () => {
  const examples = blocks(doc, 'ts');
  assert.ok(examples.length >= 1);
  const outputs: string[] = [];
  for (const [i, code] of examples.entries()) {
    const file = join(scratch, `example-${i}.ts`);
    writeFileSync(file, code.replaceAll('http://localhost:4000', gw.url));
    const { stdout } = await run(process.execPath, [file], { timeout: 30_000 });
    assert.ok(stdout.trim().length > 0, `TypeScript example ${i + 1} prints its result`);
    outputs.push(stdout);
  }
  // The walkthrough (the first example): a team, a key with a budget, a call, and the spend read back.
  assert.match(outputs[0], /chat status 200/);
  assert.match(outputs[0], /recs-batch spent 0.000042 of 5/);
  assert.match(outputs[0], /Recommendations spent 0.000042 of 50/);
  // The SDK example: three calls within the budget, the fourth refused, the tag's spend.
  const sdk = outputs.find((o) => o.includes('sdk-example'));
  assert.ok(sdk);
  assert.equal(sdk, readFileSync(new URL('docs/keys-and-budgets.md', root), 'utf8').split('```text\ncall 1:')[1].split('```')[0].replace(/^/, 'call 1:'));
});
