// Spend through the gateway: 200 requests at once on a small budget, a restart that keeps every answered
// request's row, streams costed from their usage chunk, tags and metadata in the reports, catalogue prices,
// unknown prices, and failures logged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { APIError } from 'openai';
import { calcPrice } from '@pydantic/genai-prices';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import {
  MAIN_BACKENDS,
  MASTER_KEY,
  PRICED_CONFIG,
  cleanupPlaces,
  clock,
  hi,
  newPlace,
  startOn,
  type GatewayUnderTest,
} from './helpers.ts';

after(cleanupPlaces);

const COST_NANOS = 2_500_000;
const nanos = (usd: number): number => Math.round(usd * 1e9);

interface LogRow {
  request_id: string;
  status: string;
  error_code: string | null;
  spend: number;
  prompt_tokens: number;
  completion_tokens: number;
  request_tags: string[];
  metadata: Record<string, unknown>;
  model_id: string | null;
  end_user: string | null;
}

async function outcomes(calls: Promise<unknown>[]): Promise<{ ok: number; refused: number }> {
  const settled = await Promise.allSettled(calls);
  let ok = 0;
  let refused = 0;
  for (const s of settled) {
    if (s.status === 'fulfilled') ok++;
    else if (s.reason instanceof APIError && s.reason.type === 'budget_exceeded') refused++;
    else throw s.reason;
  }
  return { ok, refused };
}

