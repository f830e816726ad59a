// Fallbacks under governance: a fallback model group is tried only if the key may call it and that model's own
// budget and rate limits admit the request; a skipped group is never called upstream and shows in the attempt
// log, the client then gets the original error; spend is recorded against the model that served.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { APIError } from 'openai';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { MAIN_BACKENDS, MASTER_KEY, cleanupPlaces, clock, hi, newPlace, startOn, type GatewayUnderTest } from './helpers.ts';

after(cleanupPlaces);

const SIM_KEY = 'sk-sim-fallbacks';

/** model-a → model-b; model-c has no fallback of its own but a request may name one. Each answer costs > 0. */
function fallbackConfig(sim: Simulator): string {
  const entry = (name: string, upstream: string) => `
  - model_name: ${name}
    litellm_params: { model: openai/${upstream}, api_base: "${sim.url}/v1", api_key: ${SIM_KEY} }
    model_info: { id: ${upstream}, input_cost_per_token: 0.0005, output_cost_per_token: 0.001 }`;
  return `model_list:${entry('model-a', 'a-up')}${entry('model-b', 'b-up')}${entry('model-c', 'c-up')}
general_settings:
  master_key: ${MASTER_KEY}
router_settings:
  num_retries: 0
  cooldown_time: 0
  fallbacks: [{ model-a: [model-b] }]
`;
}

interface LogRow {
  request_id: string;
  status: string;
  model: string;
  model_id: string | null;
  spend: number;
  error_code: string | null;
  metadata: Record<string, unknown>;
}

async function failure(p: Promise<unknown>): Promise<InstanceType<typeof APIError>> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof APIError, String(err));
    return err;
  }
  assert.fail('expected an error');
}

