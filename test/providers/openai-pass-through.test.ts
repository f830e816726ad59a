// The OpenAI pass-through body: the client's text, edited in place when the change allows it, else serialised anew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openAIChatBodyText, splicedOpenAIChatBody } from '../../src/providers/openai/index.ts';

const MESSAGES = [{ role: 'user', content: 'hi' }];

/** Both ways of building the body agree on what they say; the splice keeps the client's text otherwise. */
function build(text: string, upstreamModel: string | undefined, stream = false, quirks = {}): { spliced: string | undefined; fresh: string } {
  const body = JSON.parse(text) as Record<string, unknown>;
  const spliced = splicedOpenAIChatBody(text, body, upstreamModel, stream, quirks);
  const fresh = openAIChatBodyText(body, { stream }, upstreamModel, quirks);
  if (spliced !== undefined) assert.deepEqual(JSON.parse(spliced), JSON.parse(fresh));
  return { spliced, fresh };
}

test('the model as the first key is replaced in the text; the rest is the client text byte for byte', () => {
  const text = '{"model":"alias","messages":[{"role":"user","content":"caf\\u00e9"}],"seed":12345678901234567890}';
  // An escape after the model rules the splice out (a key may hide behind one)...
  assert.equal(build(text, 'gpt-4o').spliced, undefined);
  // ...without one, the client's digits reach the upstream as written (JSON.parse would round them).
  const plain = '{"model":"alias","messages":[{"role":"user","content":"hi"}],"seed":12345678901234567890,"temperature":1.0}';
  const { spliced } = build(plain, 'gpt-4o');
  assert.equal(spliced, '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"seed":12345678901234567890,"temperature":1.0}');
});

test('no upstream model, or the same one: the text goes as it came', () => {
  const text = JSON.stringify({ model: 'gpt-4o', messages: MESSAGES, user: 'u1' });
  assert.equal(build(text, undefined).spliced, text);
  assert.equal(build(text, 'gpt-4o').spliced, text);
});

test('a model key that is not first, duplicated, escaped, or pretty-printed text: serialised anew', () => {
  assert.equal(build(JSON.stringify({ messages: MESSAGES, model: 'alias' }), 'gpt-4o').spliced, undefined);
  // JSON.parse keeps the last duplicate: splicing the first would send the second one upstream.
  assert.equal(build('{"model":"alias","messages":[],"model":"alias"}', 'gpt-4o').spliced, undefined);
  assert.equal(build('{"model":"alias","messages":[],"mod\\u0065l":"alias"}', 'gpt-4o').spliced, undefined);
  assert.equal(build(JSON.stringify({ model: 'alias', messages: MESSAGES }, null, 2), 'gpt-4o').spliced, undefined);
  // A nested "model" key is no duplicate, but the check cannot tell it from one: the safe way is taken.
  const nested = JSON.stringify({ model: 'alias', messages: MESSAGES, metadata: { model: 'x' } });
  const { spliced, fresh } = build(nested, 'gpt-4o');
  assert.equal(spliced, undefined);
  assert.deepEqual(JSON.parse(fresh), { model: 'gpt-4o', messages: MESSAGES, metadata: { model: 'x' } });
});

test('a model with quotes and backslashes is matched as JSON writes it', () => {
  const text = JSON.stringify({ model: 'we"ird\\name', messages: MESSAGES });
  assert.equal(build(text, 'gpt-4o').spliced, JSON.stringify({ model: 'gpt-4o', messages: MESSAGES }));
});

test('streams: stream_options with include_usage is added at the end when the client sent none', () => {
  const text = `${JSON.stringify({ model: 'alias', messages: MESSAGES, stream: true })}\n`;
  assert.equal(build(text, 'gpt-4o', true).spliced, JSON.stringify({ model: 'gpt-4o', messages: MESSAGES, stream: true, stream_options: { include_usage: true } }));
  // The client's own include_usage: nothing to add.
  const asked = JSON.stringify({ model: 'alias', messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
  assert.equal(build(asked, 'alias', true).spliced, asked);
  // Other stream options must be merged: serialised anew, with include_usage added to them.
  const other = JSON.stringify({ model: 'alias', messages: MESSAGES, stream: true, stream_options: { include_obfuscation: false } });
  const { spliced, fresh } = build(other, 'alias', true);
  assert.equal(spliced, undefined);
  assert.deepEqual(JSON.parse(fresh).stream_options, { include_obfuscation: false, include_usage: true });
  // A server that refuses stream_options gets none.
  const plain = JSON.stringify({ model: 'alias', messages: MESSAGES, stream: true });
  assert.equal(build(plain, 'alias', true, { noStreamOptions: true }).spliced, plain);
});

test('a developer message for a server without the developer role: serialised anew, as system', () => {
  const text = JSON.stringify({ model: 'alias', messages: [{ role: 'developer', content: 'be brief' }, ...MESSAGES] });
  const { spliced, fresh } = build(text, 'llama', false, { noDeveloperRole: true });
  assert.equal(spliced, undefined);
  assert.equal(JSON.parse(fresh).messages[0].role, 'system');
  const without = JSON.stringify({ model: 'alias', messages: MESSAGES });
  assert.equal(build(without, 'llama', false, { noDeveloperRole: true }).spliced, JSON.stringify({ model: 'llama', messages: MESSAGES }));
});
