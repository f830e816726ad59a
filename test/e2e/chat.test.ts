// The official openai client, through igw, against the OpenAI simulator: chat, streaming, tools, JSON.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { SIM_KEY, startStack, user, type Stack } from './stack.ts';
import { MASTER_KEY } from '../helpers/gateway.ts';

let s: Stack;
before(async () => {
  s = await startStack();
});
after(() => s.close());
beforeEach(() => s.sim.reset());

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

test('plain chat: the simulator reply, upstream model and key, igw headers', async () => {
  const { data, response } = await s.client.chat.completions
    .create({ model: 'gpt-4o', messages: user('hi there') })
    .withResponse();
  assert.equal(data.choices[0].message.content, 'Hello! You said: hi there');
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.ok(data.usage && data.usage.total_tokens > 0);
  assert.equal(response.headers.get('x-igw-deployment'), 'gpt-4o.0');
  assert.equal(response.headers.get('x-igw-attempts'), '1');
  assert.match(response.headers.get('x-igw-upstream-latency-ms') ?? '', /^\d+$/);
  assert.ok(response.headers.get('x-request-id'));
  const call = s.sim.calls[0];
  assert.equal(call.path, '/v1/chat/completions');
  assert.equal(call.body.model, 'gpt-4o');
  assert.equal(call.headers.authorization, `Bearer ${SIM_KEY}`);
  assert.ok(!JSON.stringify(call.headers).includes(MASTER_KEY), 'the client key never reaches the provider');
});

test('x-request-id from the client is kept', async () => {
  const { response } = await s.client.chat.completions
    .create({ model: 'gpt-4o', messages: user('id') }, { headers: { 'x-request-id': 'my-trace-123' } })
    .withResponse();
  assert.equal(response.headers.get('x-request-id'), 'my-trace-123');
});

test('streaming: text equals the non-streamed reply; no usage chunk unless asked', async () => {
  const stream = await s.client.chat.completions.create({ model: 'gpt-4o', messages: user('stream me'), stream: true });
  let text = '';
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    assert.notEqual(chunk.choices.length, 0, 'the usage chunk igw asked for is withheld');
    assert.ok(!chunk.usage, 'no usage on any chunk');
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.ok(chunks > 3);
  assert.equal(text, 'Hello! You said: stream me');
  assert.equal(s.sim.calls[0].body.stream_options.include_usage, true, 'igw always asks upstream for usage');
});

test('streaming with include_usage: the usage chunk reaches the client last', async () => {
  const stream = await s.client.chat.completions.create({
    model: 'gpt-4o',
    messages: user('count'),
    stream: true,
    stream_options: { include_usage: true },
  });
  const all = [];
  for await (const chunk of stream) all.push(chunk);
  const last = all[all.length - 1];
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage && last.usage.completion_tokens > 0);
});

test('stream helper validates the whole stream (roles, finish reasons)', async () => {
  const runner = s.client.chat.completions.stream({ model: 'gpt-4o', messages: user('helper') });
  const done = await runner.finalChatCompletion();
  assert.equal(done.choices[0].message.content, 'Hello! You said: helper');
  assert.equal(done.choices[0].finish_reason, 'stop');
});

test('tools: a tool call, then the tool result turn', async () => {
  const first = await s.client.chat.completions.create({
    model: 'gpt-4o',
    messages: user('Weather in Paris? [[args:{"city":"Paris"}]]'),
    tools: [weatherTool],
  });
  const call = first.choices[0].message.tool_calls?.[0];
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.ok(call && call.type === 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
  const second = await s.client.chat.completions.create({
    model: 'gpt-4o',
    tools: [weatherTool],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      first.choices[0].message,
      { role: 'tool', tool_call_id: call.id, content: '18C and sunny' },
    ],
  });
  assert.equal(second.choices[0].message.content, 'Tool result received: 18C and sunny');
});

test('streamed parallel tool calls reassemble into the same arguments', async () => {
  const runner = s.client.chat.completions.stream({
    model: 'gpt-4o',
    messages: user('Two cities [[parallel]] [[args:{"city":"Oslo"}]]'),
    tools: [weatherTool],
  });
  const done = await runner.finalChatCompletion();
  const calls = done.choices[0].message.tool_calls ?? [];
  assert.equal(calls.length, 2);
  for (const c of calls) {
    assert.ok(c.type === 'function');
    assert.deepEqual(JSON.parse(c.function.arguments), { city: 'Oslo' });
  }
  assert.equal(done.choices[0].finish_reason, 'tool_calls');
});

test('response_format json_schema and json_object', async () => {
  const schema = await s.client.chat.completions.create({
    model: 'gpt-4o',
    messages: user('give json'),
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'city', schema: { type: 'object', properties: { name: { type: 'string' }, pop: { type: 'number' } } } },
    },
  });
  const parsed = JSON.parse(schema.choices[0].message.content ?? '');
  assert.equal(typeof parsed.name, 'string');
  assert.equal(typeof parsed.pop, 'number');
  assert.deepEqual(s.sim.calls[0].body.response_format.type, 'json_schema');
  const obj = await s.client.chat.completions.create({ model: 'gpt-4o', messages: user('json'), response_format: { type: 'json_object' } });
  assert.deepEqual(JSON.parse(obj.choices[0].message.content ?? ''), { ok: true });
});