for (const backend of MAIN_BACKENDS) {
  describe(`fallbacks respect the key (${backend.name})`, () => {
    let sim: Simulator;
    let t: GatewayUnderTest;
    before(async () => {
      sim = await startSimulator({ apiKey: SIM_KEY });
      t = await startOn(newPlace(backend), fallbackConfig(sim), clock());
    });
    after(async () => {
      await t.close();
      await sim.close();
    });
    beforeEach(() => sim.reset());

    const upstreamModels = (): string[] => sim.calls.map((c) => (c.body as { model: string }).model);

    async function keyWith(fields: Record<string, unknown>): Promise<{ key: string; client: OpenAI }> {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', fields);
      return { key, client: t.client(key) };
    }

    async function rowsOf(key: string): Promise<LogRow[]> {
      return t.admin<LogRow[]>('GET', `/spend/logs?api_key=${key}`);
    }

    /** model-a answers 500 once (the simulator's queued fault); what happens next is the test. */
    function askA(client: OpenAI, extra: Record<string, unknown> = {}) {
      sim.enqueue({ kind: 'server_error', status: 500 });
      return client.chat.completions.create({ model: 'model-a', messages: hi, ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming).withResponse();
    }

    test('a key allowed only model-a: model-b is skipped, never called, and the client gets model-a\'s error', async () => {
      const { key, client } = await keyWith({ models: ['model-a'] });
      const err = await failure(askA(client));
      assert.equal(err.status, 500);
      assert.match(err.message, /server had an error/);
      assert.deepEqual(upstreamModels(), ['a-up'], 'model-b is never called');
      assert.equal(err.headers?.get('x-igw-attempt-log'), 'a-up=server, model-b=skipped(key_model_access_denied)');
      assert.equal(err.headers?.get('x-igw-attempts'), '1', 'one call went upstream');
      const rows = await rowsOf(key);
      assert.equal(rows.length, 1);
      assert.deepEqual([rows[0].status, rows[0].model, rows[0].model_id, rows[0].spend], ['failure', 'model-a', 'a-up', 0]);
    });

    test('a per-request fallback to a model the key may not call is skipped the same way', async () => {
      const { client } = await keyWith({ models: ['model-a', 'model-b'] });
      const err = await failure(askA(client, { fallbacks: ['model-c'] }));
      assert.equal(err.status, 500);
      assert.deepEqual(upstreamModels(), ['a-up']);
      assert.equal(err.headers?.get('x-igw-attempt-log'), 'a-up=server, model-c=skipped(key_model_access_denied)');
    });

    test('a key allowed model-a and model-b falls back to model-b; the spend-log row names model-b', async () => {
      const { key, client } = await keyWith({ models: ['model-a', 'model-b'] });
      const { data, response } = await askA(client);
      assert.match(data.choices[0].message.content ?? '', /Hello! You said: hi/);
      assert.deepEqual(upstreamModels(), ['a-up', 'b-up']);
      assert.equal(response.headers.get('x-igw-model'), 'model-b');
      assert.equal(response.headers.get('x-igw-attempt-log'), 'a-up=server, b-up=ok');
      const cost = Number(response.headers.get('x-igw-response-cost'));
      assert.ok(cost > 0);
      const rows = await rowsOf(key);
      assert.equal(rows.length, 1);
      assert.deepEqual([rows[0].status, rows[0].model, rows[0].model_id, rows[0].spend], ['success', 'model-b', 'b-up', cost]);
      assert.equal(rows[0].metadata.requested_model, 'model-a');
      const byModel = await t.admin<LogRow[]>('GET', `/spend/logs?api_key=${key}&model=model-b`);
      assert.equal(byModel.length, 1, '/spend/logs?model= finds it under the model that served');
    });

    test('model-b\'s own budget (model_max_budget) is checked and charged for a fallback; model-a\'s is not', async () => {
      const { client } = await keyWith({ model_max_budget: { 'model-a': 0.000001, 'model-b': 0.000001 } });
      const first = await askA(client);
      assert.equal(first.response.headers.get('x-igw-model'), 'model-b', 'under its budget: model-b serves');
      const err = await failure(askA(client));
      assert.equal(err.status, 500, 'model-b is now over its budget: skipped, model-a\'s error');
      assert.equal(err.headers?.get('x-igw-attempt-log'), 'a-up=server, model-b=skipped(budget_exceeded)');
      assert.deepEqual(upstreamModels(), ['a-up', 'b-up', 'a-up']);
      const direct = await failure(client.chat.completions.create({ model: 'model-b', messages: hi }));
      assert.equal(direct.status, 400);
      assert.match(direct.message, /Budget has been exceeded for model=model-b/);
      const ownA = await client.chat.completions.create({ model: 'model-a', messages: hi });
      assert.ok(ownA.choices[0].message.content, 'model-a\'s budget was not charged for model-b\'s answer');
    });

    test('model-b\'s own rate limit (model_rpm_limit) is counted for a fallback and then refuses it', async () => {
      const { client } = await keyWith({ model_rpm_limit: { 'model-b': 1 } });
      const first = await askA(client);
      assert.equal(first.response.headers.get('x-igw-model'), 'model-b');
      assert.equal(first.response.headers.get('x-litellm-key-remaining-requests-model-b'), '0');
      const err = await failure(askA(client));
      assert.equal(err.status, 500);
      assert.equal(err.headers?.get('x-igw-attempt-log'), 'a-up=server, model-b=skipped(rate_limit_exceeded)');
      assert.deepEqual(upstreamModels(), ['a-up', 'b-up', 'a-up']);
    });

    test('a team\'s model list bounds its keys\' fallbacks too', async () => {
      const team = await t.admin<{ team_id: string }>('POST', '/team/new', { models: ['model-a'] });
      const { client } = await keyWith({ team_id: team.team_id });
      const err = await failure(askA(client));
      assert.equal(err.status, 500);
      assert.equal(err.headers?.get('x-igw-attempt-log'), 'a-up=server, model-b=skipped(key_model_access_denied)');
      assert.deepEqual(upstreamModels(), ['a-up']);
    });

    test('a stream that falls back is checked the same way', async () => {
      const { client } = await keyWith({ models: ['model-a'] });
      sim.enqueue({ kind: 'server_error', status: 500 });
      const err = await failure(client.chat.completions.create({ model: 'model-a', messages: hi, stream: true }));
      assert.equal(err.status, 500);
      assert.deepEqual(upstreamModels(), ['a-up']);
    });

    test('the master key falls back as before', async () => {
      const { response } = await askA(t.client(MASTER_KEY));
      assert.equal(response.headers.get('x-igw-model'), 'model-b');
    });
  });
}
