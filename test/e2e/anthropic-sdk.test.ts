// The official @anthropic-ai/sdk (Bearer auth, anthropic-version 2026-10-21) against igw's /v1/messages:
// translated to an OpenAI deployment, and passed through to an Anthropic one.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicApiError } from '../helpers/anthropic.ts';
import { MASTER_KEY } from '../helpers/gateway.ts';
import { anthropicClient, anthropicWeatherTool, PNG_B64, SIM_KEY, startAnthropicStack, type AnthropicStack } from './anthropic-stack.ts';

let s: AnthropicStack;
before(async () => {
  s = await startAnthropicStack();
});
after(() => s.close());
beforeEach(() => s.sim.reset());

const ask = (model: string, content: string, extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}) =>
  s.anthropic.messages.create({ model, max_tokens: 256, messages: [{ role: 'user', content }], ...extra });

// ---- Anthropic client → OpenAI deployment (translation)

test('to OpenAI: plain message, system prompt, usage; the SDK authenticates with Bearer', async () => {
  const msg = await ask('gpt-4o', 'hi there', { system: 'Be brief.' });
  assert.equal(msg.type, 'message');
  assert.equal(msg.role, 'assistant');
  assert.match(msg.id, /^msg_/);
  assert.deepEqual(msg.content, [{ type: 'text', text: 'Hello! You said: hi there' }]);
  assert.equal(msg.stop_reason, 'end_turn');
  assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0);
  const call = s.sim.calls[0];
  assert.equal(call.path, '/v1/chat/completions');
  assert.equal(call.headers.authorization, `Bearer ${SIM_KEY}`);
  assert.deepEqual(call.body.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi there' }]);
  assert.equal(call.body.max_completion_tokens, 256);
});

test('to OpenAI: messages.stream().finalMessage() and text events as they arrive', async () => {
  const stream = s.anthropic.messages.stream({ model: 'gpt-4o', max_tokens: 256, messages: [{ role: 'user', content: 'stream it now' }] });
  const pieces: string[] = [];
  stream.on('text', (t) => pieces.push(t));
  const msg = await stream.finalMessage();
  assert.deepEqual(msg.content, [{ type: 'text', text: 'Hello! You said: stream it now' }]);
  assert.ok(pieces.length > 4, 'one text event per upstream delta');
  assert.equal(msg.stop_reason, 'end_turn');
  assert.ok(msg.usage.output_tokens > 0 && msg.usage.input_tokens > 0, 'usage from the final message_delta');
  assert.deepEqual(s.sim.calls[0].body.stream_options, { include_usage: true });
});

test('to OpenAI: the exact Anthropic event sequence, every event with its event: line', async () => {
  const res = await fetch(`${s.gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': MASTER_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', max_tokens: 50, stream: true, messages: [{ role: 'user', content: '[[reply:Hi you]]' }] }),
  });
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const frames = (await res.text()).split('\n\n').filter(Boolean);
  const types = frames.map((f) => {
    const [e, d] = f.split('\n');
    const type = JSON.parse(d.slice(6)).type;
    assert.equal(e, `event: ${type}`);
    return type;
  });
  assert.deepEqual(types, ['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
});

test('to OpenAI: tool use over two turns, streamed input_json_delta reassembled by the SDK', async () => {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris? [[args:{"city":"Paris"}]]' }];
  const first = await s.anthropic.messages.stream({ model: 'gpt-4o', max_tokens: 256, tools: [anthropicWeatherTool], messages }).finalMessage();
  assert.equal(first.stop_reason, 'tool_use');
  const use = first.content.find((b) => b.type === 'tool_use');
  assert.ok(use && use.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Paris' });
  assert.deepEqual(s.sim.calls[0].body.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: anthropicWeatherTool.input_schema } }]);
  messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18C and sunny' }] });
  const second = await s.anthropic.messages.create({ model: 'gpt-4o', max_tokens: 256, tools: [anthropicWeatherTool], messages });
  assert.deepEqual(second.content, [{ type: 'text', text: 'Tool result received: 18C and sunny' }]);
  const sent = s.sim.calls[1].body.messages;
  assert.deepEqual(sent[1], { role: 'assistant', content: null, tool_calls: [{ id: use.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
  assert.deepEqual(sent[2], { role: 'tool', tool_call_id: use.id, content: '18C and sunny' });
});

test('to OpenAI: tool_choice any → required, disable_parallel_tool_use → parallel_tool_calls false', async () => {
  await ask('gpt-4o', 'x', { tools: [anthropicWeatherTool], tool_choice: { type: 'any', disable_parallel_tool_use: true } });
  assert.equal(s.sim.calls[0].body.tool_choice, 'required');
  assert.equal(s.sim.calls[0].body.parallel_tool_calls, false);
});

test('to OpenAI: image blocks become image_url parts (data URL and URL)', async () => {
  const msg = await s.anthropic.messages.create({
    model: 'gpt-4o',
    max_tokens: 64,
    messages: [{
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_B64 } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
        { type: 'text', text: 'Describe' },
      ],
    }],
  });
  assert.deepEqual(msg.content, [{ type: 'text', text: 'Hello! You said: Describe' }]);
  assert.deepEqual(s.sim.calls[0].body.messages[0].content, [
    { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}` } },
    { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
    { type: 'text', text: 'Describe' },
  ]);
});

