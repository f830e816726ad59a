// Chaos: two deployments failing at random 30% of the time (429, 500, connection resets, slow first
// bytes) behind a fallback. 1,000 requests must all be answered correctly; the added latency is reported.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startSimulator, type Fault, type Simulator } from '../simulator/index.ts';
import { MASTER_KEY, openaiClient, startTestGateway } from '../helpers/gateway.ts';
import type { RunningGateway } from '../../src/start.ts';

const REQUESTS = 1000;
const CONCURRENCY = 16;

let flakyA: Simulator;
let flakyB: Simulator;
let steady: Simulator;
let gw: RunningGateway;

/** A deterministic pseudo-random fault plan: 30% faults, the rest a no-op (chunk_delay 0 on a JSON call). */
function plan(seed: number, n: number): Fault[] {
  let s = seed;
  const rand = (): number => ((s = (s * 48271) % 2147483647) / 2147483647);
  const faults: Fault[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r >= 0.3) faults.push({ kind: 'chunk_delay', delayMs: 0 });
    else if (r < 0.1) faults.push({ kind: 'rate_limit', retryAfterMs: 20 });
    else if (r < 0.2) faults.push({ kind: 'server_error', status: 500 });
    else if (r < 0.25) faults.push({ kind: 'reset' });
    else faults.push({ kind: 'slow_first_byte', delayMs: 400 });
  }
  return faults;
}

before(async () => {
  [flakyA, flakyB, steady] = await Promise.all([startSimulator({ record: false }), startSimulator({ record: false }), startSimulator({ record: false })]);
  gw = await startTestGateway(`
model_list:
  - model_name: chaos
    litellm_params: { model: openai/a, api_base: "${flakyA.url}/v1", api_key: k, timeout: 0.2 }
  - model_name: chaos
    litellm_params: { model: openai/b, api_base: "${flakyB.url}/v1", api_key: k, timeout: 0.2 }
  - model_name: steady
    litellm_params: { model: openai/s, api_base: "${steady.url}/v1", api_key: k }
general_settings: { master_key: ${MASTER_KEY} }
router_settings:
  num_retries: 2
  allowed_fails: 1000
  retry_after: 0
  fallbacks: [{"chaos": ["steady"]}]
`);
});

after(async () => {
  await gw.close();
  await Promise.all([flakyA.close(), flakyB.close(), steady.close()]);
});

async function drive(client: OpenAI, model: string): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < REQUESTS) {
      const i = next++;
      const t0 = performance.now();
      const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: `request ${i}` }] });
      latencies.push(performance.now() - t0);
      assert.equal(r.choices[0].message.content, `Hello! You said: request ${i}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];

test(`${REQUESTS} requests through 30% random faults are all answered correctly`, async () => {
  const client = openaiClient(gw);
  await drive(client, 'steady'); // warm-up: JIT and connection pools
  const baseline = await drive(client, 'steady');
  flakyA.enqueue(...plan(7, 4 * REQUESTS));
  flakyB.enqueue(...plan(11, 4 * REQUESTS));
  const chaos = await drive(client, 'chaos');
  assert.equal(chaos.length, REQUESTS);
  const report = {
    baseline_p50_ms: +pct(baseline, 0.5).toFixed(1),
    baseline_p99_ms: +pct(baseline, 0.99).toFixed(1),
    chaos_p50_ms: +pct(chaos, 0.5).toFixed(1),
    chaos_p99_ms: +pct(chaos, 0.99).toFixed(1),
  };
  console.log(`chaos report: ${JSON.stringify(report)}`);
  assert.ok(report.chaos_p99_ms < 5000, 'no request waits on a hung upstream');
});
