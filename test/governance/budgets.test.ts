// Budgets through the whole gateway, driven with the official openai client: refused exactly when a request
// would start over budget, budgets that reset on schedule (injected clock), every level (key, team,
// end-user, per model), and API changes that apply to the next request.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { APIError } from 'openai';
import { ALL_BACKENDS, MAIN_BACKENDS, PRICED_CONFIG, cleanupPlaces, clock, hi, newPlace, startOn, T0, type Clock, type GatewayUnderTest } from './helpers.ts';

after(cleanupPlaces);

async function budgetRefusal(p: Promise<unknown>): Promise<APIError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof APIError, String(err));
    assert.equal(err.status, 400, err.message);
    assert.equal(err.type, 'budget_exceeded');
    return err;
  }
  assert.fail('expected 400 budget_exceeded');
}

for (const backend of ALL_BACKENDS) {
  describe(`budget to the cent (${backend.name})`, () => {
    let t: GatewayUnderTest;
    before(async () => {
      t = await startOn(newPlace(backend), PRICED_CONFIG, clock());
    });
    after(() => t.close());

    test('max_budget 0.01 at $0.0025 a request: four pass, the fifth would start at the budget and is refused', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { max_budget: 0.01 });
      const client = t.client(key);
      for (let i = 0; i < 4; i++) {
        const { response } = await client.chat.completions.create({ model: 'priced', messages: hi }).withResponse();
        assert.equal(response.headers.get('x-igw-response-cost'), '0.0025');
        assert.equal(response.headers.get('x-litellm-response-cost'), '0.0025');
      }
      const err = await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi }));
      assert.equal(err.message, '400 Budget has been exceeded! Current cost: 0.01, Max budget: 0.01');
      await t.gw.governance.flushSpendLogs();
      const info = await t.admin<{ info: { spend: number } }>('GET', `/key/info?key=${key}`);
      assert.equal(info.info.spend, 0.01);
      const logs = await t.admin<Record<string, unknown>[]>('GET', `/spend/logs?api_key=${key}`);
      assert.deepEqual(logs.map((r) => r.status).sort(), ['failure', 'success', 'success', 'success', 'success']);
      assert.equal(logs.find((r) => r.status === 'failure')?.error_code, 'budget_exceeded');
    });

    test('max_budget 0.009: the fourth request starts under budget and passes; spend ends one request over', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { max_budget: 0.009 });
      const client = t.client(key);
      for (let i = 0; i < 4; i++) await client.chat.completions.create({ model: 'priced', messages: hi });
      const err = await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi }));
      assert.match(err.message, /Current cost: 0.01, Max budget: 0.009$/);
    });
  });
}

