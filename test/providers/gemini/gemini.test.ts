// Golden tests of the Gemini adapter on recorded wire fixtures (test/fixtures/gemini): canonical request →
// exact upstream body; upstream bodies and stream bytes → exact canonical output, at every chunk boundary.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ChatRequest } from '../../../src/canonical/index.ts';
import { geminiTarget } from '../../../src/providers/gemini/index.ts';
import { assertSameAtEveryBoundary, decodeIn } from '../stream-helpers.ts';

const dir = new URL('../../fixtures/gemini/', import.meta.url);
const json = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

const target = (model = 'gemini-2.5-flash', extra: Record<string, unknown> = {}) =>
  geminiTarget({ prefix: 'gemini', upstreamModel: model, apiKey: 'AIza-test', ...extra });

const chat = (messages: ChatRequest['messages'], more: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'g', stream: false, messages, ...more });
const userText = (text: string): ChatRequest['messages'] => [{ role: 'user', content: [{ type: 'text', text }] }];

test('request: everything a chat can carry → the exact generateContent body', () => {
  const f = json('request-full.json');
  const built = target(f.upstreamModel).buildFromCanonical(f.canonical, { stream: false });
  assert.deepEqual(JSON.parse(built.request.body!), f.expected);
  assert.equal(built.request.url, 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
  assert.equal(built.request.headers['x-goog-api-key'], 'AIza-test');
  assert.deepEqual(built.warnings, []);
});

test('request: streaming URL, api_base override, no key in the URL', () => {
  const t = target('gemini-2.5-pro', { apiBase: 'http://127.0.0.1:9/v1beta/' });
  const { request } = t.buildFromCanonical(chat(userText('hi'), { stream: true }), { stream: true });
  assert.equal(request.url, 'http://127.0.0.1:9/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
  assert.deepEqual(JSON.parse(request.body!), { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
});

test('request: reasoning effort → thinkingBudget on 2.x, thinkingLevel on Gemini 3, off where allowed', () => {
  const thinking = (model: string, reasoning: ChatRequest['reasoning']) =>
    JSON.parse(target(model).buildFromCanonical(chat(userText('x'), { reasoning }), { stream: false }).request.body!).generationConfig.thinkingConfig;
  assert.deepEqual(thinking('gemini-2.5-flash', { effort: 'high' }), { thinkingBudget: 24576, includeThoughts: true });
  assert.deepEqual(thinking('gemini-2.5-flash', { effort: 'none' }), { thinkingBudget: 0 });
  assert.deepEqual(thinking('gemini-2.5-flash', { mode: 'enabled', budgetTokens: 2048 }), { thinkingBudget: 2048, includeThoughts: true });
  assert.deepEqual(thinking('gemini-3-pro-preview', { effort: 'medium' }), { thinkingLevel: 'MEDIUM', includeThoughts: true });
  assert.throws(() => thinking('gemini-3-pro-preview', { effort: 'none' }), { status: 400, param: 'reasoning_effort' });
});

test('request: tool choices, json_object, audio and PDF input', () => {
  const body = (more: Partial<ChatRequest>, messages = userText('x')) =>
    JSON.parse(target().buildFromCanonical(chat(messages, more), { stream: false }).request.body!);
  const tools: ChatRequest['tools'] = [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }];
  assert.deepEqual(body({ tools, toolChoice: { type: 'auto' } }).toolConfig, { functionCallingConfig: { mode: 'AUTO' } });
  assert.deepEqual(body({ tools, toolChoice: { type: 'none' } }).toolConfig, { functionCallingConfig: { mode: 'NONE' } });
  assert.deepEqual(body({ tools, toolChoice: { type: 'required' } }).toolConfig, { functionCallingConfig: { mode: 'ANY' } });
  assert.deepEqual(body({ responseFormat: { type: 'json_object' } }).generationConfig, { responseMimeType: 'application/json' });
  const media = body({}, [{ role: 'user', content: [
    { type: 'audio', data: 'UklGRg==', format: 'wav' },
    { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } },
  ] }]);
  assert.deepEqual(media.contents[0].parts, [
    { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
    { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
  ]);
});

test('request: refusals name the field (provider tools, orphan tool results, bad replayed arguments)', () => {
  const build = (req: ChatRequest) => target().buildFromCanonical(req, { stream: false });
  assert.throws(() => build(chat(userText('x'), { tools: [{ type: 'provider', dialect: 'anthropic-messages', definition: { type: 'web_search_20250305' } }] })),
    { status: 400, param: 'tools[0]' });
  assert.throws(() => build(chat([{ role: 'tool', content: [{ type: 'tool_result', toolCallId: 'nope', content: 'r' }] }])),
    { status: 400, param: 'messages[0].content[0]' });
  assert.throws(() => build(chat([{ role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '{bad' }] }])),
    { status: 400, param: 'messages[0].tool_calls' });
});

for (const name of ['response-tools.json', 'response-blocked.json', 'response-max-tokens.json']) {
  test(`response: ${name} → canonical`, () => {
    const f = json(name);
    const out = target().responseToCanonical(JSON.stringify(f.body), {});
    assert.equal(typeof out.created, 'number');
    const { created: _created, ...rest } = out;
    assert.deepEqual(JSON.parse(JSON.stringify(rest)), f.canonical);
  });
}

test('response: the signed tool-call id restores the signature on the next turn', () => {
  const f = json('response-tools.json');
  const resp = target().responseToCanonical(JSON.stringify(f.body), {});
  // An OpenAI client keeps only id, name and arguments.
  const calls = resp.content.filter((p) => p.type === 'tool_call').map((p) => ({ ...p, providerData: undefined }));
  const req = chat([
    ...userText('go'),
    { role: 'assistant', content: calls },
    { role: 'tool', content: calls.map((c) => ({ type: 'tool_result' as const, toolCallId: c.id, content: 'ok' })) },
  ]);
  const body = JSON.parse(target().buildFromCanonical(req, { stream: false }).request.body!);
  assert.deepEqual(body.contents[1].parts, [
    { functionCall: { id: 'call_resp42_0', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnLW9uZQ==' },
    { functionCall: { id: 'fc_9', name: 'get_time', args: {} } },
  ]);
  assert.deepEqual(body.contents[2].parts.map((p: any) => p.functionResponse.id), ['call_resp42_0', 'fc_9']);
});

for (const name of ['stream-text', 'stream-tools']) {
  test(`stream: ${name}.sse → canonical events at every chunk boundary`, () => {
    assertSameAtEveryBoundary(() => target().createStreamDecoder({}), bytes(`${name}.sse`), json(`${name}.events.json`));
  });
}

test('stream: an error event mid-stream ends with a classified error', () => {
  const events = decodeIn(() => target().createStreamDecoder({}), [bytes('stream-error.sse')]);
  assert.deepEqual(events.slice(-1), [{ type: 'error', status: 503, kind: 'overloaded', code: 'UNAVAILABLE' }]);
  assert.deepEqual(events[2], { type: 'text_delta', index: 0, text: 'Par' });
});

test('stream: a body cut before finishReason is an incomplete-stream error, not a clean end', () => {
  const cut = bytes('stream-text.sse').subarray(0, 200);
  const events = decodeIn(() => target().createStreamDecoder({}), [cut]);
  assert.deepEqual(events.at(-1), { type: 'error', status: 502, kind: 'connection', code: 'upstream_stream_incomplete' });
});

for (const e of json('errors.json') as any[]) {
  test(`error: ${e.name}`, () => {
    const raw = typeof e.body === 'string' ? e.body : JSON.stringify(e.body);
    const err = target().mapError(e.status, raw, {});
    assert.deepEqual({ status: err.status, kind: err.kind, code: err.code, headers: err.headers }, e.expected);
    assert.match(err.message, /^Gemini: /);
  });
}

test('embeddings: one string → embedContent, a list → batchEmbedContents, vectors back in order', () => {
  const t = target('gemini-embedding-001');
  const one = t.translateEmbeddings!({ model: 'e', input: 'hello', dimensions: 3 });
  assert.equal(one.requests[0].url, 'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent');
  assert.deepEqual(JSON.parse(one.requests[0].body!), { content: { parts: [{ text: 'hello' }] }, outputDimensionality: 3 });
  assert.deepEqual(one.toOpenAI(['{"embedding":{"values":[0.1,0.2,0.3]}}']), {
    object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }], model: 'gemini-embedding-001',
    usage: { prompt_tokens: 2, total_tokens: 2 },
  });
  const many = t.translateEmbeddings!({ model: 'e', input: ['a', 'b'] });
  assert.match(many.requests[0].url, /:batchEmbedContents$/);
  assert.deepEqual(JSON.parse(many.requests[0].body!), { requests: [
    { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } },
    { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } },
  ] });
  const list = many.toOpenAI(['{"embeddings":[{"values":[1]},{"values":[2]}]}']);
  assert.deepEqual(list.data.map((d) => d.embedding), [[1], [2]]);
  assert.throws(() => t.translateEmbeddings!({ model: 'e', input: [[1, 2]] }), { status: 400, param: 'input' });
  assert.throws(() => many.toOpenAI(['{"embeddings":[{"values":[1]}]}']), { status: 502 });
});
