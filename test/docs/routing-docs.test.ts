// The config examples of docs/fallbacks.md and docs/routing.md load, and the fallbacks example behaves as the
// page says: OpenAI primary, Azure next (Anthropic last once its adapter is in), against simulators.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { loadConfig } from '../../src/config/index.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { startTestGateway, writeTempConfig } from '../helpers/gateway.ts';
import { codeBlocks } from '../helpers/markdown.ts';

const root = new URL('../../', import.meta.url);
const fallbacksDoc = readFileSync(new URL('docs/fallbacks.md', root), 'utf8');
const routingDoc = readFileSync(new URL('docs/routing.md', root), 'utf8');

for (const [name, doc] of [['fallbacks.md', fallbacksDoc], ['routing.md', routingDoc]] as const) {
  codeBlocks(doc, 'yaml').forEach((yaml, i) => {
    test(`docs/${name}: YAML example ${i + 1} loads without warnings about routing`, async () => {
      const { warnings } = await loadConfig(writeTempConfig(yaml), { mode: 'check', env: {} });
      const routing = warnings.filter(
        (w) => w.path.startsWith('router_settings') || (w.message.startsWith('not supported yet (ignored)') && /router_settings|litellm_settings/.test(w.message)),
      );
      assert.deepEqual(routing.map((w) => `${w.path}: ${w.message}`), []);
    });
  });
}

let openai: Simulator;
let azure: Simulator;
before(async () => {
  openai = await startSimulator();
  azure = await startSimulator();
});
after(async () => {
  await openai.close();
  await azure.close();
});

test('docs/fallbacks.md: OpenAI fails → Azure answers; both fail → the client is told igw spent its retries', async () => {
  const env = {
    ...process.env,
    OPENAI_API_KEY: 'sk-openai',
    OPENAI_API_BASE: `${openai.url}/v1`,
    AZURE_API_BASE: azure.url,
    AZURE_API_KEY: 'az-key',
    ANTHROPIC_API_KEY: 'sk-ant',
    IGW_MASTER_KEY: 'sk-docs',
  };
  const gw = await startTestGateway(codeBlocks(fallbacksDoc, 'yaml')[0], env);
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'sk-docs', maxRetries: 0 });
    openai.enqueue({ kind: 'server_error' }, { kind: 'server_error' }, { kind: 'server_error', status: 503 });
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(data.choices[0].message.content, 'Hello! You said: hi');
    assert.equal(response.headers.get('x-igw-model'), 'azure-gpt-4o');
    assert.equal(openai.calls.length, 3, 'num_retries: 2 → three calls to OpenAI');
    assert.equal(azure.calls[0].path, '/openai/deployments/gpt-4o-prod/chat/completions');
    const err = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x [[fault:server_error]]' }] })
      .then(() => undefined, (e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    assert.ok(err instanceof OpenAI.APIError);
    assert.equal(err.headers?.get('x-should-retry'), 'false');
    assert.match(err.headers?.get('x-igw-attempt-log') ?? '', /gpt-4o\.0=server.*azure-gpt-4o\.0=server/);
  } finally {
    await gw.close();
  }
});
