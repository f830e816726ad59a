// The official @anthropic-ai/sdk client through igw's /v1/messages to the Gemini, Vertex AI and Bedrock
// simulators: plain messages, streams, two-turn tool use (Gemini 3 thought signatures included), images and
// errors in Anthropic's envelope.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { PNG_DATA_URL, startCloudStack, type CloudStack } from './cloud-stack.ts';

let s: CloudStack;
before(async () => {
  s = await startCloudStack();
});
after(() => s.close());
beforeEach(() => s.sim.reset());

const weather: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

for (const model of ['gemini-flash', 'vertex-pro', 'bedrock-claude']) {
  test(`${model}: messages.create with a system prompt`, async () => {
    const m = await s.anthropic.messages.create({ model, max_tokens: 200, system: 'Be brief.', messages: [{ role: 'user', content: 'hi there' }] });
    assert.equal(m.type, 'message');
    assert.equal(m.role, 'assistant');
    assert.deepEqual(m.content.map((c) => c.type), ['text']);
    assert.equal((m.content[0] as Anthropic.TextBlock).text, 'Hello! You said: hi there');
    assert.equal(m.stop_reason, 'end_turn');
    assert.ok(m.usage.input_tokens > 0 && m.usage.output_tokens > 0);
  });

  test(`${model}: messages.stream yields text deltas and the final message`, async () => {
    const stream = s.anthropic.messages.stream({ model, max_tokens: 200, messages: [{ role: 'user', content: 'stream this please' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    assert.equal(deltas.join(''), 'Hello! You said: stream this please');
    assert.ok(deltas.length > 3);
    assert.equal((final.content[0] as Anthropic.TextBlock).text, 'Hello! You said: stream this please');
    assert.equal(final.stop_reason, 'end_turn');
  });

  test(`${model}: two-turn tool use, streamed input parsed by the SDK`, async () => {
    const upstream = model === 'gemini-flash' ? 'gemini-3' : model; // Gemini 3 also checks the thought signature
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris? [[args:{"city":"Paris"}]]' }];
    const first = await s.anthropic.messages.stream({ model: upstream, max_tokens: 300, tools: [weather], messages }).finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    const use = first.content.find((c): c is Anthropic.ToolUseBlock => c.type === 'tool_use')!;
    assert.equal(use.name, 'get_weather');
    assert.deepEqual(use.input, { city: 'Paris' });
    assert.match(use.id, /^[A-Za-z0-9_-]+$/);
    messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18C' }] });
    const second = await s.anthropic.messages.create({ model: upstream, max_tokens: 300, tools: [weather], messages });
    assert.match((second.content[0] as Anthropic.TextBlock).text, /^Tool result received: .*18C/);
  });
}

test('image block (base64) reaches Gemini as inlineData and Bedrock as image bytes', async () => {
  const data = PNG_DATA_URL.split(',')[1];
  const content: Anthropic.ContentBlockParam[] = [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data } }, { type: 'text', text: 'What is this?' }];
  for (const model of ['gemini-flash', 'bedrock-claude']) {
    const m = await s.anthropic.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content }] });
    assert.equal((m.content[0] as Anthropic.TextBlock).text, 'Hello! You said: What is this?');
  }
  const [g, b] = s.sim.calls;
  assert.deepEqual(g.body.contents[0].parts[0], { inlineData: { mimeType: 'image/png', data } });
  assert.deepEqual(b.body.messages[0].content[0], { image: { format: 'png', source: { bytes: data } } });
});

const ERRORS: [string, number, string][] = [
  ['[[fault:rate_limit]]', 429, 'rate_limit_error'],
  ['[[fault:invalid_key]]', 401, 'authentication_error'],
  ['[[fault:model_not_found]]', 404, 'not_found_error'],
  ['[[fault:context_length]]', 400, 'invalid_request_error'],
  ['[[fault:server_error]]', 500, 'api_error'],
];

for (const model of ['gemini-flash', 'bedrock-claude']) {
  for (const [directive, status, type] of ERRORS) {
    test(`${model}: ${directive} → Anthropic ${status} ${type}`, async () => {
      await assert.rejects(s.anthropic.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: `x ${directive}` }] }), (err: any) => {
        assert.ok(err instanceof Anthropic.APIError);
        assert.equal(err.status, status);
        assert.equal(err.error?.error?.type, type);
        return true;
      });
    });
  }

  test(`${model}: overloaded upstream → a retryable 5xx in Anthropic's envelope`, async () => {
    await assert.rejects(s.anthropic.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'x [[fault:server_error status=503]]' }] }), (err: any) => {
      assert.ok(err.status === 529 || err.status === 503, `status ${err.status}`);
      assert.equal(err.error?.error?.type, 'overloaded_error');
      return true;
    });
  });
}