for (const backend of MAIN_BACKENDS) {
  describe(`spend (${backend.name})`, () => {
    let t: GatewayUnderTest;
    before(async () => {
      t = await startOn(newPlace(backend), PRICED_CONFIG, clock());
    });
    after(() => t.close());

    async function spendOf(key: string): Promise<{ stored: number; rows: LogRow[] }> {
      const info = await t.admin<{ info: { spend: number } }>('GET', `/key/info?key=${key}`);
      const rows = await t.admin<LogRow[]>('GET', `/spend/logs?api_key=${key}&limit=1000`);
      return { stored: info.info.spend, rows };
    }

    test('200 requests at once on a $0.01 budget: overspend only by what was in flight; spend = sum of rows, exactly', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { max_budget: 0.01 });
      const client = t.client(key);
      const { ok, refused } = await outcomes(Array.from({ length: 200 }, () => client.chat.completions.create({ model: 'slow-priced', messages: hi })));
      assert.equal(ok + refused, 200);
      assert.ok(ok >= 4, `the budget is used: ${ok} served`);
      const { stored, rows } = await spendOf(key);
      assert.equal(rows.length, 200, 'one row per request, refused ones included');
      const rowNanos = rows.reduce((sum, r) => sum + nanos(r.spend), 0);
      assert.equal(rowNanos, ok * COST_NANOS);
      assert.equal(nanos(stored), rowNanos, 'the stored spend is the sum of the rows');
      // Every request served was admitted while the spend was under the budget: at most all 200 at once.
      assert.ok(rowNanos - nanos(0.01) <= (ok - 1) * COST_NANOS);
      await assert.rejects(client.chat.completions.create({ model: 'priced', messages: hi }), (e: unknown) => e instanceof APIError && e.status === 400);
    });

    test('200 requests, 10 at a time, on a $0.01 budget: at most the 9 others in flight overspend', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { max_budget: 0.01 });
      const client = t.client(key);
      let next = 0;
      const worker = async (): Promise<{ ok: number; refused: number }> => {
        const tally = { ok: 0, refused: 0 };
        while (next < 200) {
          next++;
          const r = await outcomes([client.chat.completions.create({ model: 'slow-priced', messages: hi })]);
          tally.ok += r.ok;
          tally.refused += r.refused;
        }
        return tally;
      };
      const tallies = await Promise.all(Array.from({ length: 10 }, worker));
      const ok = tallies.reduce((n, x) => n + x.ok, 0);
      assert.equal(ok + tallies.reduce((n, x) => n + x.refused, 0), 200);
      assert.ok(ok >= 4 && ok <= 4 + 9, `served ${ok}: the budget's 4 plus at most 9 in flight`);
      const { stored, rows } = await spendOf(key);
      assert.equal(nanos(stored), rows.reduce((sum, r) => sum + nanos(r.spend), 0));
      assert.equal(nanos(stored), ok * COST_NANOS);
    });

    test('a stream is costed from its usage chunk: SSE comment before [DONE], counted in the budget, logged', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { max_budget: 0.005 });
      const res = await fetch(`${t.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'priced', messages: hi, stream: true }),
      });
      const text = await res.text();
      assert.equal(res.headers.get('x-igw-response-cost'), null, 'stream headers leave before the cost is known');
      assert.ok(text.endsWith(': x-igw-response-cost: 0.0025\n\ndata: [DONE]\n\n'), text.slice(-120));
      assert.ok(!text.includes('"usage":{'), 'the usage chunk igw asked for is still withheld');
      const client = t.client(key);
      let reply = '';
      for await (const chunk of await client.chat.completions.create({ model: 'priced', messages: hi, stream: true })) reply += chunk.choices[0]?.delta?.content ?? '';
      assert.equal(reply, 'hello there', 'the official client reads past the comment');
      await assert.rejects(client.chat.completions.create({ model: 'priced', messages: hi, stream: true }), (e: unknown) => e instanceof APIError && e.status === 400);
      const { rows } = await spendOf(key);
      const served = rows.filter((r) => r.status === 'success');
      assert.equal(served.length, 2);
      assert.deepEqual(served.map((r) => [r.prompt_tokens, r.completion_tokens, r.spend]), [[1, 2, 0.0025], [1, 2, 0.0025]]);
    });

    test('tags and metadata (body and headers) are recorded and reported by tag', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', {});
      const client = t.client(key);
      await client.chat.completions.create(
        { model: 'priced', messages: hi, metadata: { tags: ['exp-1', 'team-a'], purpose: 'nightly' } } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
        { headers: { 'x-litellm-tags': 'batch' } },
      );
      await client.chat.completions.create({ model: 'priced', messages: hi }, { headers: { 'x-igw-tags': 'exp-1, adhoc' } });
      await client.embeddings.create({ model: 'priced', input: 'embed me' }).catch(() => undefined);
      const rows = await t.admin<LogRow[]>('GET', `/spend/logs?api_key=${key}&tag=exp-1`);
      assert.equal(rows.length, 2);
      const tagged = rows.find((r) => r.request_tags.includes('batch'));
      assert.deepEqual(tagged?.request_tags, ['exp-1', 'team-a', 'batch']);
      assert.equal(tagged?.metadata.purpose, 'nightly');
      const tags = await t.admin<{ individual_request_tag: string; log_count: number; total_spend: number }[]>('GET', `/spend/tags?api_key=${key}`);
      assert.deepEqual(tags.find((x) => x.individual_request_tag === 'exp-1'), { individual_request_tag: 'exp-1', log_count: 2, total_spend: 0.005 });
      const report = await t.admin<{ tags: { tag: string; total_spend: number }[] }[]>('GET', `/global/spend/report?group_by=tag&api_key=${key}`);
      const groups = new Map(report[0].tags.map((x) => [x.tag, x.total_spend]));
      assert.deepEqual([...groups.keys()].filter((k) => k !== null).sort(), ['adhoc', 'batch', 'exp-1', 'team-a']);
      assert.ok(groups.has(null as unknown as string), 'the untagged embeddings request is grouped under null');
    });

    test('failures are logged too: refusals, upstream errors, with the end-user', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { models: ['priced'] });
      const client = t.client(key);
      await assert.rejects(client.chat.completions.create({ model: 'free', messages: hi, user: 'cust-f' }));
      const rows = await t.admin<LogRow[]>('GET', `/spend/logs?api_key=${key}`);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].status, 'failure');
      assert.equal(rows[0].error_code, 'key_model_access_denied');
      assert.equal(rows[0].end_user, 'cust-f');
      assert.equal(rows[0].spend, 0);
    });

    test('a client\'s own x-request-id does not make rows collide', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', {});
      const client = t.client(key);
      for (let i = 0; i < 2; i++) await client.chat.completions.create({ model: 'priced', messages: hi }, { headers: { 'x-request-id': 'same-id' } });
      const rows = await t.admin<LogRow[]>('GET', `/spend/logs?api_key=${key}`);
      assert.equal(rows.length, 2);
      assert.deepEqual(rows.map((r) => r.metadata.client_request_id), ['same-id', 'same-id']);
    });
  });

  test(`restart: no acknowledged spend-log row is lost, and budgets carry over (${backend.name})`, async () => {
    const place = newPlace(backend);
    const quiet = { governance: { budgetResetIntervalMs: 0, spendLog: { flushIntervalMs: 3_600_000, batchSize: 10_000 } } };
    const first = await startOn(place, PRICED_CONFIG, clock(), quiet);
    const { key } = await first.admin<{ key: string }>('POST', '/key/generate', { max_budget: 0.0125 });
    const client = first.client(key);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { response } = await client.chat.completions.create({ model: 'priced', messages: hi }).withResponse();
      ids.push(response.headers.get('x-request-id') ?? '');
    }
    assert.equal(first.gw.governance.stats().queued, 4, 'nothing written yet: the rows wait for their batch');
    await first.close();
    const second = await startOn(place, PRICED_CONFIG, clock(), quiet);
    try {
      const rows = await second.admin<LogRow[]>('GET', `/spend/logs?api_key=${key}`);
      assert.deepEqual(rows.map((r) => r.request_id).sort(), [...ids].sort());
      const again = second.client(key);
      await again.chat.completions.create({ model: 'priced', messages: hi });
      await assert.rejects(again.chat.completions.create({ model: 'priced', messages: hi }), (e: unknown) => e instanceof APIError && e.status === 400);
    } finally {
      await second.close();
    }
  });
}

describe('prices', () => {
  let sim: Simulator;
  let t: GatewayUnderTest;
  before(async () => {
    sim = await startSimulator({ apiKey: 'sk-sim' });
    t = await startOn(newPlace(MAIN_BACKENDS[0]), `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${sim.url}/v1", api_key: sk-sim }
  - model_name: gpt-4o-discount
    litellm_params: { model: openai/gpt-4o, api_base: "${sim.url}/v1", api_key: sk-sim }
    model_info: { input_cost_per_token: 0.000001 }
  - model_name: my-llama
    litellm_params: { model: hosted_vllm/my-llama, api_base: "${sim.url}/v1", api_key: sk-sim }
general_settings:
  master_key: ${MASTER_KEY}
`, clock());
  });
  after(async () => {
    await t.close();
    await sim.close();
  });

  test('a deployment priced from genai-prices: the header is the catalogue price of the usage', async () => {
    const { data, response } = await t.client(MASTER_KEY).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'price this please' }] }).withResponse();
    const usage = data.usage!;
    const expected = calcPrice({ input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens }, 'gpt-4o', { providerId: 'openai' })!.total_price;
    assert.equal(Number(response.headers.get('x-igw-response-cost')), Math.round(expected * 1e9) / 1e9);
  });

  test('an override replaces that part of the catalogue price', async () => {
    const { data, response } = await t.client(MASTER_KEY).chat.completions.create({ model: 'gpt-4o-discount', messages: hi }).withResponse();
    const usage = data.usage!;
    const expected = usage.prompt_tokens * 0.000001 + usage.completion_tokens * 10e-6;
    assert.equal(Number(response.headers.get('x-litellm-response-cost')), Math.round(expected * 1e9) / 1e9);
  });

  test('an upstream failure is logged as a failed request, with its error and no cost', async () => {
    sim.enqueue({ kind: 'status', status: 400 });
    await assert.rejects(t.client(MASTER_KEY).chat.completions.create({ model: 'gpt-4o', messages: hi }, { headers: { 'x-igw-tags': 'upstream-fails' } }));
    const rows = await t.admin<LogRow[]>('GET', '/spend/logs?tag=upstream-fails');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'failure');
    assert.ok(rows[0].error_code);
    assert.equal(rows[0].spend, 0);
    assert.equal(rows[0].model_id, 'gpt-4o.0');
  });

  test('an unknown model costs 0, and /model/info says why', async () => {
    const { response } = await t.client(MASTER_KEY).chat.completions.create({ model: 'my-llama', messages: hi }).withResponse();
    assert.equal(response.headers.get('x-igw-response-cost'), '0');
    const info = await t.admin<{ data: { model_name: string; litellm_params: Record<string, unknown>; model_info: Record<string, unknown> }[] }>('GET', '/model/info');
    const byName = new Map(info.data.map((d) => [d.model_name, d]));
    assert.equal(byName.get('my-llama')?.model_info.price_source, 'none');
    assert.match(String(byName.get('my-llama')?.model_info.price_warning), /costed at 0/);
    assert.equal(byName.get('gpt-4o')?.model_info.input_cost_per_token, 2.5e-6);
    assert.equal(byName.get('gpt-4o')?.model_info.price_source, 'genai-prices');
    assert.equal(byName.get('gpt-4o-discount')?.model_info.price_source, 'genai-prices+config');
    assert.equal(byName.get('gpt-4o')?.litellm_params.api_key, undefined, 'no credential in /model/info');
    const v1 = await t.admin<{ data: unknown[] }>('GET', '/v1/model/info');
    assert.equal(v1.data.length, 3);
  });
});
