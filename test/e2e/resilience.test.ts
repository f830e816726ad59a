// Fault injection over two simulators: which deployments were called in which order, what the client
// received, and the timing bounds of backoff, timeouts, cooldowns and hedging.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { MASTER_KEY, openaiClient, startTestGateway } from '../helpers/gateway.ts';
import type { RunningGateway } from '../../src/start.ts';

let simA: Simulator;
let simB: Simulator;

before(async () => {
  simA = await startSimulator();
  simB = await startSimulator();
});
after(async () => {
  await simA.close();
  await simB.close();
});
beforeEach(() => {
  simA.reset();
  simB.reset();
});

/** `model_list` entries: name → [sim, upstream model, extra litellm_params]. Cost-based routing with
 * increasing prices makes the order of deployments deterministic. */
function config(entries: [string, Simulator, string, string?][], router: string): string {
  const list = entries
    .map(
      ([name, sim, model, extra], i) => `
  - model_name: ${name}
    litellm_params: { model: openai/${model}, api_base: "${sim.url}/v1", api_key: sk-x${extra ? `, ${extra}` : ''} }
    model_info: { id: ${model}, input_cost_per_token: ${(i + 1) / 1e6} }`,
    )
    .join('');
  return `model_list:${list}\ngeneral_settings: { master_key: ${MASTER_KEY} }\nrouter_settings:\n  routing_strategy: cost-based-routing\n${router
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
}

async function withGateway(yaml: string, fn: (client: OpenAI, gw: RunningGateway) => Promise<void>): Promise<void> {
  const gw = await startTestGateway(yaml);
  try {
    await fn(openaiClient(gw), gw);
  } finally {
    await gw.close();
  }
}

const ask = (client: OpenAI, model: string, content = 'hi', extra: Record<string, unknown> = {}) =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content }], ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming).withResponse();

const order = (): string[] =>
  [...simA.calls.map((c) => ({ at: c.at, m: c.body.model })), ...simB.calls.map((c) => ({ at: c.at, m: c.body.model }))]
    .sort((x, y) => x.at - y.at)
    .map((c) => c.m);

async function failure(p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof OpenAI.APIError, String(err));
    return err;
  }
  assert.fail('expected an error');
}

test('a server error is retried on another deployment of the group, at once', async () => {
  // retry_after: 10 makes any backoff at least 10 s, so an answer well before proves there was none.
  await withGateway(config([['g', simA, 'a'], ['g', simB, 'b']], 'num_retries: 2\nretry_after: 10'), async (client) => {
    simA.enqueue({ kind: 'server_error', status: 500 });
    const t0 = performance.now();
    const { data, response } = await ask(client, 'g');
    assert.ok(performance.now() - t0 < 6000, 'no backoff when another deployment can take the retry');
    assert.deepEqual(order(), ['a', 'b']);
    assert.equal(data.choices[0].message.content, 'Hello! You said: hi');
    assert.equal(response.headers.get('x-igw-deployment'), 'b');
    assert.equal(response.headers.get('x-igw-attempts'), '2');
    assert.equal(response.headers.get('x-igw-attempt-log'), 'a=server, b=ok');
  });
});

test('bad requests and auth errors are never retried', async () => {
  await withGateway(config([['g', simA, 'a'], ['g', simB, 'b']], 'num_retries: 3'), async (client) => {
    simA.enqueue({ kind: 'status', status: 400 });
    assert.equal((await failure(ask(client, 'g'))).status, 400);
    assert.deepEqual(order(), ['a']);
    simA.reset();
    simA.enqueue({ kind: 'invalid_key' });
    assert.equal((await failure(ask(client, 'g'))).status, 401);
    assert.deepEqual(simB.calls.length, 0);
  });
});

test('a lone deployment is retried after the upstream retry-after, with backoff', async () => {
  await withGateway(config([['solo', simA, 'a']], 'num_retries: 1'), async (client) => {
    simA.enqueue({ kind: 'rate_limit', retryAfterMs: 400 });
    const t0 = performance.now();
    const { response } = await ask(client, 'solo');
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 400, `waited ${elapsed.toFixed(0)} ms, the upstream asked for 400`);
    assert.ok(elapsed < 3000);
    assert.deepEqual(order(), ['a', 'a']);
    assert.equal(response.headers.get('x-igw-attempts'), '2');
  });
});

test('a retry-after beyond max_retry_after is not waited out: the client hears at once, and is told not to retry', async () => {
  await withGateway(config([['solo', simA, 'a']], 'num_retries: 1\nmax_retry_after: 2'), async (client) => {
    simA.enqueue({ kind: 'rate_limit', retryAfterSeconds: 60 });
    const t0 = performance.now();
    const err = await failure(ask(client, 'solo'));
    assert.ok(performance.now() - t0 < 5000, 'not the 60 s the upstream asked for');
    assert.equal(err.status, 429);
    assert.equal(err.headers?.get('retry-after'), '60');
    assert.deepEqual(order(), ['a']);
  });
});

test('fallbacks run in order after retries are spent; the response names the model that answered', async () => {
  const yaml = config(
    [['primary', simA, 'p'], ['second', simA, 's'], ['third', simB, 't']],
    'num_retries: 1\nfallbacks: [{"primary": ["second", "third"]}]',
  );
  await withGateway(yaml, async (client) => {
    simA.enqueue({ kind: 'server_error' }, { kind: 'server_error' }, { kind: 'server_error', status: 503 }, { kind: 'server_error', status: 502 });
    const { data, response } = await ask(client, 'primary');
    assert.deepEqual(order(), ['p', 'p', 's', 's', 't']);
    assert.equal(data.choices[0].message.content, 'Hello! You said: hi');
    assert.equal(response.headers.get('x-igw-model'), 'third');
    assert.equal(response.headers.get('x-igw-attempts'), '5');
  });
});

test('context-window and content-policy failures take their own fallback lists', async () => {
  const yaml = config(
    [['small', simA, 'small'], ['big', simB, 'big'], ['safe', simB, 'safe'], ['other', simB, 'other']],
    'num_retries: 2\nfallbacks: [{"small": ["other"]}]\ncontext_window_fallbacks: [{"small": ["big"]}]\ncontent_policy_fallbacks: [{"small": ["safe"]}]',
  );
  await withGateway(yaml, async (client) => {
    simA.enqueue({ kind: 'context_length' });
    const long = await ask(client, 'small');
    assert.equal(long.response.headers.get('x-igw-model'), 'big');
    assert.deepEqual(order(), ['small', 'big'], 'a context-window error is not retried on the same model');
    simA.reset();
    simB.reset();
    simA.enqueue({ kind: 'content_filter' });
    const filtered = await ask(client, 'small');
    assert.equal(filtered.response.headers.get('x-igw-model'), 'safe');
    simA.reset();
    simB.reset();
    simA.enqueue({ kind: 'server_error' }, { kind: 'server_error' }, { kind: 'server_error' });
    const generic = await ask(client, 'small');
    assert.equal(generic.response.headers.get('x-igw-model'), 'other');
  });
});

test('default_fallbacks, request-level fallbacks, and disable_fallbacks', async () => {
  const yaml = config([['a', simA, 'a'], ['b', simB, 'b'], ['c', simB, 'c']], 'num_retries: 0\ndefault_fallbacks: ["b"]');
  await withGateway(yaml, async (client) => {
    simA.enqueue({ kind: 'server_error' });
    assert.equal((await ask(client, 'a')).response.headers.get('x-igw-model'), 'b');
    simA.enqueue({ kind: 'server_error' });
    const own = await ask(client, 'a', 'hi', { fallbacks: ['c'] });
    assert.equal(own.response.headers.get('x-igw-model'), 'c');
    assert.equal(simB.calls.at(-1)?.body.fallbacks, undefined, 'routing fields are not forwarded upstream');
    simA.enqueue({ kind: 'server_error' });
    const err = await failure(ask(client, 'a', 'hi', { disable_fallbacks: true }));
    assert.equal(err.status, 500);
  });
});

test('once igw has spent its retries it says x-should-retry: false, and the SDK does not multiply them', async () => {
  await withGateway(config([['g', simA, 'a'], ['g', simB, 'b']], 'num_retries: 1'), async (_client, gw) => {
    const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: MASTER_KEY, maxRetries: 2 });
    simA.enqueue({ kind: 'server_error', status: 503 });
    simB.enqueue({ kind: 'server_error', status: 503 });
    const err = await failure(sdk.chat.completions.create({ model: 'g', messages: [{ role: 'user', content: 'x' }] }));
    assert.equal(err.status, 503);
    assert.equal(err.headers?.get('x-should-retry'), 'false');
    assert.equal(simA.calls.length + simB.calls.length, 2, 'exactly igw’s two attempts, no SDK retries on top');
  });
});

test('circuit breaker: after allowed_fails a deployment cools down, then one probe brings it back', async () => {
  const yaml = config([['g', simA, 'a'], ['g', simB, 'b']], 'num_retries: 1\nallowed_fails: 1\ncooldown_time: 1');
  await withGateway(yaml, async (client) => {
    simA.enqueue({ kind: 'server_error' }, { kind: 'server_error' });
    await ask(client, 'g');
    await ask(client, 'g');
    assert.deepEqual(order(), ['a', 'b', 'a', 'b'], 'two failures of a: more than allowed_fails=1');
    simA.reset();
    simB.reset();
    for (let i = 0; i < 3; i++) await ask(client, 'g');
    assert.deepEqual(order(), ['b', 'b', 'b'], 'a sits out its cooldown');
    await new Promise((r) => setTimeout(r, 1100));
    simA.reset();
    simB.reset();
    await ask(client, 'g');
    await ask(client, 'g');
    assert.deepEqual(order(), ['a', 'a'], 'the probe succeeded: a (the cheaper) is back');
  });
});

test('a group whose every deployment cools down fails fast with a 503 naming them', async () => {
  const yaml = config([['g', simA, 'a'], ['g', simB, 'b']], 'num_retries: 1\nallowed_fails: 0\ncooldown_time: 30');
  await withGateway(yaml, async (client) => {
    simA.enqueue({ kind: 'server_error' });
    simB.enqueue({ kind: 'server_error' });
    await failure(ask(client, 'g'));
    const t0 = performance.now();
    const err = await failure(ask(client, 'g'));
    assert.ok(performance.now() - t0 < 1000, 'fails fast');
    assert.equal(err.status, 503);
    assert.equal(err.code, 'all_deployments_cooling_down');
    assert.match(err.message, /a \(\d+ s\), b \(\d+ s\)/);
    assert.ok(Number(err.headers?.get('retry-after')) > 0);
    assert.equal(simA.calls.length + simB.calls.length, 2);
  });
});

test('rpm caps: a deployment at its cap is skipped; all at cap → 429 with retry-after', async () => {
  const yaml = config([['g', simA, 'a', 'rpm: 2'], ['g', simB, 'b', 'rpm: 1']], 'num_retries: 0');
  await withGateway(yaml, async (client) => {
    for (let i = 0; i < 3; i++) await ask(client, 'g');
    assert.deepEqual(order(), ['a', 'a', 'b']);
    const err = await failure(ask(client, 'g'));
    assert.equal(err.status, 429);
    assert.equal(err.code, 'deployment_limits_reached');
    assert.ok(Number(err.headers?.get('retry-after')) >= 1);
  });
});

test('timeouts: a slow answer times out and the retry goes elsewhere; stream_timeout bounds the first byte', async () => {
  const yaml = config([['g', simA, 'a', 'timeout: 0.3, stream_timeout: 0.3'], ['g', simB, 'b']], 'num_retries: 1');
  await withGateway(yaml, async (client) => {
    simA.enqueue({ kind: 'slow_first_byte', delayMs: 6000 });
    const t0 = performance.now();
    const { response } = await ask(client, 'g');
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 300 && elapsed < 4000, `answered after ${elapsed.toFixed(0)} ms`);
    assert.equal(response.headers.get('x-igw-attempt-log'), 'a=timeout, b=ok');
    simA.enqueue({ kind: 'slow_first_byte', delayMs: 6000 });
    const stream = await client.chat.completions.create({ model: 'g', stream: true, messages: [{ role: 'user', content: 'slow' }] });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Hello! You said: slow');
  });
});

test('a stream that fails before its first byte falls back; one that fails later ends with an error event', async () => {
  const yaml = config([['g', simA, 'a'], ['g', simB, 'b']], 'num_retries: 1');
  await withGateway(yaml, async (client) => {
    simA.enqueue({ kind: 'reset' });
    const stream = await client.chat.completions.create({ model: 'g', stream: true, messages: [{ role: 'user', content: 'early' }] });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Hello! You said: early');
    assert.deepEqual(order(), ['a', 'b']);
    simA.reset();
    simB.reset();
    simA.enqueue({ kind: 'cut_stream', afterChunks: 2 });
    const late = await client.chat.completions.create({ model: 'g', stream: true, messages: [{ role: 'user', content: 'late' }] });
    await assert.rejects(async () => {
      for await (const c of late) void c;
    }, OpenAI.APIError);
    assert.deepEqual(order(), ['a'], 'no retry once bytes reached the client');
  });
});

test('hedging: a second attempt starts after hedge_after_ms; the first to answer wins, the other is cancelled', async () => {
  const yaml = config([['g', simA, 'a'], ['g', simB, 'b']], 'num_retries: 0\nhedge_after_ms: {"g": 500}');
  await withGateway(yaml, async (client, gw) => {
    simA.enqueue({ kind: 'slow_first_byte', delayMs: 6000 });
    const t0 = performance.now();
    const { data, response } = await ask(client, 'g');
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 500 && elapsed < 4000, `answered after ${elapsed.toFixed(0)} ms`);
    assert.equal(data.choices[0].message.content, 'Hello! You said: hi');
    assert.equal(response.headers.get('x-igw-deployment'), 'b');
    assert.match(response.headers.get('x-igw-attempt-log') ?? '', /b=ok\(hedge\)/);
    assert.deepEqual(order(), ['a', 'b']);
    const readiness = (await (await fetch(`${gw.url}/health/readiness`)).json()) as { groups: Record<string, { cooling: string[] }> };
    assert.deepEqual(readiness.groups.g.cooling, [], 'the cancelled hedge is not counted as a failure');
    const fast = await ask(client, 'g');
    assert.equal(fast.response.headers.get('x-igw-attempts'), '1', 'no hedge when the first answers in time');
  });
});

test('GET /health probes every deployment; /health/readiness reports groups with cooling deployments', async () => {
  const yaml = `${config([['g', simA, 'a'], ['g', simB, 'b'], ['solo', simA, 's']], 'num_retries: 0\nallowed_fails: 0\ncooldown_time: 30')}`;
  await withGateway(yaml, async (client, gw) => {
    simB.enqueue({ kind: 'server_error' });
    const health = (await (await fetch(`${gw.url}/health`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).json()) as {
      healthy_count: number;
      unhealthy_count: number;
      unhealthy_endpoints: { deployment: string; error: string }[];
    };
    assert.equal(health.healthy_count, 2);
    assert.equal(health.unhealthy_count, 1);
    assert.equal(health.unhealthy_endpoints[0].deployment, 'b');
    assert.equal((await fetch(`${gw.url}/health`)).status, 401, '/health needs the key');
    simA.enqueue({ kind: 'server_error' });
    await failure(ask(client, 'solo'));
    const ready = (await (await fetch(`${gw.url}/health/readiness`)).json()) as { status: string; groups: Record<string, { ready: boolean; cooling: string[] }> };
    assert.equal(ready.status, 'degraded');
    assert.deepEqual(ready.groups.solo, { usable: 0, cooling: ['s'], ready: false });
    assert.equal(ready.groups.g.ready, true);
  });
});
