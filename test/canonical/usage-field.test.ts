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

test('usageField reads what JSON.parse reads: numbers, nesting, strings, arrays, literals, spacing', () => {
  const usages: unknown[] = [
    { prompt_tokens: 0, completion_tokens: -0, total_tokens: 9007199254740993, cost: 0.00012, scaled: 1.5e-7, big: 2e21, neg: -42 },
    { input_tokens: 7, cache_creation: { ephemeral_5m_input_tokens: 3 }, server_tool_use: null, service_tier: 'standard', is_byok: false, ok: true },
    { prompt_tokens_details: { cached_tokens: 2, audio_tokens: 0 }, list: [1, [2, { a: 'b' }], []], empty: {}, unicode: 'café ✓' },
  ];
  for (const usage of usages) {
    for (const text of [JSON.stringify({ id: 'x', usage }), JSON.stringify({ id: 'x', usage, tail: 1 }, null, 2), `{"usage" :\r\n\t${JSON.stringify(usage)} }`]) {
      assert.deepEqual(usageField(b(text)), JSON.parse(text).usage, text);
    }
  }
  assert.equal(usageField(b('{"usage": 12}')), 12);
  // Read in place: what follows the value (here not JSON at all) is never parsed.
  assert.deepEqual(usageField(b('{"choices":[]…, "usage": {"prompt_tokens": 3, "x": [1.5, "s", null, true]} trailing')), { prompt_tokens: 3, x: [1.5, 's', null, true] });
  assert.equal(usageField(b('{"usage": "n/a"}')), 'n/a');
});

test('usageField leaves escapes and keys it cannot set to JSON.parse', () => {
  const escaped = '{"usage":{"note":"tab\\there \\u00e9","prompt_tokens":1}}';
  assert.deepEqual(usageField(b(escaped)), { note: 'tab\there é', prompt_tokens: 1 });
  const proto = usageField(b('{"usage":{"__proto__":{"polluted":1},"prompt_tokens":1}}')) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  assert.deepEqual(Object.keys(proto), ['__proto__', 'prompt_tokens']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('usageField: malformed usage values are not read as numbers', () => {
  for (const bad of ['{"usage":{"a":01}}', '{"usage":{"a":1.}}', '{"usage":{"a":1e}}', '{"usage":{"a":-}}', '{"usage":{"a":.5}}', '{"usage":{"a":1,}}', '{"usage":{"a" 1}}', '{"usage":{"a":nul}}']) {
    assert.equal(usageField(b(bad)), undefined, bad);
  }
});