test('every other OpenAI field is passed through untouched', async () => {
  await s.client.chat.completions.create({
    model: 'gpt-4o',
    messages: user('fields'),
    temperature: 0.2,
    seed: 7,
    logit_bias: { '50256': -100 },
    metadata: { team: 'a' },
    parallel_tool_calls: false,
    reasoning_effort: 'low',
  });
  const body = s.sim.calls[0].body;
  assert.equal(body.temperature, 0.2);
  assert.equal(body.seed, 7);
  assert.deepEqual(body.logit_bias, { '50256': -100 });
  assert.deepEqual(body.metadata, { team: 'a' });
  assert.equal(body.parallel_tool_calls, false);
  assert.equal(body.reasoning_effort, 'low');
  assert.equal(body.stream_options, undefined, 'non-streaming requests get no stream_options');
});

test('OpenAI-compatible preset: developer role becomes system for Groq', async () => {
  await s.client.chat.completions.create({
    model: 'groq-llama',
    messages: [
      { role: 'developer', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ],
  });
  const body = s.sim.calls[0].body;
  assert.equal(body.model, 'llama-3.3-70b');
  assert.equal(body.messages[0].role, 'system');
});

test('wildcard model names route to the matching upstream model', async () => {
  const r = await s.client.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: user('wild') });
  assert.equal(r.choices[0].message.content, 'Hello! You said: wild');
  assert.equal(s.sim.calls[0].body.model, 'gpt-4.1-nano');
});

test('models list and retrieve', async () => {
  const ids = [];
  for await (const m of s.client.models.list()) ids.push(m.id);
  assert.deepEqual(ids.slice(0, 3), ['gpt-4o', 'azure-gpt', 'azure-v1']);
  assert.ok(!ids.includes('openai/*'));
  const one = await s.client.models.retrieve('gpt-4o');
  assert.equal(one.id, 'gpt-4o');
  assert.equal(one.object, 'model');
});

test('embeddings: float, and base64 (the SDK default) decoded to the same vectors', async () => {
  const asFloat = await s.client.embeddings.create({ model: 'embed', input: ['a', 'b'], encoding_format: 'float' });
  const asDefault = await s.client.embeddings.create({ model: 'embed', input: ['a', 'b'] });
  assert.equal(s.sim.calls[1].body.encoding_format, 'base64');
  assert.equal(asDefault.data.length, 2);
  for (let i = 0; i < 2; i++) {
    const f = asFloat.data[i].embedding;
    const d = asDefault.data[i].embedding;
    assert.equal(d.length, f.length);
    d.forEach((v, j) => assert.ok(Math.abs(v - f[j]) < 1e-6));
  }
});

test('embeddings on a server without base64: igw asks for float and encodes', async () => {
  const direct = await s.client.embeddings.create({ model: 'vllm-embed', input: 'x', encoding_format: 'float' });
  const viaB64 = await s.client.embeddings.create({ model: 'vllm-embed', input: 'x' });
  assert.equal(s.sim.calls[1].body.encoding_format, 'float');
  viaB64.data[0].embedding.forEach((v, j) => assert.ok(Math.abs(v - direct.data[0].embedding[j]) < 1e-6));
});

test('pass-through sends the client text on, with the model and stream usage spliced in; fields igw takes out stay out', async () => {
  // The SDK writes the model first: the upstream gets the client's own text with the deployment's model in it.
  await s.client.chat.completions.create({ model: 'groq-llama', messages: user('hi'), seed: 7, temperature: 0.5 });
  assert.equal(s.sim.calls[0].text, JSON.stringify({ model: 'llama-3.3-70b', messages: user('hi'), seed: 7, temperature: 0.5 }));
  const stream = await s.client.chat.completions.create({ model: 'groq-llama', messages: user('hi'), stream: true });
  for await (const _ of stream) {
    // drained
  }
  assert.deepEqual(JSON.parse(s.sim.calls[1].text), { model: 'llama-3.3-70b', messages: user('hi'), stream: true, stream_options: { include_usage: true } });
  // Tags in metadata and LiteLLM's per-request routing fields are igw's: the text is serialised anew without them.
  // (LiteLLM's fields are not in the SDK's types.)
  const withIgwFields = { model: 'groq-llama', messages: user('hi'), metadata: { tags: ['team-a'], purpose: 'test' }, num_retries: 0 };
  await s.client.chat.completions.create(withIgwFields as never);
  assert.deepEqual(JSON.parse(s.sim.calls[2].text), { model: 'llama-3.3-70b', messages: user('hi'), metadata: { purpose: 'test' } });
  // Not first in the text: serialised anew, same content.
  await fetch(`${s.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: user('hi'), model: 'groq-llama' }),
  }).then((r) => r.arrayBuffer());
  assert.deepEqual(JSON.parse(s.sim.calls[3].text), { messages: user('hi'), model: 'llama-3.3-70b' });
});
