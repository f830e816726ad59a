// The official openai client through igw to the Bedrock simulator: SigV4-signed and API-key deployments,
// chat, ConverseStream streaming, two-turn tool calls, images, structured output, embeddings (Titan,
// Cohere) and every error kind, including exceptions inside the event stream.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import OpenAI from 'openai';
import { MASTER_KEY } from '../helpers/gateway.ts';
import { SIM_AWS_KEY } from '../simulator/bedrock.ts';
import { embed } from '../simulator/embeddings.ts';
import { CLAUDE_ON_BEDROCK, PNG_DATA_URL, SIM_KEY, startCloudStack, user, weatherTool, type CloudStack } from './cloud-stack.ts';

let s: CloudStack;
before(async () => {
  s = await startCloudStack();
});
after(() => s.close());
beforeEach(() => s.sim.reset());

const encodedModel = encodeURIComponent(CLAUDE_ON_BEDROCK);

test('plain chat, SigV4-signed: the simulator recomputes the signature', async () => {
  const r = await s.client.chat.completions.create({ model: 'bedrock-claude', messages: [{ role: 'system', content: 'Be brief.' }, ...user('hi there')] });
  assert.equal(r.choices[0].message.content, 'Hello! You said: hi there');
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.ok(r.usage!.prompt_tokens > 0 && r.usage!.completion_tokens > 0);
  const call = s.sim.calls[0];
  assert.equal(call.path, `/model/${encodedModel}/converse`);
  assert.match(String(call.headers.authorization), new RegExp(`^AWS4-HMAC-SHA256 Credential=${SIM_AWS_KEY.accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`));
  assert.match(String(call.headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
  assert.deepEqual(call.body.system, [{ text: 'Be brief.' }]);
  assert.deepEqual(call.body.messages, [{ role: 'user', content: [{ text: 'hi there' }] }]);
});

test('API-key deployment sends Bearer; a wrong secret is an auth error (401)', async () => {
  const r = await s.client.chat.completions.create({ model: 'bedrock-nova-key', messages: user('key auth') });
  assert.equal(r.choices[0].message.content, 'Hello! You said: key auth');
  assert.equal(s.sim.calls[0].headers.authorization, `Bearer ${SIM_KEY}`);
  await assert.rejects(s.client.chat.completions.create({ model: 'bedrock-bad-secret', messages: user('x') }), (err: any) => {
    assert.equal(err.status, 401);
    assert.match(err.message, /signature we calculated does not match/);
    return true;
  });
});

test('streaming over ConverseStream: deltas as they come, usage from metadata', async () => {
  const stream = await s.client.chat.completions.create({ model: 'bedrock-claude', messages: user('stream this please'), stream: true, stream_options: { include_usage: true } });
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
  assert.ok(deltas > 3);
  assert.equal(finish, 'stop');
  assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0);
  assert.equal(s.sim.calls[0].path, `/model/${encodedModel}/converse-stream`);
});

test('two-turn tool call: streamed toolUse input reassembled by the SDK helper', async () => {
  const messages: OpenAI.ChatCompletionMessageParam[] = user('Weather in Paris and Oslo? [[parallel]]');
  const first = await s.client.chat.completions.stream({ model: 'bedrock-claude', messages, tools: [weatherTool] }).finalChatCompletion();
  const msg = first.choices[0].message;
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.equal(msg.tool_calls!.length, 2);
  for (const t of msg.tool_calls! as OpenAI.ChatCompletionMessageFunctionToolCall[]) {
    assert.equal(t.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(t.function.arguments), { city: 'example' });
    assert.match(t.id, /^tooluse_call_\d+$/);
  }
  messages.push(msg, ...msg.tool_calls!.map((t, i) => ({ role: 'tool' as const, tool_call_id: t.id, content: `${10 + i}C` })));
  const second = await s.client.chat.completions.create({ model: 'bedrock-claude', messages, tools: [weatherTool] });
  assert.equal(second.choices[0].message.content, 'Tool result received: 10C\n11C');
  const sent = s.sim.calls[1].body.messages;
  assert.equal(sent.length, 3, 'both tool results in one user turn');
  assert.deepEqual(sent[2].content.map((c: any) => c.toolResult.toolUseId), msg.tool_calls!.map((t) => t.id));
});

test('image input: data URL → image bytes block', async () => {
  const r = await s.client.chat.completions.create({
    model: 'bedrock-claude',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: PNG_DATA_URL } }] }],
  });
  assert.equal(r.choices[0].message.content, 'Hello! You said: What is this?');
  assert.deepEqual(s.sim.calls[0].body.messages[0].content[1], { image: { format: 'png', source: { bytes: PNG_DATA_URL.split(',')[1] } } });
  await assert.rejects(s.client.chat.completions.create({
    model: 'bedrock-claude',
    messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
  }), (err: any) => err.status === 400 && /image URLs/.test(err.message));
});

test('structured output through a forced tool, streamed and not', async () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } } };
  const rf = { type: 'json_schema' as const, json_schema: { name: 'w', schema } };
  const r = await s.client.chat.completions.create({ model: 'bedrock-claude', messages: user('json'), response_format: rf });
  assert.deepEqual(JSON.parse(r.choices[0].message.content!), { city: 'example' });
  assert.equal(r.choices[0].finish_reason, 'stop');
  const stream = await s.client.chat.completions.create({ model: 'bedrock-claude', messages: user('json'), response_format: rf, stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  assert.deepEqual(JSON.parse(text), { city: 'example' });
});

