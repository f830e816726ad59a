import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import OpenAI, { AzureOpenAI } from 'openai';
import { startSimulator, type Simulator } from './index.ts';

const KEY = 'sk-test';
let sim: Simulator;
let client: OpenAI;

before(async () => {
  sim = await startSimulator({ apiKey: KEY });
  client = new OpenAI({ apiKey: KEY, baseURL: sim.url + '/v1', maxRetries: 0 });
});
after(() => sim.close());
beforeEach(() => sim.reset());

const user = (content: string) => [{ role: 'user' as const, content }];
const weather = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } } },
};
const clock = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: { utc: { type: 'boolean' } } } } };

test('plain chat: echo reply, §1.3 shape, headers', async () => {
  const { data, response, request_id } = await client.chat.completions.create({ model: 'gpt-4o', messages: user('hi there') }).withResponse();
  assert.match(data.id, /^chatcmpl-\d+$/);
  assert.equal(data.object, 'chat.completion');
  assert.equal(data.model, 'gpt-4o');
  assert.deepEqual(data.choices[0], {
    index: 0, message: { role: 'assistant', content: 'Hello! You said: hi there', refusal: null, annotations: [] },
    logprobs: null, finish_reason: 'stop',
  });
  assert.equal(data.usage!.total_tokens, data.usage!.prompt_tokens + data.usage!.completion_tokens);
  assert.equal(data.usage!.prompt_tokens_details!.cached_tokens, 0);
  assert.equal(data.service_tier, 'default');
  assert.match(request_id!, /^req_\d+$/);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.ok(response.headers.get('openai-processing-ms'));
  assert.equal(response.headers.get('x-ratelimit-limit-requests'), '10000');
});

test('reply directive, max_tokens truncation, n choices', async () => {
  const r = await client.chat.completions.create({ model: 'm', messages: user('x [[reply:one two three four]] y') });
  assert.equal(r.choices[0].message.content, 'one two three four');
  const t = await client.chat.completions.create({ model: 'm', max_completion_tokens: 2, messages: user('[[reply:one two three four]]') });
  assert.equal(t.choices[0].message.content, 'one two');
  assert.equal(t.choices[0].finish_reason, 'length');
  assert.equal(t.usage!.completion_tokens, 2);
  const n = await client.chat.completions.create({ model: 'm', n: 3, messages: user('[[reply:ok]]') });
  assert.deepEqual(n.choices.map((c) => [c.index, c.message.content]), [[0, 'ok'], [1, 'ok'], [2, 'ok']]);
});

test('stream: text assembles, usage chunk, same usage as non-stream', async () => {
  const stream = await client.chat.completions.create({
    model: 'm', stream: true, stream_options: { include_usage: true }, messages: user('stream me please'),
  });
  let text = '';
  let deltas = 0;
  let usage: OpenAI.CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    if (chunk.choices.length) assert.equal(chunk.usage, null);
    const piece = chunk.choices[0]?.delta?.content;
    if (piece) { text += piece; deltas++; }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, 'Hello! You said: stream me please');
  assert.ok(deltas >= 4);
  const plain = await client.chat.completions.create({ model: 'm', messages: user('stream me please') });
  assert.deepEqual(usage, plain.usage);
  assert.equal(usage!.completion_tokens, deltas);
});

test('stream helper finalChatCompletion validates text and tool-call streams', async () => {
  const text = await client.chat.completions.stream({ model: 'm', messages: user('[[reply:Hi, friend.]]') }).finalChatCompletion();
  assert.equal(text.choices[0].message.content, 'Hi, friend.');
  assert.equal(text.choices[0].finish_reason, 'stop');
  const tools = await client.chat.completions.stream({ model: 'm', tools: [weather], messages: user('weather?') }).finalChatCompletion();
  const call = tools.choices[0].message.tool_calls![0];
  assert.equal(tools.choices[0].finish_reason, 'tool_calls');
  assert.ok(call.type === 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'example', days: 1 });
});

