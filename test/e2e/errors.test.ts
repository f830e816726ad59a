// Each error class, as the official client sees it: the right status, SDK error class, code and message.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { SIM_KEY, startStack, user, type Stack } from './stack.ts';
import { MASTER_KEY, openaiClient } from '../helpers/gateway.ts';
import { rejectionOf } from '../helpers/api-error.ts';

let s: Stack;
before(async () => {
  s = await startStack();
});
after(() => s.close());
beforeEach(() => s.sim.reset());

const rejection = (p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> => rejectionOf(p, OpenAI.APIError);

const chat = (model: string, content = 'hi') => s.client.chat.completions.create({ model, messages: user(content) });

test('missing key → 401 AuthenticationError', async () => {
  const res = await fetch(`${s.gw.url}/v1/models`);
  assert.equal(res.status, 401);
  const body = (await res.json()) as { error: Record<string, unknown> };
  assert.equal(body.error.code, 'missing_api_key');
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
});

test('wrong key → 401 AuthenticationError; x-api-key and api-key headers also work', async () => {
  const err = await rejection(openaiClient(s.gw, 'sk-wrong').models.list());
  assert.ok(err instanceof OpenAI.AuthenticationError);
  assert.equal(err.code, 'invalid_api_key');
  for (const header of ['x-api-key', 'api-key']) {
    const res = await fetch(`${s.gw.url}/models`, { headers: { [header]: MASTER_KEY } });
    assert.equal(res.status, 200, header);
  }
});

test('unknown model → 404 NotFoundError listing valid names', async () => {
  const err = await rejection(chat('gpt-5-nonexistent'));
  assert.ok(err instanceof OpenAI.NotFoundError);
  assert.equal(err.code, 'model_not_found');
  assert.match(err.message, /gpt-4o, azure-gpt/);
});

test('upstream 429 → RateLimitError with retry-after passed on', async () => {
  s.sim.enqueue({ kind: 'rate_limit', retryAfterSeconds: 7 });
  const err = await rejection(chat('gpt-4o'));
  assert.ok(err instanceof OpenAI.RateLimitError);
  assert.equal(err.headers?.get('retry-after'), '7');
  assert.ok(err.headers?.get('x-igw-upstream-request-id'), 'upstream request id is surfaced');
});

test('upstream 500 and 503 → InternalServerError with the upstream status', async () => {
  s.sim.enqueue({ kind: 'server_error', status: 500 }, { kind: 'server_error', status: 503 });
  const e500 = await rejection(chat('gpt-4o'));
  assert.ok(e500 instanceof OpenAI.InternalServerError);
  assert.equal(e500.status, 500);
  const e503 = await rejection(chat('gpt-4o'));
  assert.equal(e503.status, 503);
});

test('context window and content filter → 400 with the upstream code', async () => {
  const ctx = await rejection(chat('gpt-4o', 'long [[fault:context_length]]'));
  assert.ok(ctx instanceof OpenAI.BadRequestError);
  assert.equal(ctx.code, 'context_length_exceeded');
  const filtered = await rejection(chat('azure-gpt', 'bad [[fault:content_filter]]'));
  assert.ok(filtered instanceof OpenAI.BadRequestError);
  assert.equal(filtered.code, 'content_filter');
  assert.equal(typeof filtered.type, 'string', "Azure's type:null is normalised");
});

test('upstream rejects the provider key → 401 passed on, without the key', async () => {
  s.sim.enqueue({ kind: 'invalid_key' });
  const err = await rejection(chat('gpt-4o'));
  assert.equal(err.status, 401);
  assert.ok(!err.message.includes(SIM_KEY));
});

test('upstream unreachable → 502; upstream timeout → 504; reset → 502', async () => {
  const dead = await rejection(chat('dead'));
  assert.equal(dead.status, 502);
  assert.equal(dead.code, 'upstream_unreachable');
  s.sim.enqueue({ kind: 'slow_first_byte', delayMs: 4000 });
  const started = Date.now();
  const slow = await rejection(chat('slow'));
  assert.equal(slow.status, 504);
  assert.equal(slow.code, 'upstream_timeout');
  assert.ok(Date.now() - started < 3000, 'the 0.5 s deployment timeout is honoured, not the 4 s delay');
  s.sim.enqueue({ kind: 'reset' });
  const reset = await rejection(chat('gpt-4o'));
  assert.equal(reset.status, 502);
});

test('a stream cut mid-way ends with an error event the SDK raises', async () => {
  const stream = await s.client.chat.completions.create({ model: 'gpt-4o', messages: user('cut [[fault:cut_stream after=2]]'), stream: true });
  let text = '';
  await assert.rejects(async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  }, OpenAI.APIError);
});

test('a mid-stream upstream error event reaches the client as an error', async () => {
  s.sim.enqueue({ kind: 'stream_error', afterChunks: 1, message: 'overloaded mid-way' });
  const stream = await s.client.chat.completions.create({ model: 'gpt-4o', messages: user('x'), stream: true });
  await assert.rejects(async () => {
    for await (const _ of stream) void _;
  }, /overloaded mid-way/);
});

test('raw stream after a cut: error event, then [DONE]', async () => {
  s.sim.enqueue({ kind: 'cut_stream', afterChunks: 2 });
  const res = await fetch(`${s.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: user('raw') }),
  });
  const text = await res.text();
  assert.match(text, /data: \{"error":\{"message":"Upstream stream/);
  assert.ok(text.endsWith('data: [DONE]\n\n'));
});

test('provider not supported yet → 501 naming the provider', async () => {
  const err = await rejection(chat('command'));
  assert.equal(err.status, 501);
  assert.equal(err.code, 'provider_not_supported');
  assert.match(err.message, /cohere/);
});
