// The official openai client, through igw, to the Anthropic simulator: translation both ways, streaming,
// tools, images, JSON output, reasoning, caching usage, parameters and every error kind.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { MASTER_KEY } from '../helpers/gateway.ts';
import { PNG_B64, SIM_KEY, startAnthropicStack, weatherTool, type AnthropicStack } from './anthropic-stack.ts';
import { rejectionOf } from '../helpers/api-error.ts';

let s: AnthropicStack;
before(async () => {
  s = await startAnthropicStack();
});
after(() => s.close());
beforeEach(() => s.sim.reset());

const user = (content: string): OpenAI.ChatCompletionMessageParam[] => [{ role: 'user', content }];

const rejection = (p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> => rejectionOf(p, OpenAI.APIError);

test('plain chat: translated request (x-api-key, version, system hoisted, max_tokens default) and response', async () => {
  const r = await s.openai.chat.completions.create({
    model: 'claude',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi there' },
    ],
  });
  assert.equal(r.choices[0].message.content, 'Hello! You said: hi there');
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.equal(r.object, 'chat.completion');
  assert.ok(r.usage && r.usage.prompt_tokens > 0 && r.usage.completion_tokens > 0);
  assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
  const call = s.sim.calls[0];
  assert.equal(call.path, '/v1/messages');
  assert.equal(call.headers['x-api-key'], SIM_KEY);
  assert.equal(call.headers['anthropic-version'], '2023-06-01');
  assert.ok(!JSON.stringify(call.headers).includes(MASTER_KEY));
  assert.deepEqual(call.body, { model: 'claude-sonnet-4-5', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi there' }] }], system: 'Be brief.' });
});

test('streaming: deltas arrive one by one, usage chunk only when asked, stream helper validates', async () => {
  const stream = await s.openai.chat.completions.create({ model: 'claude', messages: user('stream me please'), stream: true, stream_options: { include_usage: true } });
  let text = '';
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.equal(text, 'Hello! You said: stream me please');
  assert.ok(chunks.length > 6, 'one chunk per upstream delta');
  const last = chunks[chunks.length - 1];
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage && last.usage.completion_tokens > 0);
  const done = await s.openai.chat.completions.stream({ model: 'claude', messages: user('helper') }).finalChatCompletion();
  assert.equal(done.choices[0].message.content, 'Hello! You said: helper');
  assert.equal(done.choices[0].finish_reason, 'stop');
});

test('two-turn tool call: streamed arguments reassembled by the SDK, then the tool result turn', async () => {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris? [[args:{"city":"Paris","unit":"C"}]]' }];
  const first = await s.openai.chat.completions.stream({ model: 'claude', messages, tools: [weatherTool] }).finalChatCompletion();
  const msg = first.choices[0].message;
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.equal(msg.content, 'Let me check.');
  const call = msg.tool_calls?.[0];
  assert.ok(call && call.type === 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris', unit: 'C' });
  assert.match(call.id, /^toolu_sim_/);
  messages.push(msg, { role: 'tool', tool_call_id: call.id, content: '18C and sunny' });
  const second = await s.openai.chat.completions.create({ model: 'claude', messages, tools: [weatherTool] });
  assert.equal(second.choices[0].message.content, 'Tool result received: 18C and sunny');
  const sent = s.sim.calls[1].body;
  assert.deepEqual(sent.messages[1].content[1], { type: 'tool_use', id: call.id, name: 'get_weather', input: { city: 'Paris', unit: 'C' } });
  assert.deepEqual(sent.messages[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18C and sunny' }] });
  assert.deepEqual(sent.tools, [{ name: 'get_weather', description: 'Weather for a city', input_schema: weatherTool.function.parameters }]);
});

test('parallel tool calls stream as two OpenAI tool calls; parallel_tool_calls:false maps to disable_parallel_tool_use', async () => {
  const done = await s.openai.chat.completions
    .stream({ model: 'claude', messages: user('Two [[parallel]] [[args:{"city":"Oslo"}]]'), tools: [weatherTool], tool_choice: 'required' })
    .finalChatCompletion();
  const calls = done.choices[0].message.tool_calls ?? [];
  assert.equal(calls.length, 2);
  for (const c of calls) assert.ok(c.type === 'function' && JSON.parse(c.function.arguments).city === 'Oslo');
  assert.deepEqual(s.sim.calls[0].body.tool_choice, { type: 'any' });
  await s.openai.chat.completions.create({ model: 'claude', messages: user('One [[parallel]]'), tools: [weatherTool], parallel_tool_calls: false });
  assert.deepEqual(s.sim.calls[1].body.tool_choice, { type: 'auto', disable_parallel_tool_use: true });
});

test('image input: data URL → base64 block, https URL → url block', async () => {
  const r = await s.openai.chat.completions.create({
    model: 'claude',
    messages: [{
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}` } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
      ],
    }],
  });
  assert.equal(r.choices[0].message.content, 'Hello! You said: What is this?');
  assert.deepEqual(s.sim.calls[0].body.messages[0].content.slice(1), [
    { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_B64 } },
    { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
  ]);
});

test('response_format json_schema through a forced tool comes back as message content', async () => {
  const schema = { type: 'object', properties: { name: { type: 'string' }, pop: { type: 'number' } }, required: ['name', 'pop'] };
  const r = await s.openai.chat.completions.create({
    model: 'claude',
    messages: user('a city as json'),
    response_format: { type: 'json_schema', json_schema: { name: 'city', schema } },
  });
  assert.deepEqual(JSON.parse(r.choices[0].message.content ?? ''), { name: 'example', pop: 1 });
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.equal(r.choices[0].message.tool_calls, undefined);
  const body = s.sim.calls[0].body;
  assert.deepEqual(body.tool_choice, { type: 'tool', name: 'city' });
  assert.deepEqual(body.tools[0].input_schema, schema);
  const streamed = await s.openai.chat.completions
    .stream({ model: 'claude', messages: user('again'), response_format: { type: 'json_object' } })
    .finalChatCompletion();
  assert.equal(typeof JSON.parse(streamed.choices[0].message.content ?? 'null'), 'object');
  assert.equal(streamed.choices[0].finish_reason, 'stop');
});

test('reasoning_effort → thinking; the signed thinking is replayed on the tool-result turn', async () => {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather? [[args:{"city":"Rome"}]]' }];
  const first = await s.openai.chat.completions.create({ model: 'claude', messages, tools: [weatherTool], reasoning_effort: 'low' });
  assert.deepEqual(s.sim.calls[0].body.thinking, { type: 'enabled', budget_tokens: 1024 });
  const msg = first.choices[0].message as OpenAI.ChatCompletionMessage & { reasoning_content?: string; thinking_blocks?: { signature: string }[] };
  assert.match(msg.reasoning_content ?? '', /^Thinking about: Weather\?/);
  assert.match(msg.thinking_blocks?.[0]?.signature ?? '', /^sig_/);
  messages.push(msg, { role: 'tool', tool_call_id: msg.tool_calls![0].id, content: 'warm' });
  const second = await s.openai.chat.completions.create({ model: 'claude', messages, tools: [weatherTool], reasoning_effort: 'low' });
  assert.equal(second.choices[0].message.content, 'Tool result received: warm');
  assert.equal(s.sim.calls[1].body.messages[1].content[0].type, 'thinking', 'the thinking block leads the replayed turn');
  const stream = await s.openai.chat.completions.create({ model: 'claude', messages: user('think aloud'), reasoning_effort: 'low', stream: true });
  let reasoning = '';
  for await (const c of stream) reasoning += (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
  assert.equal(reasoning, 'Thinking about: think aloud');
});

test('prompt caching: cache_control is carried, cached tokens reported as OpenAI cached_tokens', async () => {
  const req: OpenAI.ChatCompletionCreateParamsNonStreaming = {
    model: 'claude',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'A long shared prefix. '.repeat(30), cache_control: { type: 'ephemeral' } } as OpenAI.ChatCompletionContentPartText] },
      { role: 'user', content: 'q' },
    ],
  };
  const first = await s.openai.chat.completions.create(req);
  const second = await s.openai.chat.completions.create(req);
  assert.deepEqual(s.sim.calls[0].body.system[0].cache_control, { type: 'ephemeral' });
  const written = (first.usage?.prompt_tokens_details as { cache_write_tokens?: number } | undefined)?.cache_write_tokens ?? 0;
  assert.ok(written > 0);
  assert.equal(second.usage?.prompt_tokens_details?.cached_tokens, written);
  assert.equal(second.usage?.prompt_tokens, first.usage?.prompt_tokens, 'prompt_tokens includes cached tokens');
});

test('stop sequences and the length limit map to finish reasons', async () => {
  const stopped = await s.openai.chat.completions.create({ model: 'claude', messages: user('[[reply:one two. three]]'), stop: '.' });
  assert.equal(stopped.choices[0].message.content, 'one two');
  assert.equal(stopped.choices[0].finish_reason, 'stop');
  assert.deepEqual(s.sim.calls[0].body.stop_sequences, ['.']);
  const cut = await s.openai.chat.completions.create({ model: 'claude', messages: user('[[reply:a b c d e f g]]'), max_completion_tokens: 3 });
  assert.equal(cut.choices[0].finish_reason, 'length');
  const deflt = await s.openai.chat.completions.create({ model: 'claude-short', messages: user('[[reply:a b c d e f g]]') });
  assert.equal(deflt.choices[0].finish_reason, 'length', 'litellm_params.max_tokens is the default cap');
  assert.equal(s.sim.calls[2].body.max_tokens, 3);
});

test('unsupported parameters: 400 naming parameter and provider, or dropped with drop_params', async () => {
  const err = await rejection(s.openai.chat.completions.create({ model: 'claude', messages: user('x'), logit_bias: { '1': 5 } }));
  assert.equal(err.status, 400);
  assert.equal(err.code, 'unsupported_parameter');
  assert.equal(err.param, 'logit_bias');
  assert.match(err.message, /'logit_bias' is not supported by provider 'anthropic'.*drop_params/);
  assert.equal(s.sim.calls.length, 0, 'nothing was sent upstream');
  const n = await rejection(s.openai.chat.completions.create({ model: 'claude', messages: user('x'), n: 2 }));
  assert.equal(n.param, 'n');
  const ok = await s.openai.chat.completions.create({ model: 'claude-drop', messages: user('x'), logit_bias: { '1': 5 }, seed: 3, n: 1, presence_penalty: 0.5 });
  assert.equal(ok.choices[0].message.content, 'Hello! You said: x');
  const body = s.sim.calls[0].body;
  assert.equal(body.logit_bias, undefined);
  assert.equal(body.seed, undefined);
});

test('anthropic_version 2026-10-21: sampling parameters refused (or dropped), version header sent', async () => {
  const err = await rejection(s.openai.chat.completions.create({ model: 'claude-2026', messages: user('x'), temperature: 0.2 }));
  assert.equal(err.param, 'temperature');
  const ok = await s.openai.chat.completions.create({ model: 'claude-2026-drop', messages: user('x'), temperature: 0.2, top_p: 0.9 });
  assert.equal(ok.choices[0].message.content, 'Hello! You said: x');
  assert.equal(s.sim.calls[0].headers['anthropic-version'], '2026-10-21');
  assert.equal(s.sim.calls[0].body.temperature, undefined);
  const clamped = await s.openai.chat.completions.create({ model: 'claude', messages: user('x'), temperature: 1.5 }).withResponse();
  assert.equal(s.sim.calls[1].body.temperature, 1);
  assert.match(clamped.response.headers.get('x-igw-warning') ?? '', /temperature 1.5 lowered to 1/);
});

test('errors: 429 with retry-after, 529 overloaded → retryable 503, 500, 401, context window', async () => {
  s.sim.enqueue({ kind: 'rate_limit', retryAfterSeconds: 4 }, { kind: 'overloaded' }, { kind: 'server_error', status: 500 }, { kind: 'invalid_key' });
  const limited = await rejection(s.openai.chat.completions.create({ model: 'claude', messages: user('x') }));
  assert.ok(limited instanceof OpenAI.RateLimitError);
  assert.equal(limited.headers?.get('retry-after'), '4');
  assert.match(limited.headers?.get('x-igw-upstream-request-id') ?? '', /^req_sim_/);
  const overloaded = await rejection(s.openai.chat.completions.create({ model: 'claude', messages: user('x') }));
  assert.ok(overloaded instanceof OpenAI.InternalServerError);
  assert.equal(overloaded.status, 503, 'the OpenAI SDK retries 503');
  assert.equal(overloaded.code, 'overloaded');
  const server = await rejection(s.openai.chat.completions.create({ model: 'claude', messages: user('x') }));
  assert.equal(server.status, 500);
  const auth = await rejection(s.openai.chat.completions.create({ model: 'claude', messages: user('x') }));
  assert.equal(auth.status, 401);
  assert.ok(!auth.message.includes(SIM_KEY));
  const ctx = await rejection(s.openai.chat.completions.create({ model: 'claude', messages: user('long [[fault:context_length]]') }));
  assert.ok(ctx instanceof OpenAI.BadRequestError);
  assert.equal(ctx.code, 'context_length_exceeded');
  assert.match(ctx.message, /prompt is too long/);
});

test('errors mid-stream: an Anthropic error event and a cut connection both reach the SDK as APIError', async () => {
  const failing = await s.openai.chat.completions.create({ model: 'claude', messages: user('go on [[fault:stream_error after=4]]'), stream: true });
  let text = '';
  await assert.rejects(async () => {
    for await (const c of failing) text += c.choices[0]?.delta?.content ?? '';
  }, (err: unknown) => err instanceof OpenAI.APIError && /Overloaded/.test(err.message));
  assert.ok(text.length > 0, 'deltas before the error were delivered');
  const cut = await s.openai.chat.completions.create({ model: 'claude', messages: user('more [[fault:cut_stream after=4]]'), stream: true });
  await assert.rejects(async () => {
    for await (const c of cut) void c;
  }, OpenAI.APIError);
});

test('an upstream 400 for an invalid translated body would surface; igw refuses tool arguments that are not JSON first', async () => {
  const err = await rejection(s.openai.chat.completions.create({
    model: 'claude',
    messages: [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{not json' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'r' },
    ],
    tools: [weatherTool],
  }));
  assert.equal(err.status, 400);
  assert.match(err.message, /not a JSON object/);
  assert.equal(s.sim.calls.length, 0);
});

test('a fallback from an OpenAI deployment to an Anthropic one translates that attempt (JSON and stream)', async () => {
  const { data, response } = await s.openai.chat.completions
    .create({ model: 'gpt-flaky', messages: user('fall over [[fault:server_error times=1 id=json]]') })
    .withResponse();
  assert.equal(data.choices[0].message.content, 'Hello! You said: fall over');
  assert.equal(response.headers.get('x-igw-model'), 'claude');
  assert.deepEqual(s.sim.calls.map((c) => c.path), ['/v1/chat/completions', '/v1/messages']);
  const stream = await s.openai.chat.completions.create({ model: 'gpt-flaky', messages: user('again [[fault:server_error times=1 id=stream]]'), stream: true });
  let text = '';
  for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
  assert.equal(text, 'Hello! You said: again');
  assert.equal(s.sim.calls[3].path, '/v1/messages');
});

test('stream translation is incremental: each delta reaches the client while the upstream is still sending', async () => {
  const started = Date.now();
  const stream = await s.openai.chat.completions.create({ model: 'claude', messages: user('[[reply:one two three four five]] [[fault:chunk_delay ms=80]]'), stream: true });
  const arrivals: number[] = [];
  for await (const c of stream) if (c.choices[0]?.delta?.content) arrivals.push(Date.now() - started);
  assert.equal(arrivals.length, 5);
  // Buffered output would arrive all at once; 4 gaps of 80 ms leave a wide margin even on a loaded machine.
  assert.ok(arrivals[arrivals.length - 1] - arrivals[0] >= 150, `deltas spread over ${arrivals[arrivals.length - 1] - arrivals[0]} ms`);
});