test('to OpenAI: errors in Anthropic shapes with the statuses the SDK expects', async () => {
  s.sim.enqueue({ kind: 'rate_limit', retryAfterSeconds: 2 }, { kind: 'server_error', status: 500 }, { kind: 'server_error', status: 503 }, { kind: 'invalid_key' });
  const limited = await anthropicApiError(ask('gpt-4o', 'x'));
  assert.ok(limited instanceof Anthropic.RateLimitError);
  assert.equal(limited.headers?.get('retry-after'), '2');
  assert.equal((limited.error as { error: { type: string } }).error.type, 'rate_limit_error');
  const server = await anthropicApiError(ask('gpt-4o', 'x'));
  assert.ok(server instanceof Anthropic.InternalServerError);
  assert.equal((server.error as { error: { type: string } }).error.type, 'api_error');
  const overloaded = await anthropicApiError(ask('gpt-4o', 'x'));
  assert.ok(overloaded instanceof Anthropic.OverloadedError);
  assert.equal(overloaded.status, 529);
  const upstreamAuth = await anthropicApiError(ask('gpt-4o', 'x'));
  assert.ok(upstreamAuth instanceof Anthropic.AuthenticationError);
  const ctx = await anthropicApiError(ask('gpt-4o', 'long [[fault:context_length]]'));
  assert.ok(ctx instanceof Anthropic.BadRequestError);
  assert.equal((ctx.error as { error: { type: string } }).error.type, 'invalid_request_error');
  assert.match(ctx.message, /maximum context length/);
});

test('igw errors in Anthropic shapes: bad key, unknown model, missing max_tokens, unsupported parameter', async () => {
  const badKey = await anthropicApiError(anthropicClient(s.gw, 'sk-wrong').messages.create({ model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }));
  assert.ok(badKey instanceof Anthropic.AuthenticationError);
  assert.deepEqual(Object.keys(badKey.error as object).sort(), ['error', 'request_id', 'type']);
  const missing = await anthropicApiError(ask('no-such-model', 'x'));
  assert.ok(missing instanceof Anthropic.NotFoundError);
  assert.equal((missing.error as { error: { type: string } }).error.type, 'not_found_error');
  const noMax = await anthropicApiError(s.anthropic.messages.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming));
  assert.ok(noMax instanceof Anthropic.BadRequestError);
  assert.match(noMax.message, /max_tokens: Field required/);
  const topK = await anthropicApiError(ask('gpt-4o', 'x', { top_k: 5 } as Partial<Anthropic.MessageCreateParamsNonStreaming>));
  assert.ok(topK instanceof Anthropic.BadRequestError);
  assert.match(topK.message, /'top_k' is not supported by provider 'openai'/);
});

test('to OpenAI: a mid-stream upstream error becomes an Anthropic error event the SDK raises', async () => {
  s.sim.enqueue({ kind: 'stream_error', afterChunks: 3, message: 'upstream broke' });
  await assert.rejects(
    s.anthropic.messages.stream({ model: 'gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }).finalMessage(),
    (err: unknown) => err instanceof Anthropic.APIError && /upstream broke/.test(err.message),
  );
});

test('count_tokens: an estimate for any configured model; unknown model is 404', async () => {
  const r = await s.anthropic.messages.countTokens({ model: 'gpt-4o', system: 'sys', messages: [{ role: 'user', content: 'a'.repeat(400) }] });
  assert.ok(r.input_tokens >= 100 && r.input_tokens < 110, String(r.input_tokens));
  const err = await anthropicApiError(s.anthropic.messages.countTokens({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }));
  assert.ok(err instanceof Anthropic.NotFoundError);
});

// ---- Anthropic client → Anthropic deployment (pass-through)

test('pass-through: the body goes upstream unchanged except the model; anthropic-beta is forwarded', async () => {
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model: 'claude',
    max_tokens: 100,
    system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'pass me' }] }],
    metadata: { user_id: 'u1' },
  };
  const msg = await s.anthropic.messages.create(params, { headers: { 'anthropic-beta': 'context-1m-2025-08-07' } });
  assert.deepEqual(msg.content, [{ type: 'text', text: 'Hello! You said: pass me', citations: null }], 'the upstream body is relayed as it is');
  assert.equal(msg.id.startsWith('msg_sim_'), true);
  const call = s.sim.calls[0];
  assert.deepEqual(call.body, { ...params, model: 'claude-sonnet-4-5' });
  assert.equal(call.headers['x-api-key'], SIM_KEY);
  assert.equal(call.headers['anthropic-beta'], 'context-1m-2025-08-07');
  assert.equal(call.headers['anthropic-version'], '2026-10-21', "the client's version, since the deployment pins none");
  assert.equal(call.headers.authorization, undefined, 'the client key never reaches the provider');
});

