// The official openai client through igw to the Gemini (AI Studio) and Vertex AI simulators: chat, streams,
// two-turn tool calls (with Gemini 3 thought signatures), images, JSON output, embeddings and every error kind.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import OpenAI from 'openai';
import { embed } from '../simulator/embeddings.ts';
import { PNG_DATA_URL, SIM_KEY, startCloudStack, user, weatherTool, type CloudStack } from './cloud-stack.ts';

let s: CloudStack;
before(async () => {
  s = await startCloudStack();
});
after(() => s.close());
beforeEach(() => s.sim.reset());

const chatCalls = () => s.sim.calls.filter((c) => c.path !== '/token');

for (const model of ['gemini-flash', 'vertex-pro']) {
  test(`${model}: plain chat through the translation path`, async () => {
    const r = await s.client.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, ...user('hi there')] });
    assert.equal(r.choices[0].message.content, 'Hello! You said: hi there');
    assert.equal(r.choices[0].finish_reason, 'stop');
    assert.equal(r.object, 'chat.completion');
    assert.ok(r.usage!.prompt_tokens > 0 && r.usage!.completion_tokens > 0);
    assert.equal(r.usage!.total_tokens, r.usage!.prompt_tokens + r.usage!.completion_tokens);
    const call = chatCalls()[0];
    assert.deepEqual(call.body.systemInstruction, { parts: [{ text: 'Be brief.' }] });
    assert.deepEqual(call.body.contents, [{ role: 'user', parts: [{ text: 'hi there' }] }]);
    if (model === 'gemini-flash') {
      assert.equal(call.path, '/v1beta/models/gemini-2.5-flash:generateContent');
      assert.equal(call.headers['x-goog-api-key'], SIM_KEY);
    } else {
      assert.equal(call.path, '/v1/projects/sim-project/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent');
      assert.match(String(call.headers.authorization), /^Bearer ya29\.sim-\d+$/);
    }
  });

  test(`${model}: streaming text arrives in pieces and matches the non-streamed reply`, async () => {
    const stream = await s.client.chat.completions.create({ model, messages: user('stream this please'), stream: true, stream_options: { include_usage: true } });
    let text = '';
    let deltas = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const c = chunk.choices[0];
      if (c?.delta.content) { text += c.delta.content; deltas++; }
      if (c?.finish_reason) finish = c.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'Hello! You said: stream this please');
    assert.ok(deltas > 3, 'one delta per upstream event');
    assert.equal(finish, 'stop');
    assert.ok(usage && usage.completion_tokens > 0);
    assert.equal(chatCalls()[0].query.alt, 'sse');
  });
}

test('two-turn tool call, streamed arguments reassembled by the SDK helper', async () => {
  const messages: OpenAI.ChatCompletionMessageParam[] = user('Weather in Paris? [[args:{"city":"Paris"}]]');
  const first = await s.client.chat.completions.stream({ model: 'gemini-flash', messages, tools: [weatherTool] }).finalChatCompletion();
  const msg = first.choices[0].message;
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.equal(msg.tool_calls!.length, 1);
  const call = msg.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
  messages.push(msg, { role: 'tool', tool_call_id: call.id, content: '18C and sunny' });
  const second = await s.client.chat.completions.create({ model: 'gemini-flash', messages, tools: [weatherTool] });
  assert.equal(second.choices[0].message.content, 'Tool result received: {"result":"18C and sunny"}');
  const parts = chatCalls()[1].body.contents[2].parts;
  assert.deepEqual(parts, [{ functionResponse: { id: call.id, name: 'get_weather', response: { result: '18C and sunny' } } }]);
});

test('Gemini 3: the thought signature survives an OpenAI client round trip (the model 400s without it)', async () => {
  const messages: OpenAI.ChatCompletionMessageParam[] = user('Weather twice? [[parallel]]');
  const first = await s.client.chat.completions.create({ model: 'gemini-3', messages, tools: [weatherTool] });
  const msg = first.choices[0].message;
  assert.equal(msg.tool_calls!.length, 2);
  assert.match(msg.tool_calls![0].id, /__thought__/);
  messages.push(msg, ...msg.tool_calls!.map((t) => ({ role: 'tool' as const, tool_call_id: t.id, content: 'ok' })));
  const second = await s.client.chat.completions.create({ model: 'gemini-3', messages, tools: [weatherTool] });
  assert.match(second.choices[0].message.content ?? '', /^Tool result received/);
  const replayed = chatCalls()[1].body.contents[1].parts;
  assert.ok(typeof replayed[0].thoughtSignature === 'string' && replayed[0].thoughtSignature.length > 10);
  // Without the signature (no signed id, no provider_data) the simulated Gemini 3 refuses, as the real one does.
  const plain = msg.tool_calls!.map((t, i) => ({ id: `plain_${i}`, type: 'function' as const, function: (t as OpenAI.ChatCompletionMessageFunctionToolCall).function }));
  const stripped: OpenAI.ChatCompletionMessageParam[] = [
    messages[0],
    { role: 'assistant', content: null, tool_calls: plain },
    ...plain.map((t) => ({ role: 'tool' as const, tool_call_id: t.id, content: 'ok' })),
  ];
  await assert.rejects(s.client.chat.completions.create({ model: 'gemini-3', messages: stripped, tools: [weatherTool] }), (err: any) => {
    assert.equal(err.status, 400);
    assert.match(err.message, /thought_signature/);
    return true;
  });
});

