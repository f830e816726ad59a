// The pre-call checks at their edges, on both state engines: budgets to the nano-dollar, budget periods that
// reset by the clock, rpm/tpm windows, per-model limits and parallel slots.
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../src/canonical/index.ts';
import { Limiter, type Subject } from '../../src/limits/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import type { StateBackend } from '../../src/state/index.ts';
import { clock, STATE_ENGINES, subject, T0, type Clock } from './helpers.ts';

const logger = createLogger('silent');
const CENT_QUARTER = 2_500_000; // $0.0025 in nano-dollars

async function refusal(p: unknown): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GatewayError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}

for (const engine of STATE_ENGINES) {
  describe(`limiter on ${engine.name} state`, () => {
    let c: Clock;
    let state: StateBackend;
    let limiter: Limiter;
    beforeEach(async () => {
      c = clock();
      state = await engine.open(c);
      limiter = new Limiter({ state, logger });
    });
    afterEach(() => state.close());
    after(() => engine.cleanup());

    async function spend(s: Subject[], nanos: number, model = 'm'): Promise<void> {
      const adm = await limiter.admit(s, model);
      await limiter.charge(adm, nanos, 10);
      await limiter.release(adm);
    }

    test('max_budget 0.01: four requests of $0.0025 pass, the fifth starts at the budget and is refused', async () => {
      const key = [subject({ maxBudget: 0.01 })];
      for (let i = 0; i < 4; i++) await spend(key, CENT_QUARTER);
      const err = await refusal(limiter.admit(key, 'm'));
      assert.equal(err.status, 400);
      assert.equal(err.type, 'budget_exceeded');
      assert.equal(err.message, 'Budget has been exceeded! Current cost: 0.01, Max budget: 0.01');
    });

    test('admitted at once where the state answers at once (memory), as a promise on Redis; a refusal is always a rejected promise', async () => {
      const key = [subject({ maxBudget: 0.01, rpm: 100 })];
      await spend(key, 0); // seeds the budget accumulator: the first admission waits for the store's spend
      const admitted = limiter.admit(key, 'm');
      assert.equal(admitted instanceof Promise, engine.name !== 'memory');
      assert.ok((await admitted).headers['x-ratelimit-remaining-requests']);
      await spend(key, 10_000_000);
      const refused = limiter.admit(key, 'm');
      assert.ok(refused instanceof Promise);
      assert.equal((await refusal(refused)).type, 'budget_exceeded');
    });

    test('charged at once where the state answers at once (memory): nothing to wait for, and the next admission sees the cost', async () => {
      const key = [subject({ maxBudget: 0.01, tpm: 1_000 })];
      await spend(key, 0);
      const adm = await limiter.admit(key, 'm');
      const charged = limiter.charge(adm, 10_000_000, 20);
      assert.equal(charged instanceof Promise, engine.name !== 'memory');
      await charged;
      assert.equal((await refusal(limiter.admit(key, 'm'))).type, 'budget_exceeded');
    });

    test('one nano-dollar under the budget still passes', async () => {
      const key = [subject({ maxBudget: 0.01 })];
      await spend(key, 9_999_999);
      await limiter.admit(key, 'm');
      await spend(key, 1);
      await refusal(limiter.admit(key, 'm'));
    });

    test('the accumulator starts from the spend the store holds', async () => {
      const key = [subject({ maxBudget: 0.01, storedSpend: 0.009 })];
      await spend(key, 1_000_000);
      const err = await refusal(limiter.admit(key, 'm'));
      assert.match(err.message, /Current cost: 0.01,/);
    });

    test('budget_duration: refused until the period ends, then the budget is whole again', async () => {
      const resetAt = new Date(T0 + 3_600_000).toISOString();
      const key = [subject({ maxBudget: 0.01, budgetDuration: '1h', budgetResetAt: resetAt, storedSpend: 0.004 })];
      await spend(key, 6_000_000);
      const err = await refusal(limiter.admit(key, 'm'));
      assert.match(err.message, /resets every 1h/);
      c.set(T0 + 3_600_000 - 1);
      await refusal(limiter.admit(key, 'm'));
      c.set(T0 + 3_600_000);
      await spend(key, 9_000_000);
      await limiter.admit(key, 'm');
      c.advance(3 * 3_600_000 + 5);
      await spend(key, 10_000_000);
      await refusal(limiter.admit(key, 'm'));
    });

    test('a stored spend from a period already over (store not reset yet) is not counted', async () => {
      const key = [subject({ maxBudget: 0.01, budgetDuration: '1d', budgetResetAt: new Date(T0 - 1000).toISOString(), storedSpend: 5 })];
      await limiter.admit(key, 'm');
    });

    test('1mo budgets reset on the calendar', async () => {
      c.set(Date.UTC(2026, 0, 31, 10));
      const key = [subject({ maxBudget: 1, budgetDuration: '1mo', budgetResetAt: new Date(Date.UTC(2026, 1, 28)).toISOString() })];
      await spend(key, 1e9);
      await refusal(limiter.admit(key, 'm'));
      c.set(Date.UTC(2026, 1, 28));
      await limiter.admit(key, 'm');
    });

    test('every subject is checked: a team over its budget refuses its keys, named in the message', async () => {
      const key = subject({ maxBudget: 100 });
      const team = subject({ kind: 'team', id: 't1', label: 'research', maxBudget: 0.001 });
      await spend([key, team], 1_000_000);
      const err = await refusal(limiter.admit([key, team], 'm'));
      assert.match(err.message, /^Budget has been exceeded! Team=research Current cost: 0.001, Max budget: 0.001/);
    });

    test('model_max_budget: only that model is refused', async () => {
      const key = [subject({ modelMaxBudget: { 'gpt-4o': 0.002 } })];
      await spend(key, 2_000_000, 'gpt-4o');
      const err = await refusal(limiter.admit(key, 'gpt-4o'));
      assert.equal(err.param, 'model');
      assert.match(err.message, /model=gpt-4o/);
      await limiter.admit(key, 'gpt-4o-mini');
    });

    test('soft_budget warns and never refuses', async () => {
      const key = [subject({ softBudget: 0.001 })];
      assert.deepEqual((await limiter.admit(key, 'm')).softBudget, []);
      await spend(key, 1_000_000);
      assert.deepEqual((await limiter.admit(key, 'm')).softBudget, ['key']);
    });

    test('rpm_limit 10: the 11th request in the minute gets 429 with retry-after; the next minute is open', async () => {
      const key = [subject({ rpm: 10 })];
      for (let i = 1; i <= 10; i++) {
        const adm = await limiter.admit(key, 'm');
        assert.equal(adm.headers['x-ratelimit-remaining-requests'], String(10 - i));
        assert.equal(adm.headers['x-ratelimit-limit-requests'], '10');
      }
      c.advance(17_900); // 12:00:18.000
      const err = await refusal(limiter.admit(key, 'm'));
      assert.equal(err.status, 429);
      assert.equal(err.headers['retry-after'], '42');
      assert.equal(err.headers['x-ratelimit-remaining-requests'], '0');
      assert.equal(err.headers['x-ratelimit-reset-requests'], '42s');
      assert.match(err.message, /10 requests per minute \(rpm_limit\)/);
      c.set(Date.UTC(2026, 2, 10, 12, 1, 0));
      const adm = await limiter.admit(key, 'm');
      assert.equal(adm.headers['x-ratelimit-remaining-requests'], '9');
    });

    test('tpm_limit: requests pass until the minute has used the limit, then 429', async () => {
      const key = [subject({ tpm: 100 })];
      let adm = await limiter.admit(key, 'm');
      assert.equal(adm.headers['x-ratelimit-remaining-tokens'], '100');
      await limiter.charge(adm, 0, 99);
      adm = await limiter.admit(key, 'm');
      assert.equal(adm.headers['x-ratelimit-remaining-tokens'], '1');
      await limiter.charge(adm, 0, 1);
      const err = await refusal(limiter.admit(key, 'm'));
      assert.equal(err.status, 429);
      assert.match(err.message, /100 tokens per minute/);
    });

    test('per-model rpm: LiteLLM headers name the model; other models are not limited', async () => {
      const key = [subject({ modelRpm: { 'openai/gpt-4o': 2 }, modelTpm: { 'openai/gpt-4o': 500 } })];
      const adm = await limiter.admit(key, 'openai/gpt-4o');
      assert.equal(adm.headers['x-litellm-key-remaining-requests-openai-gpt-4o'], '1');
      assert.equal(adm.headers['x-litellm-key-remaining-tokens-openai-gpt-4o'], '500');
      await limiter.admit(key, 'openai/gpt-4o');
      const err = await refusal(limiter.admit(key, 'openai/gpt-4o'));
      assert.match(err.message, /2 requests per minute to openai\/gpt-4o \(model_rpm_limit\)/);
      await limiter.admit(key, 'other');
    });

    test('max_parallel_requests: held slots refuse, released ones admit; a window refusal gives slots back', async () => {
      const key = [subject({ parallel: 2, rpm: 3 })];
      const a = await limiter.admit(key, 'm');
      const b = await limiter.admit(key, 'm');
      const err = await refusal(limiter.admit(key, 'm'));
      assert.equal(err.status, 429);
      assert.match(err.message, /2 requests at a time/);
      await limiter.release(a);
      await limiter.release(a);
      const d = await limiter.admit(key, 'm');
      await limiter.release(b);
      await limiter.release(d);
      await refusal(limiter.admit(key, 'm')); // rpm 3 used
      assert.deepEqual(await state.getSlots(['parallel:key:k1']), [0]);
    });

    test('a budget refusal takes no rate-limit unit', async () => {
      const key = [subject({ maxBudget: 0.001, rpm: 2 })];
      await spend(key, 1_000_000);
      for (let i = 0; i < 5; i++) await refusal(limiter.admit(key, 'm'));
      const [w] = await state.peekWindows([{ key: 'rpm:key:k1', windowMs: 60_000 }]);
      assert.equal(w.count, 1);
    });

    test('admitModel (a fallback): the new model\'s budget and windows are checked and counted, and it is the one charged', async () => {
      const key = [subject({ rpm: 10, modelMaxBudget: { a: 0.01, b: 0.002 }, modelRpm: { b: 2 }, modelTpm: { a: 100, b: 100 } })];
      const adm = await limiter.admit(key, 'a');
      const headers = await limiter.admitModel(adm, 'b');
      assert.deepEqual(headers, { 'x-litellm-key-remaining-requests-b': '1', 'x-litellm-key-remaining-tokens-b': '100' });
      assert.equal(adm.model.model, 'b');
      await limiter.charge(adm, 2_000_000, 40);
      await limiter.release(adm);
      const [rpm, rpmA, rpmB, tpmA, tpmB] = await state.peekWindows(
        ['rpm:key:k1', 'rpm:key:k1:model:a', 'rpm:key:k1:model:b', 'tpm:key:k1:model:a', 'tpm:key:k1:model:b'].map((k) => ({ key: k, windowMs: 60_000 })),
      );
      assert.deepEqual([rpm.count, rpmA.count, rpmB.count], [1, 0, 1], 'the fallback takes one unit of b\'s window, none of the key\'s again');
      assert.deepEqual([tpmA.count, tpmB.count], [0, 40], 'the tokens count for b, which served');
      const overB = await refusal(limiter.admit(key, 'b'));
      assert.match(overB.message, /model=b/, 'b\'s budget was charged');
      await limiter.admit(key, 'a'); // a's was not
    });

    test('admitModel refuses over the new model\'s budget or window, and leaves the admission as it was', async () => {
      const key = [subject({ modelMaxBudget: { b: 0.001 }, modelRpm: { c: 1 } })];
      await spend(key, 1_000_000, 'b');
      const adm = await limiter.admit(key, 'a');
      const overBudget = await refusal(limiter.admitModel(adm, 'b'));
      assert.equal(overBudget.type, 'budget_exceeded');
      assert.equal(adm.model.model, 'a');
      await limiter.admitModel(await limiter.admit(key, 'a'), 'c');
      const overRpm = await refusal(limiter.admitModel(adm, 'c'));
      assert.equal(overRpm.status, 429);
      assert.match(overRpm.message, /1 requests per minute to c \(model_rpm_limit\)/);
      assert.equal(adm.model.model, 'a');
    });

    test('admitModel for a caller with no limits (the master key) only moves the model', async () => {
      const adm = await limiter.admit([], 'a');
      assert.deepEqual(await limiter.admitModel(adm, 'b'), {});
      assert.equal(adm.model.model, 'b');
    });

    test('ids with separators cannot reach another subject\'s counters', async () => {
      const a = [subject({ kind: 'user', id: 'a:model:x', maxBudget: 0.001 })];
      const b = [subject({ kind: 'user', id: 'a', modelMaxBudget: { x: 0.001 } })];
      await spend(a, 1_000_000);
      await limiter.admit(b, 'x');
    });
  });
}