test('tool call stream: fragments, argument pieces reassemble to JSON', async () => {
  const stream = await client.chat.completions.create({
    model: 'm', stream: true, tools: [weather], messages: user('go [[args:{"city":"Paris"}]]'),
  });
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  for await (const c of stream) chunks.push(c);
  const first = chunks[0].choices[0].delta.tool_calls![0];
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  assert.equal(chunks[0].choices[0].delta.content, null);
  assert.deepEqual(first, { index: 0, id: first.id, type: 'function', function: { name: 'get_weather', arguments: '' } });
  assert.match(first.id!, /^call_\d+$/);
  const pieces = chunks.slice(1, -1).map((c) => c.choices[0].delta.tool_calls![0].function!.arguments);
  assert.ok(pieces.length >= 2);
  assert.equal(pieces.join(''), '{"city":"Paris"}');
  assert.deepEqual(chunks.at(-1)!.choices[0], { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' });
});

test('parallel tools, forced tool_choice, tool result turn, tool_choice none', async () => {
  const par = await client.chat.completions.create({ model: 'm', tools: [weather, clock], messages: user('both [[parallel]]') });
  const calls = par.choices[0].message.tool_calls!.map((c) => c.type === 'function' && c.function.name);
  assert.deepEqual(calls, ['get_weather', 'get_time']);
  assert.equal(par.choices[0].message.content, null);
  const s = await client.chat.completions.stream({ model: 'm', tools: [weather, clock], messages: user('[[parallel]]') }).finalChatCompletion();
  assert.equal(s.choices[0].message.tool_calls!.length, 2);
  const forced = await client.chat.completions.create({
    model: 'm', tools: [weather, clock], tool_choice: { type: 'function', function: { name: 'get_time' } }, messages: user('t'),
  });
  const fc = forced.choices[0].message.tool_calls![0];
  assert.ok(fc.type === 'function');
  assert.equal(fc.function.arguments, '{"utc":true}');
  const result = await client.chat.completions.create({
    model: 'm', tools: [weather],
    messages: [...user('w'), { role: 'assistant', content: null, tool_calls: [{ id: fc.id, type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: fc.id, content: '12:00' }],
  });
  assert.equal(result.choices[0].message.content, 'Tool result received: 12:00');
  assert.equal(result.choices[0].finish_reason, 'stop');
  const none = await client.chat.completions.create({ model: 'm', tools: [weather], tool_choice: 'none', messages: user('no tools') });
  assert.equal(none.choices[0].message.content, 'Hello! You said: no tools');
});

test('response_format json_object and json_schema', async () => {
  const o = await client.chat.completions.create({ model: 'm', response_format: { type: 'json_object' }, messages: user('j') });
  assert.equal(o.choices[0].message.content, '{"ok":true}');
  const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } }, kind: { enum: ['a', 'b'] } } };
  const s = await client.chat.completions.create({
    model: 'm', response_format: { type: 'json_schema', json_schema: { name: 'person', schema } }, messages: user('j'),
  });
  assert.deepEqual(JSON.parse(s.choices[0].message.content!), { name: 'example', age: 1, tags: ['example'], kind: 'a' });
});

test('embeddings: float and base64 (SDK default) decode to the same deterministic vectors', async () => {
  const f = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' });
  assert.equal(f.data.length, 2);
  assert.equal(f.data[1].index, 1);
  assert.equal(f.data[0].embedding.length, 8);
  const b = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
  assert.equal(sim.calls.at(-1)!.body.encoding_format, 'base64');
  assert.deepEqual(Array.from(b.data[0].embedding), f.data[0].embedding);
  assert.notDeepEqual(f.data[0].embedding, f.data[1].embedding);
  const norm = Math.hypot(...f.data[0].embedding);
  assert.ok(Math.abs(norm - 1) < 1e-5);
  const d = await client.embeddings.create({ model: 'e', input: [[1, 2, 3]], dimensions: 16, encoding_format: 'float' });
  assert.equal(d.data[0].embedding.length, 16);
  assert.equal(d.usage.prompt_tokens, 3);
});

test('models: list includes seen models, retrieve, 404', async () => {
  await client.chat.completions.create({ model: 'my-custom-model', messages: user('x') });
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.ok(ids.includes('gpt-4o') && ids.includes('my-custom-model'));
  assert.equal((await client.models.retrieve('gpt-4o')).object, 'model');
  await assert.rejects(client.models.retrieve('nope'), (e: unknown) => e instanceof OpenAI.NotFoundError && (e.error as any).code === 'model_not_found');
});

