// Anthropic's `metadata.user_id` is the end-user (customer) of a /v1/messages request, as `user` is on
// /v1/chat/completions: blocking, end-user budgets and spend attribution apply to it, with Anthropic-style
// errors, on the pass-through path (an Anthropic deployment) and the translated one (a mock model).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicApiError } from '../helpers/anthropic.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { MAIN_BACKENDS, MASTER_KEY, cleanupPlaces, clock, newPlace, startOn, type GatewayUnderTest } from './helpers.ts';

after(cleanupPlaces);

const SIM_KEY = 'sk-ant-sim-end-user';

function config(sim: Simulator): string {
  return `model_list:
  - model_name: claude
    litellm_params: { model: anthropic/claude-sonnet-4-5, api_base: "${sim.url}", api_key: ${SIM_KEY} }
    model_info: { input_cost_per_token: 0.0005, output_cost_per_token: 0.001 }
  - model_name: priced
    litellm_params: { model: mock/priced, mock_response: "hello there" }
    model_info: { input_cost_per_token: 0.0005, output_cost_per_token: 0.001 }
general_settings:
  master_key: ${MASTER_KEY}
router_settings:
  num_retries: 0
`;
}

interface LogRow {
  status: string;
  end_user: string | null;
  error_code: string | null;
  call_type: string;
  spend: number;
}

function anthropicBody(err: InstanceType<typeof Anthropic.APIError>): { type: string; error: { type: string; message: string } } {
  return err.error as { type: string; error: { type: string; message: string } };
}

for (const backend of MAIN_BACKENDS) {
  describe(`/v1/messages end-users (${backend.name})`, () => {
    let sim: Simulator;
    let t: GatewayUnderTest;
    let key: string;
    let client: Anthropic;
    before(async () => {
      sim = await startSimulator({ apiKey: SIM_KEY });
      t = await startOn(newPlace(backend), config(sim), clock());
      key = (await t.admin<{ key: string }>('POST', '/key/generate', {})).key;
      client = new Anthropic({ baseURL: t.url, apiKey: key, maxRetries: 0 });
    });
    after(async () => {
      await t.close();
      await sim.close();
    });
    beforeEach(() => sim.reset());

    const ask = (model: string, userId: string, stream = false) =>
      client.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: userId }, stream } as Anthropic.MessageCreateParamsNonStreaming);

    for (const model of ['claude', 'priced']) {
      test(`a blocked customer gets an Anthropic permission_error and no upstream call (${model})`, async () => {
        const id = `cust-blocked-${model}`;
        await t.admin('POST', '/customer/new', { user_id: id });
        await t.admin('POST', '/customer/block', { user_ids: [id] });
        const err = await anthropicApiError(ask(model, id));
        assert.equal(err.status, 403);
        assert.ok(err instanceof Anthropic.PermissionDeniedError);
        const body = anthropicBody(err);
        assert.equal(body.type, 'error');
        assert.equal(body.error.type, 'permission_error');
        assert.equal(body.error.message, `End-user '${id}' (the request's metadata.user_id) is blocked. An admin can unblock it with POST /customer/unblock.`);
        const streamed = await anthropicApiError(ask(model, id, true));
        assert.equal(streamed.status, 403, 'a stream is refused before it starts');
        assert.equal(sim.calls.length, 0);
        await t.admin('POST', '/customer/unblock', { user_ids: [id] });
        const reply = await ask(model, id);
        assert.equal(reply.type, 'message');
      });
    }

    test('spend logs and the customer\'s spend name the end-user, on both paths', async () => {
      await t.admin('POST', '/customer/new', { user_id: 'cust-spend' });
      await ask('claude', 'cust-spend');
      await ask('priced', 'cust-spend');
      assert.equal((sim.calls[0].body as { metadata?: { user_id?: string } }).metadata?.user_id, 'cust-spend', 'the provider still gets metadata.user_id');
      const rows = await t.admin<LogRow[]>('GET', `/spend/logs?api_key=${key}&end_user=cust-spend`);
      assert.equal(rows.length, 2);
      for (const r of rows) assert.deepEqual([r.status, r.end_user, r.call_type], ['success', 'cust-spend', 'messages']);
      const total = rows.reduce((sum, r) => sum + r.spend, 0);
      assert.ok(total > 0);
      const info = await t.admin<{ spend: number }>('GET', '/customer/info?end_user_id=cust-spend');
      assert.equal(Math.round(info.spend * 1e9), Math.round(total * 1e9));
    });

    test('an end-user budget refuses with an Anthropic invalid_request_error once spent', async () => {
      await t.admin('POST', '/customer/new', { user_id: 'cust-budget', max_budget: 0.000001 });
      await ask('priced', 'cust-budget');
      const err = await anthropicApiError(ask('priced', 'cust-budget'));
      assert.equal(err.status, 400);
      const body = anthropicBody(err);
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, /^Budget has been exceeded! End-user=cust-budget Current cost: /);
      const other = await ask('priced', 'cust-other');
      assert.equal(other.type, 'message', 'another end-user of the same key is not refused');
    });

    test('the OpenAI `user` field on /v1/chat/completions and metadata.user_id on /v1/messages are the same customer', async () => {
      await t.admin('POST', '/customer/new', { user_id: 'cust-both' });
      await t.admin('POST', '/customer/block', { user_ids: ['cust-both'] });
      const res = await fetch(`${t.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'priced', messages: [{ role: 'user', content: 'hi' }], user: 'cust-both' }),
      });
      assert.equal(res.status, 403);
      const openaiBody = (await res.json()) as { error: { code: string; param: string } };
      assert.deepEqual([openaiBody.error.code, openaiBody.error.param], ['end_user_blocked', 'user']);
      assert.equal((await anthropicApiError(ask('priced', 'cust-both'))).status, 403);
      const rows = await t.admin<LogRow[]>('GET', `/spend/logs?end_user=cust-both`);
      assert.deepEqual(rows.map((r) => [r.status, r.error_code]), [['failure', 'end_user_blocked'], ['failure', 'end_user_blocked']]);
    });
  });
}
