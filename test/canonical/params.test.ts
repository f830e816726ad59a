// The unsupported-parameter policy: a clear 400 naming parameter and provider, or a silent drop with drop_params.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyParamPolicy, GatewayError, usedParams, type CanonicalParam, type ChatRequest } from '../../src/canonical/index.ts';

const base: ChatRequest = { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] };
const policy = (supported: CanonicalParam[], dropParams = false) => ({ dialect: 'anthropic-messages' as const, provider: 'anthropic', supported: new Set(supported), dropParams });

test('values that do not change semantics are not "used"', () => {
  assert.deepEqual(usedParams({ ...base, n: 1, logprobs: false, stop: [], responseFormat: { type: 'text' } }), []);
  assert.deepEqual(usedParams({ ...base, n: 2, logprobs: true, seed: 0 }).map((u) => u.param), ['seed', 'n', 'logprobs']);
});

test('unsupported → 400 with code, param and the provider; supported → the same object', () => {
  const req: ChatRequest = { ...base, temperature: 0.3, seed: 7 };
  assert.equal(applyParamPolicy(req, policy(['temperature', 'seed'])), req);
  assert.throws(
    () => applyParamPolicy(req, policy(['temperature'])),
    (e: unknown) => e instanceof GatewayError && e.status === 400 && e.code === 'unsupported_parameter' && e.param === 'seed' && /'seed' is not supported by provider 'anthropic'/.test(e.message),
  );
});

test('drop_params removes exactly the unsupported features', () => {
  const req: ChatRequest = {
    ...base,
    temperature: 0.3,
    seed: 7,
    n: 3,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'audio', data: 'AAAA', format: 'wav' }] }],
    extensions: { dialect: 'openai-chat', fields: { modalities: ['text'] } },
  };
  const out = applyParamPolicy(req, policy(['temperature'], true));
  assert.equal(out.temperature, 0.3);
  assert.equal(out.seed, undefined);
  assert.equal(out.n, undefined);
  assert.equal(out.extensions, undefined);
  assert.deepEqual(out.messages, [{ role: 'user', content: [{ type: 'text', text: 'x' }] }]);
  assert.equal(req.seed, 7, 'the input is not mutated');
});

test('fields from another dialect and another dialect\'s server tools are refused by name', () => {
  const req: ChatRequest = {
    ...base,
    tools: [
      { type: 'function', name: 'f', parameters: { type: 'object' } },
      { type: 'provider', dialect: 'openai-chat', definition: { type: 'custom', name: 'grammar' } },
    ],
    extensions: { dialect: 'openai-chat', fields: { prediction: {} } },
  };
  assert.throws(() => applyParamPolicy(req, policy(['tools'])), /Parameters 'tools \(type custom\)', 'prediction' are not supported/);
  const dropped = applyParamPolicy(req, policy(['tools'], true));
  assert.deepEqual(dropped.tools, [{ type: 'function', name: 'f', parameters: { type: 'object' } }]);
  const same = { ...req, extensions: { dialect: 'anthropic-messages' as const, fields: { container: 'c' } }, tools: req.tools!.slice(0, 1) };
  assert.equal(applyParamPolicy(same, policy(['tools'])), same, 'same-dialect extensions pass');
});