test('reasoning_effort → Claude thinking; the reasoning comes back', async () => {
  const r = await s.client.chat.completions.create({ model: 'bedrock-claude', messages: user('think'), reasoning_effort: 'low' });
  assert.deepEqual(s.sim.calls[0].body.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 2048 } });
  assert.equal(r.choices[0].message.content, 'Hello! You said: think');
  assert.equal((r.choices[0].message as any).reasoning_content, 'Let me think about that.');
});

test('embeddings: Titan (one call per input) and Cohere, base64 by default', async () => {
  const titan = await s.client.embeddings.create({ model: 'bedrock-titan', input: ['a', 'bb', 'ccc'], dimensions: 4 });
  assert.deepEqual(titan.data.map((d) => d.embedding), ['a', 'bb', 'ccc'].map((t) => Array.from(embed(t, 4))));
  assert.equal(titan.usage.prompt_tokens, 3);
  assert.equal(s.sim.calls.filter((c) => c.path.endsWith('/invoke')).length, 3);
  const cohere = await s.client.embeddings.create({ model: 'bedrock-cohere', input: ['x', 'y'], encoding_format: 'float' });
  assert.deepEqual(cohere.data.map((d) => d.embedding), ['x', 'y'].map((t) => Array.from(embed(t, 8))));
});

const ERRORS: [string, number, RegExp | null][] = [
  ['[[fault:rate_limit]]', 429, /Too many requests/],
  ['[[fault:context_length]]', 400, /too long/],
  ['[[fault:invalid_key]]', 401, /security token/],
  ['[[fault:model_not_found]]', 404, /Could not resolve/],
  ['[[fault:server_error]]', 500, /Internal server error/],
  ['[[fault:server_error status=503]]', 503, /unable to process/],
  ['[[fault:status code=408]]', 504, null],
  ['[[fault:status code=403]]', 403, null],
];

for (const [directive, status, message] of ERRORS) {
  test(`error ${directive} → HTTP ${status} for the OpenAI client`, async () => {
    await assert.rejects(s.client.chat.completions.create({ model: 'bedrock-claude', messages: user(`boom ${directive}`) }), (err: any) => {
      assert.ok(err instanceof OpenAI.APIError);
      assert.equal(err.status, status);
      if (message) assert.match(err.message, message);
      if (directive.includes('context')) assert.equal(err.code, 'context_length_exceeded');
      return true;
    });
  });
}

test('guardrail: content_filter finish, streamed too', async () => {
  const r = await s.client.chat.completions.create({ model: 'bedrock-claude', messages: user('bad [[fault:content_filter]]') });
  assert.equal(r.choices[0].finish_reason, 'content_filter');
  const stream = await s.client.chat.completions.create({ model: 'bedrock-claude', messages: user('bad [[fault:content_filter]]'), stream: true });
  let finish: string | null = null;
  for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
  assert.equal(finish, 'content_filter');
});

test('in-stream throttlingException ends the stream with an error the SDK raises', async () => {
  const stream = await s.client.chat.completions.create({
    model: 'bedrock-claude', stream: true,
    messages: user('long answer [[fault:stream_error after=3 message="Too many tokens, please wait before trying again."]]'),
  });
  let text = '';
  await assert.rejects(async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  }, (err: any) => {
    assert.match(err.message, /Too many tokens/);
    return true;
  });
  assert.ok(text.length > 0);
});

test('connection errors: a reset socket is a 502; a stream cut mid-message raises in the SDK', async () => {
  await assert.rejects(s.client.chat.completions.create({ model: 'bedrock-claude', messages: user('x [[fault:reset]]') }), (err: any) => err.status === 502);
  const stream = await s.client.chat.completions.create({ model: 'bedrock-claude', messages: user('long answer here [[fault:cut_stream after=3]]'), stream: true });
  await assert.rejects(async () => {
    for await (const _chunk of stream) { /* drain */ }
  });
});

test('a retryable upstream error is retried by the router (num_retries in the body) and then succeeds', async () => {
  const params = { model: 'bedrock-claude', messages: user('again [[fault:rate_limit times=1 id=retry-b]]'), num_retries: 1 } as OpenAI.ChatCompletionCreateParamsNonStreaming;
  const { data, response } = await s.client.chat.completions.create(params).withResponse();
  assert.equal(data.choices[0].message.content, 'Hello! You said: again');
  assert.equal(response.headers.get('x-igw-attempts'), '2');
});

test('GET /health probes Gemini, Vertex and Bedrock deployments (embedding mode probes with an embedding)', async () => {
  const res = await fetch(`${s.gw.url}/health`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
  const body = (await res.json()) as { healthy_endpoints: { model: string }[]; unhealthy_endpoints: { model: string; error_kind?: string }[] };
  const healthy = body.healthy_endpoints.map((e) => e.model).sort();
  for (const m of ['gemini-flash', 'vertex-pro', 'bedrock-claude', 'bedrock-nova-key', 'bedrock-titan']) assert.ok(healthy.includes(m), `${m} healthy`);
  assert.deepEqual(body.unhealthy_endpoints.map((e) => [e.model, e.error_kind]), [['bedrock-bad-secret', 'auth']]);
  assert.ok(s.sim.calls.some((c) => c.path === '/model/amazon.titan-embed-text-v2%3A0/invoke' && c.body.inputText === 'health check'));
});
