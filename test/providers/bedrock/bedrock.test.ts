// Golden tests of the Bedrock adapter on wire fixtures (test/fixtures/bedrock; the .bin event streams are
// built by build-event-streams.ts): canonical → exact Converse body, responses and event-stream bytes →
// exact canonical output at every chunk boundary, error mapping, embeddings, credentials and SigV4.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ChatRequest, StreamEvent } from '../../../src/canonical/index.ts';
import { bedrockTarget, createBedrockUpstream, encodeEventMessage } from '../../../src/providers/bedrock/index.ts';
import { resolveBedrockAuth, signRequest } from '../../../src/providers/bedrock/bedrock-auth.ts';
import { toolUseId } from '../../../src/providers/bedrock/to-bedrock-messages.ts';
import type { ProviderSettings } from '../../../src/providers/index.ts';
import { assertSameAtEveryBoundary, decodeIn } from '../stream-helpers.ts';

const dir = new URL('../../fixtures/bedrock/', import.meta.url);
const json = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

const settings = (more: Partial<ProviderSettings> = {}): ProviderSettings => ({ prefix: 'bedrock', upstreamModel: MODEL, params: {}, env: {}, ...more });
const target = (more: Partial<ProviderSettings> = {}) => bedrockTarget(settings(more), 'us-east-1');
const chat = (messages: ChatRequest['messages'], more: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'b', stream: false, messages, ...more });
const userText = (text: string): ChatRequest['messages'] => [{ role: 'user', content: [{ type: 'text', text }] }];
const body = (req: ChatRequest, t = target()) => JSON.parse(t.buildFromCanonical(req, { stream: false }).request.body!);

/** Stream ids are random: replace them for comparison. */
const withIds = (events: unknown[]) => events.map((e: any) => (e.type === 'start' ? { ...e, id: '<id>' } : e));

test('request: the whole conversation → the exact Converse body', () => {
  const f = json('converse-request.json');
  const digest = toolUseId('call_r1_0__thought__c2ln+/=');
  assert.match(digest, /^tooluse_[A-Za-z0-9_-]{43}$/);
  const expected = JSON.parse(JSON.stringify(f.expected).replaceAll('<digest>', digest));
  const built = target().buildFromCanonical(f.canonical, { stream: false });
  assert.deepEqual(JSON.parse(built.request.body!), expected);
  assert.equal(built.request.url, 'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse');
  assert.equal(built.request.headers.authorization, undefined, 'signing is the transport\'s job');
  assert.deepEqual(built.warnings, []);
});

test('request: stream URL and accept header; endpoint override; ARNs are encoded', () => {
  const t = target({ upstreamModel: 'arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude', apiBase: 'http://127.0.0.1:9/' });
  const { request } = t.buildFromCanonical(chat(userText('hi'), { stream: true }), { stream: true });
  assert.equal(request.url, 'http://127.0.0.1:9/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fus.anthropic.claude/converse-stream');
  assert.equal(request.headers.accept, 'application/vnd.amazon.eventstream');
});

test('request: response_format becomes a forced tool; the response turns it back into text', () => {
  const t = target();
  const built = t.buildFromCanonical(chat(userText('x'), { responseFormat: { type: 'json_schema', name: 'w', schema: { type: 'object', properties: { a: { type: 'string' } } } } }), { stream: false });
  const b = JSON.parse(built.request.body!);
  assert.deepEqual(b.toolConfig, {
    tools: [{ toolSpec: { name: 'json_response', description: 'Respond with the JSON result by calling this tool.', inputSchema: { json: { type: 'object', properties: { a: { type: 'string' } } } } } }],
    toolChoice: { tool: { name: 'json_response' } },
  });
  assert.deepEqual(built.hints, { structuredOutputTool: 'json_response' });
  const raw = JSON.stringify({ output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'json_response', input: { a: 'b' } } }] } }, stopReason: 'tool_use', usage: { inputTokens: 1, outputTokens: 2 } });
  const r = t.responseToCanonical(raw, built.hints);
  assert.deepEqual(r.content, [{ type: 'text', text: '{"a":"b"}' }]);
  assert.deepEqual(r.finishReason, { unified: 'stop', raw: 'tool_use' });
});