test('pass-through: streaming with thinking and tools, events relayed one by one', async () => {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather? [[args:{"city":"Lima"}]]' }];
  const first = await s.anthropic.messages
    .stream({ model: 'claude', max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [anthropicWeatherTool], messages })
    .finalMessage();
  assert.deepEqual(first.content.map((b) => b.type), ['thinking', 'text', 'tool_use']);
  const use = first.content[2];
  assert.ok(use.type === 'tool_use');
  messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'mild' }] });
  const second = await s.anthropic.messages.create({ model: 'claude', max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [anthropicWeatherTool], messages });
  assert.equal(second.content.at(-1)?.type, 'text');
  assert.deepEqual(second.content.at(-1), { type: 'text', text: 'Tool result received: mild', citations: null });
});

test('pass-through: upstream errors keep Anthropic statuses (529 overloaded, 429) and mid-stream errors are relayed', async () => {
  s.sim.enqueue({ kind: 'overloaded' }, { kind: 'rate_limit', retryAfterSeconds: 6 });
  const overloaded = await anthropicApiError(ask('claude', 'x'));
  assert.ok(overloaded instanceof Anthropic.OverloadedError);
  const limited = await anthropicApiError(ask('claude', 'x'));
  assert.ok(limited instanceof Anthropic.RateLimitError);
  assert.equal(limited.headers?.get('retry-after'), '6');
  await assert.rejects(
    s.anthropic.messages.stream({ model: 'claude', max_tokens: 64, messages: [{ role: 'user', content: 'x [[fault:stream_error after=3]]' }] }).finalMessage(),
    (err: unknown) => err instanceof Anthropic.APIError && /Overloaded/.test(err.message),
  );
  await assert.rejects(
    s.anthropic.messages.stream({ model: 'claude', max_tokens: 64, messages: [{ role: 'user', content: 'y [[fault:cut_stream after=3]]' }] }).finalMessage(),
    Anthropic.APIError,
  );
});

test('x-api-key with anthropic-version 2023-06-01 (SDK 0.x, curl) also authenticates', async () => {
  const res = await fetch(`${s.gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': MASTER_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude', max_tokens: 20, messages: [{ role: 'user', content: 'curl' }] }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { content: { text: string }[] };
  assert.equal(body.content[0].text, 'Hello! You said: curl');
  assert.equal(s.sim.calls[0].headers['anthropic-version'], '2023-06-01');
  await s.anthropic.messages.create({ model: 'claude-2026-drop', max_tokens: 20, messages: [{ role: 'user', content: 'pinned' }] }, { headers: { 'anthropic-version': '2023-06-01' } });
  assert.equal(s.sim.calls[1].headers['anthropic-version'], '2026-10-21', 'a pinned version wins');
});

test('a fallback from an Anthropic deployment (pass-through) to an OpenAI one (translated)', async () => {
  const msg = await ask('claude-flaky', 'switch [[fault:overloaded times=1]]');
  assert.deepEqual(msg.content, [{ type: 'text', text: 'Hello! You said: switch' }]);
  assert.deepEqual(s.sim.calls.map((c) => c.path), ['/v1/messages', '/v1/chat/completions']);
  assert.deepEqual(s.sim.calls[0].body.messages, [{ role: 'user', content: 'switch [[fault:overloaded times=1]]' }], 'the first attempt passed the body through');
});

test('stream translation is incremental the other way too (OpenAI chunks → Anthropic text events)', async () => {
  const started = Date.now();
  const arrivals: number[] = [];
  const stream = s.anthropic.messages.stream({ model: 'gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: '[[reply:one two three four]] [[fault:chunk_delay ms=80]]' }] });
  stream.on('text', () => arrivals.push(Date.now() - started));
  await stream.finalMessage();
  assert.equal(arrivals.length, 4);
  // Buffered output would arrive all at once; 3 gaps of 80 ms leave a wide margin even on a loaded machine.
  assert.ok(arrivals[arrivals.length - 1] - arrivals[0] >= 150, `deltas spread over ${arrivals[arrivals.length - 1] - arrivals[0]} ms`);
});
