// The Anthropic route of the simulator, driven by the official @anthropic-ai/sdk directly (no gateway): the
// SDK must accept its framing, and the simulator must refuse what the real API refuses.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicApiError } from '../helpers/anthropic.ts';
import { startSimulator, type Simulator } from './index.ts';

const KEY = 'sk-ant-sim';
let sim: Simulator;
let client: Anthropic;
before(async () => {
  sim = await startSimulator({ apiKey: KEY });
  client = new Anthropic({ baseURL: sim.url, apiKey: KEY, maxRetries: 0 });
});
after(() => sim.close());
beforeEach(() => sim.reset());

const weather = { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };

test('plain message: body shape, usage, auth by Bearer (SDK 1.x) and by x-api-key', async () => {
  const msg = await client.messages.create({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(msg.type, 'message');
  assert.deepEqual(msg.content, [{ type: 'text', text: 'Hello! You said: hi', citations: null }]);
  assert.equal(msg.stop_reason, 'end_turn');
  assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0);
  assert.equal(sim.calls[0].headers.authorization, `Bearer ${KEY}`);
  const res = await fetch(`${sim.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('request-id') ?? '', /^req_sim_/);
});

test('stream: the SDK accumulates text, tool input and thinking with its signature', async () => {
  const text = await client.messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: '[[reply:one two three]]' }] }).finalMessage();
  assert.deepEqual(text.content.map((b) => (b.type === 'text' ? b.text : b.type)), ['one two three']);
  const tools = await client.messages
    .stream({ model: 'm', max_tokens: 3000, tools: [weather], thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Paris? [[args:{"city":"Paris"}]]' }] })
    .finalMessage();
  assert.deepEqual(tools.content.map((b) => b.type), ['thinking', 'text', 'tool_use']);
  const thinking = tools.content[0];
  assert.ok(thinking.type === 'thinking' && thinking.signature.startsWith('sig_'));
  const call = tools.content[2];
  assert.ok(call.type === 'tool_use');
  assert.deepEqual(call.input, { city: 'Paris' });
  assert.equal(tools.stop_reason, 'tool_use');
  const raw = await (await fetch(`${sim.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'm', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] }),
  })).text();
  for (const frame of raw.split('\n\n').filter(Boolean)) {
    const [eventLine, dataLine] = frame.split('\n');
    assert.equal(JSON.parse(dataLine.slice(6)).type, eventLine.slice(7), 'every event names its data type');
  }
});

test('the rules a translator can break are enforced with the API wording', async () => {
  const bad = async (body: Record<string, unknown>, pattern: RegExp, version?: string): Promise<void> => {
    const c = version ? new Anthropic({ baseURL: sim.url, apiKey: KEY, maxRetries: 0, defaultHeaders: { 'anthropic-version': version } }) : client;
    const err = await anthropicApiError(c.messages.create({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'x' }], ...body } as never));
    assert.equal(err.status, 400);
    assert.match(err.message, pattern);
  };
  await bad({ stream_options: { include_usage: true } }, /stream_options: Extra inputs are not permitted/);
  await bad({ messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, /non-empty/);
  await bad({ temperature: 0.5 }, /temperature: not supported/, '2026-10-21');
  await bad({ temperature: 1.5 }, /less than or equal to 1/, '2023-06-01');
  await bad(
    { tools: [weather], messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'get_weather', input: {} }] }, { role: 'user', content: [{ type: 'text', text: 'y' }, { type: 'tool_result', tool_use_id: 't1', content: 'ok' }] }] },
    /Did not find 1 `tool_result` block\(s\) at the beginning/,
  );
  await bad({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 'forged' }] }, { role: 'user', content: 'z' }] }, /Invalid `signature`/);
});

test('faults in Anthropic shapes: 429 with retry-after, 529 overloaded, context window, mid-stream error', async () => {
  sim.enqueue({ kind: 'rate_limit', retryAfterSeconds: 3 }, { kind: 'overloaded' });
  const limited = await anthropicApiError(client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }));
  assert.equal(limited.status, 429);
  assert.equal(limited.headers?.get('retry-after'), '3');
  const overloaded = await anthropicApiError(client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }));
  assert.equal(overloaded.status, 529);
  assert.equal((overloaded.error as { error?: { type?: string } }).error?.type, 'overloaded_error');
  const long = await anthropicApiError(client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: '[[fault:context_length]]' }] }));
  assert.match(long.message, /prompt is too long/);
  await assert.rejects(
    client.messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'go [[fault:stream_error after=3]]' }] }).finalMessage(),
    (err: unknown) => err instanceof Anthropic.APIError && /Overloaded/.test(err.message),
  );
});

test('prompt caching: written on first sight of a cache_control prefix, read after', async () => {
  const req = {
    model: 'm',
    max_tokens: 10,
    system: [{ type: 'text' as const, text: 'You are a very long system prompt. '.repeat(20), cache_control: { type: 'ephemeral' as const } }],
    messages: [{ role: 'user' as const, content: 'x' }],
  };
  const first = await client.messages.create(req);
  const second = await client.messages.create(req);
  assert.ok((first.usage.cache_creation_input_tokens ?? 0) > 0);
  assert.equal(first.usage.cache_read_input_tokens, 0);
  assert.equal(second.usage.cache_read_input_tokens, first.usage.cache_creation_input_tokens);
});