test('request: tool_choice none, history tools without definitions, refusals', () => {
  const tools: ChatRequest['tools'] = [{ type: 'function', name: 'f', parameters: { type: 'object' } }];
  assert.equal(body(chat(userText('x'), { tools, toolChoice: { type: 'none' } })).toolConfig, undefined);
  const history: ChatRequest['messages'] = [
    ...userText('x'),
    { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: '{}' }] },
    { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', content: 'r' }] },
  ];
  assert.deepEqual(body(chat(history)).toolConfig, { tools: [{ toolSpec: { name: 'lookup', description: 'A tool used earlier in this conversation.', inputSchema: { json: { type: 'object' } } } }] });
  const none = target().buildFromCanonical(chat(history, { tools, toolChoice: { type: 'none' } }), { stream: false });
  assert.equal(none.warnings.length, 1);
  const refuse = (req: ChatRequest, param: string) => assert.throws(() => body(req), { status: 400, param });
  refuse(chat([{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] }]), 'messages[0].content[0]');
  refuse(chat([{ role: 'user', content: [{ type: 'audio', data: 'AA==', format: 'wav' }] }]), 'messages[0].content[0]');
  refuse(chat(userText('x'), { reasoning: { effort: 'high' }, maxTokens: 100 }), 'max_tokens');
});

test('request: reasoning only for Claude; other models refuse it', () => {
  const nova = target({ upstreamModel: 'amazon.nova-pro-v1:0' });
  assert.throws(() => body(chat(userText('x'), { reasoning: { effort: 'low' } }), nova), { status: 400, param: 'reasoning_effort' });
  assert.deepEqual(body(chat(userText('x'), { reasoning: { effort: 'low' } })).inferenceConfig, { maxTokens: 2048 + 4096 });
});

for (const name of ['converse-response-tools.json', 'converse-response-guardrail.json']) {
  test(`response: ${name} → canonical`, () => {
    const f = json(name);
    const raw = JSON.stringify(f.body);
    const out = target().responseToCanonical(raw, {});
    assert.match(out.id, /^msg_bdrk_[0-9a-f]{24}$/);
    assert.equal(out.id, target().responseToCanonical(raw, {}).id, 'stable id for the same body');
    const { id: _id, created: _created, ...rest } = out;
    assert.deepEqual(JSON.parse(JSON.stringify(rest)), f.canonical);
  });
}

for (const name of ['stream-text', 'stream-tools']) {
  test(`stream: ${name}.bin → canonical events at every chunk boundary`, () => {
    const make = () => target().createStreamDecoder({});
    const expected = json(`${name}.events.json`);
    assert.deepEqual(withIds(decodeIn(make, [bytes(`${name}.bin`)])), expected);
    const idFree = () => {
      const d = make();
      return { push: (c: Uint8Array) => d.push(c).map(fixId), end: () => d.end().map(fixId) };
    };
    assertSameAtEveryBoundary(idFree, bytes(`${name}.bin`), expected);
  });
}

function fixId(e: StreamEvent): StreamEvent {
  return e.type === 'start' ? { ...e, id: '<id>' } : e;
}

test('stream: a throttlingException message ends the stream with a rate-limit error', () => {
  const events = decodeIn(() => target().createStreamDecoder({}), [bytes('stream-exception.bin')]);
  assert.deepEqual(events.slice(1), [
    { type: 'block_start', index: 0, block: { kind: 'text' } },
    { type: 'text_delta', index: 0, text: 'Par' },
    { type: 'error', status: 429, kind: 'rate_limit', code: 'rate_limit_exceeded' },
  ]);
});

test('stream: cut mid-message, and a corrupted CRC, are errors', () => {
  const b = bytes('stream-text.bin');
  assert.deepEqual(decodeIn(() => target().createStreamDecoder({}), [b.subarray(0, b.length - 10)]).at(-1),
    { type: 'error', status: 502, kind: 'connection', code: 'upstream_stream_incomplete' });
  const bad = new Uint8Array(b);
  bad[40] ^= 0xff;
  assert.deepEqual(decodeIn(() => target().createStreamDecoder({}), [bad]).at(-1), { type: 'error', status: 502, kind: 'server', code: 'bad_upstream_stream' });
});