test('image input (data URL) becomes inlineData', async () => {
  const r = await s.client.chat.completions.create({
    model: 'vertex-pro',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: PNG_DATA_URL } }] }],
  });
  assert.equal(r.choices[0].message.content, 'Hello! You said: What is this?');
  assert.deepEqual(chatCalls()[0].body.contents[0].parts[1], { inlineData: { mimeType: 'image/png', data: PNG_DATA_URL.split(',')[1] } });
});

test('response_format json_schema → responseJsonSchema; reasoning_effort → thoughts as reasoning', async () => {
  const schema = { type: 'object', properties: { city: { type: 'string' }, temp: { type: 'number' } } };
  const r = await s.client.chat.completions.create({
    model: 'gemini-flash', messages: user('json please'), reasoning_effort: 'low',
    response_format: { type: 'json_schema', json_schema: { name: 'w', schema } },
  });
  assert.deepEqual(JSON.parse(r.choices[0].message.content!), { city: 'example', temp: 1 });
  const gc = chatCalls()[0].body.generationConfig;
  assert.deepEqual(gc, { responseMimeType: 'application/json', responseJsonSchema: schema, thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } });
  assert.ok(r.usage!.completion_tokens_details?.reasoning_tokens! > 0);
});

test('unsupported parameter: 400 naming it and the provider, unless drop_params', async () => {
  await assert.rejects(s.client.chat.completions.create({ model: 'gemini-flash', messages: user('x'), logit_bias: { '1': 2 } }), (err: any) => {
    assert.equal(err.status, 400);
    assert.match(err.message, /logit_bias/);
    assert.match(err.message, /gemini/);
    return true;
  });
});

test('embeddings: AI Studio batchEmbedContents and Vertex :predict, base64 by default and floats', async () => {
  const texts = ['hello', 'world'];
  for (const model of ['gemini-embed', 'vertex-embed']) {
    const floats = await s.client.embeddings.create({ model, input: texts, encoding_format: 'float', dimensions: 4 });
    assert.deepEqual(floats.data.map((d) => d.embedding), texts.map((t) => Array.from(embed(t, 4))));
    const b64 = await s.client.embeddings.create({ model, input: 'hello', dimensions: 4 });
    assert.deepEqual(b64.data[0].embedding, Array.from(embed('hello', 4)));
    assert.ok(b64.usage.prompt_tokens > 0);
  }
  assert.ok(s.sim.calls.some((c) => c.path.endsWith(':batchEmbedContents')));
  assert.ok(s.sim.calls.some((c) => c.path.endsWith(':embedContent')));
  assert.ok(s.sim.calls.some((c) => c.path.endsWith('text-embedding-005:predict')));
});

const ERRORS: [string, number, RegExp | null][] = [
  ['[[fault:rate_limit retry_after=7]]', 429, null],
  ['[[fault:context_length]]', 400, /input token count/],
  ['[[fault:invalid_key]]', 401, /API key not valid/],
  ['[[fault:model_not_found]]', 404, /not found/],
  ['[[fault:server_error]]', 500, /internal error/],
  ['[[fault:server_error status=503]]', 503, /overloaded/],
  ['[[fault:status code=504]]', 504, null],
];

for (const [directive, status, message] of ERRORS) {
  test(`error ${directive} → HTTP ${status} for the OpenAI client`, async () => {
    await assert.rejects(s.client.chat.completions.create({ model: 'gemini-flash', messages: user(`boom ${directive}`) }), (err: any) => {
      assert.ok(err instanceof OpenAI.APIError);
      assert.equal(err.status, status);
      if (message) assert.match(err.message, message);
      if (status === 400 && directive.includes('context')) assert.equal(err.code, 'context_length_exceeded');
      if (status === 429) assert.equal(err.headers.get('retry-after'), '7');
      return true;
    });
  });
}

test('content filter: a blocked prompt finishes with content_filter', async () => {
  const r = await s.client.chat.completions.create({ model: 'gemini-flash', messages: user('bad [[fault:content_filter]]') });
  assert.equal(r.choices[0].finish_reason, 'content_filter');
});

test('mid-stream error: the SDK throws after the first deltas', async () => {
  const stream = await s.client.chat.completions.create({ model: 'vertex-pro', messages: user('long answer [[fault:stream_error after=2 message="backend died"]]'), stream: true });
  let text = '';
  await assert.rejects(async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  }, (err: any) => {
    assert.match(err.message, /backend died/);
    return true;
  });
  assert.ok(text.length > 0);
});

test('connection errors: a reset socket is a 502; a stream cut before finishReason raises in the SDK', async () => {
  await assert.rejects(s.client.chat.completions.create({ model: 'gemini-flash', messages: user('x [[fault:reset]]') }), (err: any) => err.status === 502);
  const stream = await s.client.chat.completions.create({ model: 'gemini-flash', messages: user('long answer here [[fault:cut_stream after=2]]'), stream: true });
  await assert.rejects(async () => {
    for await (const _chunk of stream) { /* drain */ }
  });
});

test('a retryable upstream error is retried by the router (num_retries in the body) and then succeeds', async () => {
  const params = { model: 'gemini-flash', messages: user('again [[fault:server_error times=1 id=retry-g]]'), num_retries: 1 } as OpenAI.ChatCompletionCreateParamsNonStreaming;
  const { data, response } = await s.client.chat.completions.create(params).withResponse();
  assert.equal(data.choices[0].message.content, 'Hello! You said: again');
  assert.equal(response.headers.get('x-igw-attempts'), '2');
});