test('auth, unknown path, malformed JSON, missing fields', async () => {
  const bad = new OpenAI({ apiKey: 'wrong', baseURL: sim.url + '/v1', maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: 'm', messages: user('x') }),
    (e: unknown) => e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key');
  const post = (path: string, body: string) => fetch(sim.url + path, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body });
  const unknown = await post('/v1/nope', '{}');
  assert.equal(unknown.status, 404);
  assert.deepEqual(Object.keys(((await unknown.json()) as any).error), ['message', 'type', 'param', 'code']);
  const malformed = await post('/v1/chat/completions', '{"model":');
  assert.equal(malformed.status, 400);
  assert.equal(((await malformed.json()) as any).error.type, 'invalid_request_error');
  assert.equal(sim.calls.at(-1)!.body, '{"model":');
  const missing = await post('/v1/chat/completions', '{"model":"m"}');
  assert.equal(((await missing.json()) as any).error.param, 'messages');
});

test('calls are recorded in order; enqueue applies faults one per request; reset clears', async () => {
  sim.enqueue({ kind: 'server_error' }, { kind: 'status', status: 409 });
  await assert.rejects(client.chat.completions.create({ model: 'a', messages: user('1') }), OpenAI.InternalServerError);
  await assert.rejects(client.chat.completions.create({ model: 'b', messages: user('2') }), OpenAI.ConflictError);
  await client.chat.completions.create({ model: 'c', messages: user('3') });
  assert.deepEqual(sim.calls.map((c) => [c.method, c.path, c.body.model]),
    [['POST', '/v1/chat/completions', 'a'], ['POST', '/v1/chat/completions', 'b'], ['POST', '/v1/chat/completions', 'c']]);
  assert.equal(sim.calls[0].headers.authorization, `Bearer ${KEY}`);
  assert.ok(sim.calls[0].at <= sim.calls[2].at);
  sim.enqueue({ kind: 'reset' });
  sim.reset();
  assert.equal(sim.calls.length, 0);
  await client.chat.completions.create({ model: 'd', messages: user('4') }); // the queued reset was cleared
});

test('Azure classic: api-key auth, deployment as model, filter annotations, missing api-version', async () => {
  const az = new AzureOpenAI({ endpoint: sim.url, apiKey: KEY, apiVersion: '2024-10-21', deployment: 'dep1', maxRetries: 0 });
  const r = await az.chat.completions.create({ model: 'ignored', messages: user('hello azure') });
  const call = sim.calls.at(-1)!;
  assert.equal(call.path, '/openai/deployments/dep1/chat/completions');
  assert.equal(call.query['api-version'], '2024-10-21');
  assert.equal(call.headers['api-key'], KEY);
  assert.equal(r.model, 'dep1');
  assert.equal((r as any).prompt_filter_results[0].prompt_index, 0);
  assert.equal((r.choices[0] as any).content_filter_results.hate.severity, 'safe');
  const e = await az.embeddings.create({ model: 'x', input: 'hi' });
  assert.equal(e.model, 'dep1');
  const res = await fetch(sim.url + '/openai/deployments/dep1/chat/completions', { method: 'POST', headers: { 'api-key': KEY }, body: '{}' });
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { error: { code: '404', message: 'Resource not found' } });
});

test('Azure stream: filter-only first chunk, delta-less annotations, helper still validates', async () => {
  const az = new AzureOpenAI({ endpoint: sim.url, apiKey: KEY, apiVersion: '2024-10-21', deployment: 'dep1', maxRetries: 0 });
  const stream = await az.chat.completions.create({ model: 'x', stream: true, messages: user('[[reply:Hi Azure]]') });
  const chunks: any[] = [];
  for await (const c of stream) chunks.push(c);
  assert.deepEqual(Object.keys(chunks[0]).sort(), ['choices', 'created', 'id', 'model', 'object', 'prompt_filter_results']);
  assert.deepEqual([chunks[0].choices, chunks[0].id, chunks[0].object, chunks[0].created, chunks[0].model], [[], '', '', 0, '']);
  assert.ok(chunks.some((c) => c.choices[0] && !('delta' in c.choices[0])));
  assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'Hi Azure');
  const final = await az.chat.completions.stream({ model: 'x', messages: user('[[reply:Hi Azure]]') }).finalChatCompletion();
  assert.equal(final.choices[0].message.content, 'Hi Azure');
  const v1 = new OpenAI({ apiKey: KEY, baseURL: sim.url + '/openai/v1', maxRetries: 0 });
  const r = await v1.chat.completions.create({ model: 'dep2', messages: user('v1') });
  assert.equal(r.model, 'dep2');
  assert.ok((r as any).prompt_filter_results);
});