test('event-stream codec: the reference example encodes to the verified prelude', () => {
  const msg = encodeEventMessage(
    { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' },
    new TextEncoder().encode('{"contentBlockIndex":0,"delta":{"text":"Hi"}}'),
  );
  assert.equal(msg.length, 148);
  assert.equal(Buffer.from(msg.subarray(0, 12)).toString('hex'), '0000009400000057b4ab9aee');
});

for (const e of json('errors.json') as any[]) {
  test(`error: ${e.name}`, () => {
    const raw = typeof e.body === 'string' ? e.body : JSON.stringify(e.body);
    const err = target().mapError(e.status, raw, e.headers);
    assert.deepEqual({ status: err.status, kind: err.kind, code: err.code, headers: err.headers }, e.expected);
    assert.match(err.message, /^Bedrock: /);
  });
}

test('embeddings: Titan is one InvokeModel per input; Cohere batches; OpenAI list back', () => {
  const titan = target({ upstreamModel: 'amazon.titan-embed-text-v2:0' }).translateEmbeddings!({ model: 'e', input: ['a', 'bb'], dimensions: 256 });
  assert.deepEqual(titan.requests.map((r) => [r.url, JSON.parse(r.body!)]), [
    ['https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'a', dimensions: 256, normalize: true }],
    ['https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'bb', dimensions: 256, normalize: true }],
  ]);
  assert.deepEqual(titan.toOpenAI(['{"embedding":[1,0],"inputTextTokenCount":1}', '{"embedding":[0,1],"inputTextTokenCount":2}']), {
    object: 'list', model: 'amazon.titan-embed-text-v2:0', usage: { prompt_tokens: 3, total_tokens: 3 },
    data: [{ object: 'embedding', index: 0, embedding: [1, 0] }, { object: 'embedding', index: 1, embedding: [0, 1] }],
  });
  const cohere = target({ upstreamModel: 'cohere.embed-english-v3' }).translateEmbeddings!({ model: 'e', input: Array.from({ length: 100 }, (_, i) => `t${i}`) });
  assert.equal(cohere.requests.length, 2);
  assert.deepEqual(Object.keys(JSON.parse(cohere.requests[0].body!)), ['texts', 'input_type', 'embedding_types']);
  const vec = (n: number) => JSON.stringify({ embeddings: { float: Array.from({ length: n }, () => [0.5]) }, response_type: 'embeddings_by_type' });
  assert.equal(cohere.toOpenAI([vec(96), vec(4)]).data.length, 100);
  assert.throws(() => target().translateEmbeddings!({ model: 'e', input: 'x' }), { status: 400, param: 'model' });
});

test('credentials: api_key → bearer; explicit keys beat the environment; env bearer beats env keys; none → error', () => {
  const env = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_BEARER_TOKEN_BEDROCK: 'ABSKenv' };
  assert.deepEqual(resolveBedrockAuth(settings({ params: { api_key: 'ABSKparam' }, env })), { kind: 'bearer', token: 'ABSKparam' });
  assert.deepEqual(resolveBedrockAuth(settings({ params: { aws_access_key_id: 'AKID', aws_secret_access_key: 's', aws_session_token: 'tok' }, env })),
    { kind: 'sigv4', accessKeyId: 'AKID', secretAccessKey: 's', sessionToken: 'tok' });
  assert.deepEqual(resolveBedrockAuth(settings({ env })), { kind: 'bearer', token: 'ABSKenv' });
  assert.deepEqual(resolveBedrockAuth(settings({ env: { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B' } })), { kind: 'sigv4', accessKeyId: 'A', secretAccessKey: 'B' });
  assert.throws(() => resolveBedrockAuth(settings()), { code: 'missing_aws_credentials' });
  assert.throws(() => createBedrockUpstream(settings({ params: { api_key: 'k' } })), { code: 'missing_aws_region' });
  assert.doesNotThrow(() => createBedrockUpstream(settings({ params: { api_key: 'k' }, env: { AWS_DEFAULT_REGION: 'eu-west-1' } })));
});

test('SigV4: header shape, double-encoded canonical URI, session token, and the signature recomputes', async () => {
  const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-tok' };
  const signer = new SignatureV4({ service: 'bedrock', region: 'us-west-2', sha256: Hash.bind(null, 'sha256'), credentials: creds });
  const { request } = bedrockTarget(settings(), 'us-west-2').buildFromCanonical(chat(userText('hi')), { stream: false });
  const date = new Date('2026-11-24T12:00:00Z');
  const signed = await signRequest(signer, request, date);
  const h = signed.headers;
  assert.equal(h['x-amz-date'], '20261124T120000Z');
  assert.equal(h['x-amz-security-token'], 'session-tok');
  assert.equal(h.host, 'bedrock-runtime.us-west-2.amazonaws.com');
  assert.match(h.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261124\/us-west-2\/bedrock\/aws4_request, SignedHeaders=([a-z0-9-]+;)*[a-z0-9-]+, Signature=[0-9a-f]{64}$/);
  assert.match(h.authorization, /SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/);
  // The same request signed again (fresh signer, same clock) gives the same signature; a changed body does not.
  const again = await signRequest(new SignatureV4({ service: 'bedrock', region: 'us-west-2', sha256: Hash.bind(null, 'sha256'), credentials: creds }), request, date);
  assert.equal(again.headers.authorization, h.authorization);
  const tampered = await signRequest(signer, { ...request, body: request.body + ' ' }, date);
  assert.notEqual(tampered.headers.authorization, h.authorization);
  // Non-S3 services sign the path URI-encoded twice (`%3A` → `%253A`, reference §6.1): turning that off
  // for a model id with `:` changes the signature.
  const single = new SignatureV4({ service: 'bedrock', region: 'us-west-2', sha256: Hash.bind(null, 'sha256'), credentials: creds, uriEscapePath: false });
  assert.notEqual((await signRequest(single, request, date)).headers.authorization, h.authorization);
});