for (const backend of MAIN_BACKENDS) {
  describe(`budgets (${backend.name})`, () => {
    let t: GatewayUnderTest;
    const c: Clock = clock();
    before(async () => {
      t = await startOn(newPlace(backend), PRICED_CONFIG, c);
    });
    after(() => t.close());
    beforeEach(() => c.set(T0));

    test('budget_duration 1h: refused until the hour is over, then the budget is whole again; the store resets too', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { max_budget: 0.005, budget_duration: '1h' });
      const client = t.client(key);
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi }));
      c.set(T0 + 3_600_000 - 1);
      await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi }));
      c.set(T0 + 3_600_000);
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await t.gw.governance.flushSpendLogs();
      await t.gw.governance.resetDueBudgets();
      const info = await t.admin<{ info: { spend: number; budget_reset_at: string } }>('GET', `/key/info?key=${key}`);
      assert.equal(info.info.budget_reset_at, new Date(T0 + 2 * 3_600_000).toISOString());
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi }));
    });

    test('a team over its budget refuses every key of the team, naming the team', async () => {
      const team = await t.admin<{ team_id: string }>('POST', '/team/new', { team_alias: 'research', max_budget: 0.0025 });
      const a = await t.admin<{ key: string }>('POST', '/key/generate', { team_id: team.team_id });
      const b = await t.admin<{ key: string }>('POST', '/key/generate', { team_id: team.team_id });
      await t.client(a.key).chat.completions.create({ model: 'priced', messages: hi });
      const err = await budgetRefusal(t.client(b.key).chat.completions.create({ model: 'priced', messages: hi }));
      assert.match(err.message, /Team=research Current cost: 0.0025, Max budget: 0.0025/);
    });

    test('an end-user (the request\'s `user`) with a budget is refused; other end-users are not', async () => {
      await t.admin('POST', '/customer/new', { user_id: 'customer-7', max_budget: 0.0025 });
      const client = t.client((await t.admin<{ key: string }>('POST', '/key/generate', {})).key);
      await client.chat.completions.create({ model: 'priced', messages: hi, user: 'customer-7' });
      const err = await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi, user: 'customer-7' }));
      assert.match(err.message, /End-user=customer-7/);
      await client.chat.completions.create({ model: 'priced', messages: hi, user: 'customer-8' });
    });

    test('an end-user named by `safety_identifier` (OpenAI\'s successor to `user`) has its budget, its block and its spend rows', async () => {
      await t.admin('POST', '/customer/new', { user_id: 'customer-s', max_budget: 0.0025 });
      const client = t.client((await t.admin<{ key: string }>('POST', '/key/generate', {})).key);
      await client.chat.completions.create({ model: 'priced', messages: hi, safety_identifier: 'customer-s' });
      const err = await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi, safety_identifier: 'customer-s' }));
      assert.match(err.message, /End-user=customer-s/);
      await t.admin('POST', '/customer/block', { user_ids: ['customer-s'] });
      const blocked = await client.chat.completions.create({ model: 'priced', messages: hi, safety_identifier: 'customer-s' }).catch((e: unknown) => e);
      assert.ok(blocked instanceof OpenAI.PermissionDeniedError, String(blocked));
      assert.equal(blocked.param, 'safety_identifier');
      assert.match(blocked.message, /End-user 'customer-s' \(the request's safety_identifier\) is blocked/);
      await t.gw.governance.flushSpendLogs();
      const rows = await t.admin<{ status: string; end_user: string | null }[]>('GET', '/spend/logs?end_user=customer-s');
      assert.deepEqual(rows.map((r) => r.status).sort(), ['failure', 'failure', 'success']);
    });

    test('model_max_budget: one model over its budget, the others still served', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { model_max_budget: { priced: 0.0025 } });
      const client = t.client(key);
      await client.chat.completions.create({ model: 'priced', messages: hi });
      const err = await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi }));
      assert.match(err.message, /model=priced/);
      await client.chat.completions.create({ model: 'cheap', messages: hi });
    });

    test('a model outside the key\'s list: 401 naming the model and the list', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { models: ['cheap'] });
      await assert.rejects(t.client(key).chat.completions.create({ model: 'priced', messages: hi }), (err: unknown) => {
        assert.ok(err instanceof OpenAI.AuthenticationError);
        assert.equal(err.type, 'key_model_access_denied');
        assert.match(err.message, /This key can only access models=\['cheap'\]\. Tried to access priced/);
        return true;
      });
    });

    test('changes through the API apply to the next request', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', {});
      const client = t.client(key);
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await t.admin('POST', '/key/update', { key, max_budget: 0.005 });
      await budgetRefusal(client.chat.completions.create({ model: 'priced', messages: hi }));
      await t.admin('POST', '/key/update', { key, max_budget: 1 });
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await t.admin('POST', '/key/update', { key, models: ['cheap'] });
      await assert.rejects(client.chat.completions.create({ model: 'priced', messages: hi }), OpenAI.AuthenticationError);
    });

    test('soft_budget: a header and a log line, never a refusal', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { soft_budget: 0.002 });
      const client = t.client(key);
      const first = await client.chat.completions.create({ model: 'priced', messages: hi }).withResponse();
      assert.equal(first.response.headers.get('x-igw-soft-budget-exceeded'), null);
      const second = await client.chat.completions.create({ model: 'priced', messages: hi }).withResponse();
      assert.equal(second.response.headers.get('x-igw-soft-budget-exceeded'), 'key');
    });
  });
}
