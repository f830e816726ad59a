// Azure OpenAI through igw: classic deployment URLs with api-version and api-key, the /openai/v1 style,
// and Azure's stream quirks (filter-only chunks) hidden from the client.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { SIM_KEY, startStack, user, type Stack } from './stack.ts';

let s: Stack;
before(async () => {
  s = await startStack();
});
after(() => s.close());
beforeEach(() => s.sim.reset());

test('classic: deployment URL, api-version query, api-key header', async () => {
  const r = await s.client.chat.completions.create({ model: 'azure-gpt', messages: user('azure') });
  assert.equal(r.choices[0].message.content, 'Hello! You said: azure');
  const call = s.sim.calls[0];
  assert.equal(call.path, '/openai/deployments/dep1/chat/completions');
  assert.equal(call.query['api-version'], '2024-10-21');
  assert.equal(call.headers['api-key'], SIM_KEY);
  assert.equal(call.headers.authorization, undefined);
});

test('v1 style: /openai/v1/chat/completions with the deployment as model', async () => {
  await s.client.chat.completions.create({ model: 'azure-v1', messages: user('v1') });
  const call = s.sim.calls[0];
  assert.equal(call.path, '/openai/v1/chat/completions');
  assert.equal(call.body.model, 'dep2');
});

test('stream: filter-only chunks are dropped, the stream helper accepts the result', async () => {
  const stream = await s.client.chat.completions.create({ model: 'azure-gpt', messages: user('filters'), stream: true });
  let text = '';
  for await (const chunk of stream) {
    assert.ok(chunk.choices.length > 0, 'no choices:[] chunk reaches the client');
    assert.ok(chunk.choices[0].delta, 'every choice has a delta');
    text += chunk.choices[0].delta.content ?? '';
  }
  assert.equal(text, 'Hello! You said: filters');
  const done = await s.client.chat.completions.stream({ model: 'azure-gpt', messages: user('helper') }).finalChatCompletion();
  assert.equal(done.choices[0].message.content, 'Hello! You said: helper');
});

test('embeddings on Azure, base64 by default', async () => {
  const r = await s.client.embeddings.create({ model: 'azure-gpt', input: 'vector' });
  assert.equal(s.sim.calls[0].path, '/openai/deployments/dep1/embeddings');
  assert.ok(r.data[0].embedding.length > 0);
});
