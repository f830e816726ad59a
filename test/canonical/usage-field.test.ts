import assert from 'node:assert/strict';
import { test } from 'node:test';
import { usageField } from '../../src/canonical/index.ts';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

test('usageField reads the usage object of an OpenAI answer', () => {
  const body = {
    id: 'chatcmpl-1',
    choices: [{ index: 0, message: { role: 'assistant', content: 'the "usage": {"prompt_tokens": 99} is text here }{' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 } },
  };
  assert.deepEqual(usageField(b(JSON.stringify(body))), body.usage);
  assert.deepEqual(usageField(b(JSON.stringify(body, null, 2))), body.usage);
});

test('usageField takes the last usage key, after Anthropic tool inputs that hold one', () => {
  const body = {
    content: [{ type: 'tool_use', id: 't', name: 'f', input: { usage: { input_tokens: 1 } } }],
    usage: { input_tokens: 7, output_tokens: 5, cache_read_input_tokens: 0 },
  };
  assert.deepEqual(usageField(b(JSON.stringify(body))), body.usage);
});

test('usageField: no usage, a non-object usage, escaped quotes and broken bodies', () => {
  assert.equal(usageField(b('{"id":"x"}')), undefined);
  assert.equal(usageField(b('{"usage":null}')), null);
  assert.deepEqual(usageField(b('{"usage":{"note":"a \\"}\\" b","prompt_tokens":1}}')), { note: 'a "}" b', prompt_tokens: 1 });
  assert.equal(usageField(b('{"usage":{"prompt_tokens":')), undefined);
  assert.equal(usageField(b('not json "usage" at all')), undefined);
});
