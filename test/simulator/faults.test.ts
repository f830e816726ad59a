import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, test } from 'node:test';
import OpenAI, { AzureOpenAI } from 'openai';
import { parseDirectives, parseFaultSpec, startSimulator, type Simulator } from './index.ts';

let sim: Simulator;
let client: OpenAI;

before(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'k', baseURL: sim.url + '/v1', maxRetries: 0 });
});
after(() => sim.close());
beforeEach(() => sim.reset());

const ask = (content: string) => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }] });
const askStream = async (content: string) => {
  const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content }] });
  let text = '';
  for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
  return text;
};

test('directive parser', () => {
  const d = parseDirectives('hi [[reply:a ]] b]] [[args:{"x":[[1]],"s":"]]"}]] [[parallel]] [[fault:rate_limit retry_after=2]] [[other]] end');
  assert.equal(d.reply, 'a ');
  assert.equal(d.args, '{"x":[[1]],"s":"]]"}');
  assert.equal(d.parallel, true);
  assert.deepEqual(d.fault, { kind: 'rate_limit', retryAfterSeconds: 2 });
  assert.equal(d.text, 'hi b]] [[other]] end');
  assert.deepEqual(parseFaultSpec('stream_error after=3 message="boom now"').fault, { kind: 'stream_error', afterChunks: 3, message: 'boom now' });
  assert.deepEqual(parseFaultSpec('status code=418').fault, { kind: 'status', status: 418 });
  assert.throws(() => parseFaultSpec('nope'), /unknown fault/);
  assert.equal(parseDirectives('no directives').text, 'no directives');
});

test('rate_limit: RateLimitError with retry-after headers (queued and directive)', async () => {
  sim.enqueue({ kind: 'rate_limit', retryAfterSeconds: 7 });
  await assert.rejects(ask('x'), (e: unknown) =>
    e instanceof OpenAI.RateLimitError && e.headers.get('retry-after') === '7' && e.code === 'rate_limit_exceeded' &&
    e.headers.get('x-ratelimit-remaining-requests') === '0' && /^req_\d+$/.test(e.requestID ?? ''));
  await assert.rejects(ask('x [[fault:rate_limit retry_after_ms=250]]'), (e: unknown) =>
    e instanceof OpenAI.RateLimitError && e.headers.get('retry-after-ms') === '250' && e.headers.get('retry-after') === '1');
});

test('server errors, status, context_length, invalid_key, model_not_found', async () => {
  sim.enqueue({ kind: 'server_error' });
  await assert.rejects(ask('x'), (e: unknown) => e instanceof OpenAI.InternalServerError && e.status === 500 && e.type === 'server_error');
  await assert.rejects(ask('[[fault:server_error status=503]]'), (e: unknown) => e instanceof OpenAI.InternalServerError && e.status === 503);
  await assert.rejects(ask('[[fault:status code=418]]'), (e: unknown) => e instanceof OpenAI.APIError && e.status === 418);
  sim.enqueue({ kind: 'status', status: 502, body: '<html>bad gateway</html>', headers: { 'x-should-retry': 'false' } });
  await assert.rejects(ask('x'), (e: unknown) => e instanceof OpenAI.InternalServerError && e.headers.get('x-should-retry') === 'false');
  await assert.rejects(ask('[[fault:context_length]]'), (e: unknown) =>
    e instanceof OpenAI.BadRequestError && e.code === 'context_length_exceeded' && e.param === 'messages');
  await assert.rejects(ask('[[fault:invalid_key]]'), (e: unknown) => e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key');
  await assert.rejects(ask('[[fault:model_not_found]]'), (e: unknown) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found');
  await assert.rejects(ask('[[fault:bogus]]'), (e: unknown) => e instanceof OpenAI.BadRequestError && /unknown fault/.test(e.message));
});

test('reset: APIConnectionError, and the connection pool recovers', async () => {
  sim.enqueue({ kind: 'reset' });
  await assert.rejects(ask('x'), OpenAI.APIConnectionError);
  await assert.rejects(ask('[[fault:reset]]'), OpenAI.APIConnectionError);
  assert.equal((await ask('[[reply:fine]]')).choices[0].message.content, 'fine');
});

test('cut_stream: the stream raises after K chunks, no [DONE]', async () => {
  let seen = '';
  await assert.rejects(async () => {
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: '[[reply:a b c d e]] [[fault:cut_stream after=3]]' }] });
    for await (const c of stream) seen += c.choices[0]?.delta?.content ?? '';
  });
  assert.equal(seen, 'a b'); // role chunk + 2 content chunks
  sim.enqueue({ kind: 'cut_stream', afterChunks: 0 });
  const headersOnly = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
  await assert.rejects(async () => { for await (const _ of headersOnly); }); // status 200 arrived, then the cut
  sim.enqueue({ kind: 'cut_stream', afterChunks: 1 });
  await assert.rejects(ask('x')); // non-stream: truncated body
});

test('stream_error: APIError from the in-stream error event', async () => {
  await assert.rejects(askStream('[[fault:stream_error after=2 message="upstream exploded"]]'),
    (e: unknown) => e instanceof OpenAI.APIError && /upstream exploded/.test(e.message));
  sim.enqueue({ kind: 'stream_error', afterChunks: 1 });
  await assert.rejects(client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion(), OpenAI.APIError);
});

test('slow_first_byte and chunk_delay delay the response; times=N fires only N times', async () => {
  let t = Date.now();
  assert.equal((await ask('[[reply:ok]] [[fault:slow_first_byte ms=120]]')).choices[0].message.content, 'ok');
  assert.ok(Date.now() - t >= 110);
  t = Date.now();
  assert.equal(await askStream('[[reply:a b c d]] [[fault:chunk_delay ms=20]]'), 'a b c d');
  assert.ok(Date.now() - t >= 100); // 7 events after the first → ≥ 120 ms
  const flaky = '[[reply:recovered]] [[fault:server_error times=1 id=t1]]';
  await assert.rejects(ask(flaky), OpenAI.InternalServerError);
  assert.equal((await ask(flaky)).choices[0].message.content, 'recovered');
});

test('queued fault wins over a directive', async () => {
  sim.enqueue({ kind: 'status', status: 400 });
  await assert.rejects(ask('[[fault:server_error]]'), OpenAI.BadRequestError);
});

test('Azure content_filter: 400 with the §7 body (golden fixture)', async () => {
  const az = new AzureOpenAI({ endpoint: sim.url, apiKey: 'k', apiVersion: '2024-10-21', deployment: 'dep1', maxRetries: 0 });
  const golden = JSON.parse(readFileSync(new URL('../fixtures/azure/content-filter-400.json', import.meta.url), 'utf8'));
  await assert.rejects(az.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'bad [[fault:content_filter]]' }] }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === 'content_filter' && JSON.stringify(e.error) === JSON.stringify(golden.error));
  sim.enqueue({ kind: 'content_filter' });
  const res = await fetch(sim.url + '/openai/deployments/dep1/chat/completions?api-version=1', { method: 'POST', body: '{}' });
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), golden);
});
