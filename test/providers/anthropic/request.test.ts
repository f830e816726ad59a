// Golden request tests (reference §3.2, §4.1): an OpenAI request, through the canonical form, must build
// exactly the expected Anthropic body, warnings and decode hints; a canonical request with features OpenAI
// cannot express must build exactly its body too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ChatRequest } from '../../../src/canonical/index.ts';
import { toAnthropicRequest } from '../../../src/providers/index.ts';
import { parseOpenAIRequest } from '../../../src/server/openai/parse-openai-request.ts';

interface RequestFixture {
  openai?: Record<string, unknown>;
  canonical?: ChatRequest;
  anthropic: Record<string, unknown>;
  warnings: string[];
  hints?: Record<string, unknown>;
}

const load = (name: string): RequestFixture => JSON.parse(readFileSync(new URL(`../../fixtures/anthropic/${name}.json`, import.meta.url), 'utf8'));

for (const name of ['request-tools-history', 'request-json-schema', 'request-reasoning-cache', 'request-canonical']) {
  test(`${name}.json: exact Anthropic body`, () => {
    const f = load(name);
    const canonical = f.canonical ?? parseOpenAIRequest(f.openai!);
    const built = toAnthropicRequest(canonical, { upstreamModel: 'claude-sonnet-4-5', stream: canonical.stream });
    assert.deepEqual(built.body, f.anthropic);
    assert.equal(JSON.stringify(built.body), JSON.stringify(f.anthropic), 'same key order as the fixture');
    assert.deepEqual(built.warnings, f.warnings);
    assert.deepEqual(built.hints, f.hints ?? {});
  });
}

test('the tool name of an OpenAI tool message is looked up from the call (Gemini needs it)', () => {
  const f = load('request-tools-history');
  const tool = parseOpenAIRequest(f.openai!).messages.find((m) => m.role === 'tool');
  assert.ok(tool && tool.role === 'tool');
  assert.deepEqual(tool.content.map((r) => [r.toolCallId, r.toolName]), [['call_1', 'get_weather'], ['call_2', 'get_weather']]);
});

test('thinking budget versus max_tokens: raised when igw chose the cap, lowered or dropped when the client did', () => {
  const base: ChatRequest = { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] };
  const o = { upstreamModel: 'c', stream: false };
  const own = toAnthropicRequest({ ...base, reasoning: { effort: 'medium' } }, { ...o, defaultMaxTokens: 2000 });
  assert.equal(own.body.max_tokens, 6096);
  assert.deepEqual(own.body.thinking, { type: 'enabled', budget_tokens: 4096 });
  const lowered = toAnthropicRequest({ ...base, maxTokens: 3000, reasoning: { effort: 'medium' } }, o);
  assert.deepEqual(lowered.body.thinking, { type: 'enabled', budget_tokens: 2999 });
  assert.match(lowered.warnings[0], /budget lowered to 2999/);
  const dropped = toAnthropicRequest({ ...base, maxTokens: 500, reasoning: { effort: 'low' } }, o);
  assert.equal(dropped.body.thinking, undefined);
  assert.match(dropped.warnings[0], /thinking dropped/);
  const none = toAnthropicRequest({ ...base, reasoning: { effort: 'minimal' } }, o);
  assert.equal(none.body.thinking, undefined);
});

test('tool arguments that are not a JSON object are refused, not guessed', () => {
  const req: ChatRequest = {
    model: 'm',
    stream: false,
    messages: [{ role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '[1,2]' }] }],
  };
  assert.throws(() => toAnthropicRequest(req, { upstreamModel: 'c', stream: false }), /not a JSON object/);
});
