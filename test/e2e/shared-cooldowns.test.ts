// Gateway replicas on one Redis, in front of two simulators: a deployment whose breaker trips on one replica
// is skipped by the others without a call until its cooldown ends; a Redis that goes away costs only the
// sharing. Each test writes under a Redis key prefix of its own.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../helpers/eventually.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { MASTER_KEY, openaiClient, startTestGateway } from '../helpers/gateway.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import type { RunningGateway } from '../../src/start.ts';

const COOLDOWN_SECONDS = 3;

let simA: Simulator;
let simB: Simulator;
const prefixes: string[] = [];

before(async () => {
  simA = await startSimulator();
  simB = await startSimulator();
});
after(async () => {
  await simA.close();
  await simB.close();
  for (const p of prefixes) await deleteKeys(p);
});
beforeEach(() => {
  simA.reset();
  simB.reset();
});

/** Group `g`: `g.0` on simA, the cheaper and so always picked first; `g.1` on simB. igw's default ids. */
function config(): string {
  return `
model_list:
  - model_name: g
    litellm_params: { model: openai/a, api_base: "${simA.url}/v1", api_key: sk-x }
    model_info: { input_cost_per_token: 0.000001 }
  - model_name: g
    litellm_params: { model: openai/b, api_base: "${simB.url}/v1", api_key: sk-x }
    model_info: { input_cost_per_token: 0.000002 }
general_settings: { master_key: ${MASTER_KEY} }
router_settings:
  routing_strategy: cost-based-routing
  num_retries: 1
  allowed_fails: 1
  cooldown_time: ${COOLDOWN_SECONDS}
`;
}

function newPrefix(): string {
  const p = uniquePrefix('e2e-cooldowns');
  prefixes.push(p);
  return p;
}

const replica = (prefix: string, redisUrl = TEST_REDIS_URL): Promise<RunningGateway> =>
  startTestGateway(config(), { REDIS_URL: redisUrl }, { statePrefix: prefix });

/** Which deployment answered. */
async function ask(gw: RunningGateway): Promise<string | null> {
  const { response } = await openaiClient(gw).chat.completions.create({ model: 'g', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  return response.headers.get('x-igw-deployment');
}

async function cooling(gw: RunningGateway): Promise<string[]> {
  const ready = (await (await fetch(`${gw.url}/health/readiness`)).json()) as { groups: Record<string, { cooling: string[] }> };
  return ready.groups.g.cooling;
}

test('a deployment tripped through one gateway is skipped by another without a call, and probed by it after the cooldown', async () => {
  const prefix = newPrefix();
  const a = await replica(prefix);
  const b = await replica(prefix);
  let c: RunningGateway | undefined;
  try {
    simA.enqueue({ kind: 'server_error' }, { kind: 'server_error' });
    assert.equal(await ask(a), 'g.1');
    assert.equal(await ask(a), 'g.1');
    assert.equal(simA.calls.length, 2, 'two failures of g.0 on a: more than allowed_fails=1');
    await eventually('b sees g.0 cooling', async () => (await cooling(b)).includes('g.0'), 2000, 20);
    simA.reset();
    simB.reset();
    for (let i = 0; i < 3; i++) assert.equal(await ask(b), 'g.1');
    c = await replica(prefix);
    assert.deepEqual(await cooling(c), ['g.0'], 'a gateway started during the cooldown reads it from Redis');
    assert.equal(await ask(c), 'g.1');
    assert.equal(simA.calls.length, 0, 'neither b nor c called g.0');
    assert.equal(simB.calls.length, 4);
    await eventually('the cooldown ends', async () => (await cooling(b)).length === 0, COOLDOWN_SECONDS * 1000 + 2000, 20);
    assert.equal(await ask(b), 'g.0', 'b probes g.0, which answers');
    assert.equal(simA.calls.length, 1);
    assert.equal(await ask(b), 'g.0');
  } finally {
    await a.close();
    await b.close();
    await c?.close();
  }
});

test('a gateway whose Redis becomes unreachable still serves, and cools deployments down on its own', async () => {
  const proxy = await startTcpProxy(TEST_REDIS_URL);
  const gw = await replica(newPrefix(), proxy.url);
  try {
    await proxy.close();
    simA.enqueue({ kind: 'server_error' }, { kind: 'server_error' });
    assert.equal(await ask(gw), 'g.1');
    assert.equal(await ask(gw), 'g.1');
    simA.reset();
    simB.reset();
    for (let i = 0; i < 3; i++) assert.equal(await ask(gw), 'g.1');
    assert.equal(simA.calls.length, 0, 'g.0 cools down locally');
    assert.deepEqual(await cooling(gw), ['g.0']);
  } finally {
    await gw.close();
  }
});

test('a gateway whose Redis cannot be reached at start-up refuses to start: limits and budgets live there too', async () => {
  await assert.rejects(replica(newPrefix(), 'redis://127.0.0.1:1'));
});
