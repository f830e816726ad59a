// Golden response tests (reference §3.3, §4.3–§4.5): the recorded Anthropic body → exact canonical response →
// exact OpenAI body; stop reasons and usage both ways, unknown values kept raw.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fromAnthropicResponse, fromAnthropicStopReason, fromAnthropicUsage, toAnthropicStopReason, toAnthropicUsage } from '../../../src/providers/index.ts';
import { renderAnthropicResponse } from '../../../src/server/anthropic/render-anthropic-response.ts';
import { renderOpenAIResponse } from '../../../src/server/openai/render-openai-response.ts';

const text = (p: string): string => readFileSync(new URL(`../../fixtures/anthropic/${p}`, import.meta.url), 'utf8');

test('response-tool-use.json → canonical → OpenAI chat.completion', () => {
  const canonical = { ...fromAnthropicResponse(text('response-tool-use.json'), {}), created: 1700000000 };
  assert.deepEqual(canonical, JSON.parse(text('response-tool-use.canonical.json')));
  assert.deepEqual(JSON.parse(renderOpenAIResponse(canonical)), JSON.parse(text('response-tool-use.openai.json')));
});

test('canonical → Anthropic message keeps ids, blocks, stop reason and usage', () => {
  const canonical = JSON.parse(text('response-tool-use.canonical.json'));
  assert.deepEqual(JSON.parse(renderAnthropicResponse(canonical)), {
    id: 'msg_01Aq9w938a90dw8q',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [
      { type: 'text', text: "I'll check." },
      { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { city: 'Paris' } },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  });
});

test('the forced structured-output tool comes back as text with finish stop', () => {
  const r = fromAnthropicResponse(text('response-tool-use.json').replace('"name":"get_weather"', '"name":"city"'), { structuredOutputTool: 'city' });
  assert.deepEqual(r.content, [{ type: 'text', text: "I'll check." }, { type: 'text', text: '{"city":"Paris"}' }]);
  assert.deepEqual(r.finishReason, { unified: 'stop', raw: 'tool_use' });
});

test('thinking and redacted thinking become reasoning parts with their signature', () => {
  const body = JSON.stringify({
    id: 'msg_t', model: 'c', stop_reason: 'end_turn',
    content: [{ type: 'thinking', thinking: 'Hmm.', signature: 'sig1' }, { type: 'redacted_thinking', data: 'xyz' }, { type: 'text', text: 'Done.' }],
    usage: { input_tokens: 5, output_tokens: 9, output_tokens_details: { thinking_tokens: 4 } },
  });
  const r = fromAnthropicResponse(body, {});
  assert.deepEqual(r.content, [{ type: 'reasoning', text: 'Hmm.', signature: 'sig1' }, { type: 'redacted_reasoning', data: 'xyz' }, { type: 'text', text: 'Done.' }]);
  assert.deepEqual(r.usage, { inputTokens: 5, outputTokens: 9, reasoningTokens: 4 });
  const openai = JSON.parse(renderOpenAIResponse(r)).choices[0].message;
  assert.equal(openai.reasoning_content, 'Hmm.');
  assert.deepEqual(openai.thinking_blocks, [{ type: 'thinking', thinking: 'Hmm.', signature: 'sig1' }, { type: 'redacted_thinking', data: 'xyz' }]);
  assert.equal(openai.content, 'Done.');
});

test('stop reasons both ways (§4.4); unknown values are `other` with the raw text, never silently `stop`', () => {
  const table: [string, string, string][] = [
    ['end_turn', 'stop', 'end_turn'],
    ['stop_sequence', 'stop', 'stop_sequence'],
    ['pause_turn', 'stop', 'pause_turn'],
    ['max_tokens', 'length', 'max_tokens'],
    ['model_context_window_exceeded', 'length', 'model_context_window_exceeded'],
    ['tool_use', 'tool_calls', 'tool_use'],
    ['refusal', 'content_filter', 'refusal'],
  ];
  for (const [raw, unified, back] of table) {
    const r = fromAnthropicStopReason(raw);
    assert.deepEqual(r, { unified, raw });
    assert.equal(toAnthropicStopReason(r), back);
  }
  assert.deepEqual(fromAnthropicStopReason('brand_new_reason'), { unified: 'other', raw: 'brand_new_reason' });
  assert.equal(toAnthropicStopReason({ unified: 'length', raw: 'length' }), 'max_tokens');
  assert.equal(toAnthropicStopReason({ unified: 'stop', raw: 'stop' }, 'END'), 'stop_sequence');
  assert.equal(toAnthropicStopReason({ unified: 'content_filter', raw: 'SAFETY' }), 'refusal');
});

test('usage (§4.5): Anthropic input excludes cache tokens, canonical includes them; round trip exact', () => {
  const wire = { input_tokens: 10, cache_creation_input_tokens: 200, cache_read_input_tokens: 3000, output_tokens: 50 };
  const u = fromAnthropicUsage(wire);
  assert.deepEqual(u, { inputTokens: 3210, outputTokens: 50, cacheReadTokens: 3000, cacheWriteTokens: 200 });
  assert.deepEqual(toAnthropicUsage(u!), wire);
});
