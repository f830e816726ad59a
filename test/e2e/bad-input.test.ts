// Bad input never crashes the gateway: each gets a clear 4xx naming what to fix, and the next request works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startStack, user, type Stack } from './stack.ts';
import { MASTER_KEY } from '../helpers/gateway.ts';

let s: Stack;
before(async () => {
  s = await startStack();
});
after(() => s.close());

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}

async function stillServes(): Promise<void> {
  const r = await s.client.chat.completions.create({ model: 'gpt-4o', messages: user('still there?') });
  assert.equal(r.choices[0].message.content, 'Hello! You said: still there?');
}

const cases: [string, string, string | null, RegExp][] = [
  ['malformed JSON', '{"model": "gpt-4o", "messages": [', null, /Malformed JSON/],
  ['a JSON array', '[1,2]', null, /must be a JSON object/],
  ['empty body', '', null, /empty/],
  ['missing model', '{"messages":[{"role":"user","content":"x"}]}', 'model', /'model' is required/],
  ['model not a string', '{"model":42,"messages":[{"role":"user","content":"x"}]}', 'model', /'model'/],
  ['missing messages', '{"model":"gpt-4o"}', 'messages', /non-empty array/],
  ['empty messages', '{"model":"gpt-4o","messages":[]}', 'messages', /non-empty array/],
  ['bad role', '{"model":"gpt-4o","messages":[{"role":"wizard","content":"x"}]}', 'messages[0].role', /must be one of/],
  ['message not an object', '{"model":"gpt-4o","messages":["hi"]}', 'messages[0]', /must be an object/],
  ['content wrong type', '{"model":"gpt-4o","messages":[{"role":"user","content":5}]}', 'messages[0].content', /string or an array/],
  ['stream not boolean', '{"model":"gpt-4o","stream":"yes","messages":[{"role":"user","content":"x"}]}', 'stream', /boolean/],
  ['temperature not a number', '{"model":"gpt-4o","temperature":"hot","messages":[{"role":"user","content":"x"}]}', 'temperature', /number/],
  ['tools not an array', '{"model":"gpt-4o","tools":{},"messages":[{"role":"user","content":"x"}]}', 'tools', /array/],
];

for (const [name, body, param, message] of cases) {
  test(`chat: ${name} → 400 naming the problem`, async () => {
    const r = await post('/v1/chat/completions', body);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.type, 'invalid_request_error');
    assert.equal(r.body.error.param, param);
    assert.match(r.body.error.message, message);
  });
}

test('embeddings: bad input and bad encoding_format → 400', async () => {
  const noInput = await post('/v1/embeddings', '{"model":"embed"}');
  assert.equal(noInput.status, 400);
  assert.equal(noInput.body.error.param, 'input');
  const enc = await post('/v1/embeddings', '{"model":"embed","input":"x","encoding_format":"int8"}');
  assert.equal(enc.body.error.param, 'encoding_format');
});

test('a body over max_request_size_mb → 413, by content-length and by streaming', async () => {
  const big = Buffer.alloc(1024 * 1024 + 10, 'a');
  const r = await post('/v1/chat/completions', big);
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'request_too_large');
  const chunked = await new Promise<number>((resolve, reject) => {
    const req = request(`${s.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (let i = 0; i < 20; i++) req.write(Buffer.alloc(64 * 1024, 'b'));
    req.end();
  });
  assert.equal(chunked, 413);
  await stillServes();
});

test('unknown routes → 404, wrong method → 405, in OpenAI error shape', async () => {
  const notFound = await fetch(`${s.gw.url}/v1/nope`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
  assert.equal(notFound.status, 404);
  assert.equal(((await notFound.json()) as { error: { code: string } }).error.code, 'route_not_found');
  const wrong = await fetch(`${s.gw.url}/v1/chat/completions`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
  assert.equal(wrong.status, 405);
});

test('unknown fields are passed through to the provider, not rejected', async () => {
  s.sim.reset();
  const r = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4o', messages: user('x'), some_future_field: { a: 1 } }));
  assert.equal(r.status, 200);
  assert.deepEqual(s.sim.calls[0].body.some_future_field, { a: 1 });
});

function randomJson(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 5 : 8));
  switch (pick) {
    case 0: return null;
    case 1: return rand() < 0.5;
    case 2: return Math.floor(rand() * 1e6) - 5e5;
    case 3: return 'x'.repeat(Math.floor(rand() * 20));
    case 4: return ['gpt-4o', 'user', 'system', 'tool', ''][Math.floor(rand() * 5)];
    case 5: return Array.from({ length: Math.floor(rand() * 4) }, () => randomJson(rand, depth + 1));
    default: {
      const keys = ['model', 'messages', 'role', 'content', 'stream', 'tools', 'input', 'n', 'stream_options', 'temperature'];
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 5); i > 0; i--) o[keys[Math.floor(rand() * keys.length)]] = randomJson(rand, depth + 1);
      return o;
    }
  }
}

test('fuzz: 300 random bodies never crash the gateway nor get a 5xx from igw itself', async () => {
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 300; i++) {
    const value = randomJson(rand);
    let text = JSON.stringify(value) ?? 'null';
    if (i % 10 === 0) text = text.slice(0, Math.max(1, Math.floor(text.length / 2))); // truncated JSON
    const path = i % 3 === 0 ? '/v1/embeddings' : '/v1/chat/completions';
    const r = await fetch(`${s.gw.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: text,
    });
    const body = await r.text();
    assert.ok(r.status < 500 || r.status === 501, `status ${r.status} for ${text}: ${body}`);
    if (r.status >= 400 && !r.headers.get('content-type')?.includes('event-stream')) {
      assert.equal(typeof JSON.parse(body).error.message, 'string');
    }
  }
  await stillServes();
});
