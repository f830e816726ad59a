// Error translation (reference §3.5, §4.8): Anthropic status + body → kind, status and code for OpenAI
// clients; and any gateway error → the Anthropic envelope and status for Anthropic clients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../../src/canonical/index.ts';
import { mapAnthropicError, mapAnthropicStreamError, mapOpenAIError } from '../../../src/providers/index.ts';
import { anthropicErrorBody, anthropicStatus } from '../../../src/server/anthropic/render-anthropic-error.ts';

const body = (type: string, message: string): string => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_1' });

test('Anthropic errors → kind / status / code seen by OpenAI clients', () => {
  const cases: [number, string, string, string, number, string | null][] = [
    [400, 'invalid_request_error', 'max_tokens: Field required', 'bad_request', 400, null],
    [400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum', 'context_window', 400, 'context_length_exceeded'],
    [401, 'authentication_error', 'invalid x-api-key', 'auth', 401, 'invalid_api_key'],
    [402, 'billing_error', 'credit balance too low', 'permission', 402, 'billing_error'],
    [403, 'permission_error', 'no access', 'permission', 403, null],
    [404, 'not_found_error', 'model: claude-x', 'not_found', 404, 'model_not_found'],
    [413, 'request_too_large', 'Request exceeds the maximum size', 'payload_too_large', 413, 'request_too_large'],
    [429, 'rate_limit_error', 'slow down', 'rate_limit', 429, 'rate_limit_exceeded'],
    [500, 'api_error', 'Internal server error', 'server', 500, null],
    [504, 'timeout_error', 'timed out', 'timeout', 504, 'upstream_timeout'],
    [529, 'overloaded_error', 'Overloaded', 'overloaded', 503, 'overloaded'],
  ];
  for (const [status, type, message, kind, outStatus, code] of cases) {
    const e = mapAnthropicError(status, body(type, message), { 'request-id': 'req_up', 'retry-after': '3' });
    assert.equal(e.kind, kind, `${status} ${type}`);
    assert.equal(e.status, outStatus, `${status} ${type}`);
    assert.equal(e.code, code, `${status} ${type}`);
    assert.equal(e.headers['retry-after'], '3');
    assert.equal(e.headers['x-igw-upstream-request-id'], 'req_up');
    assert.ok(e.message.startsWith(message));
  }
});

test('a body that is not JSON keeps the status and the text', () => {
  const e = mapAnthropicError(502, '<html>bad gateway</html>', {});
  assert.equal(e.kind, 'server');
  assert.equal(e.status, 502);
  assert.equal(e.message, '<html>bad gateway</html>');
});

test('in-stream error events are classified by their type', () => {
  assert.equal(mapAnthropicStreamError({ type: 'overloaded_error', message: 'Overloaded' }).kind, 'overloaded');
  assert.equal(mapAnthropicStreamError({ type: 'rate_limit_error', message: 'x' }).kind, 'rate_limit');
  assert.equal(mapAnthropicStreamError({ type: 'api_error', message: 'x' }).kind, 'server');
});

test('gateway errors → Anthropic envelope and status (529 for overloaded, whatever the upstream said)', () => {
  const cases: [GatewayError, number, string][] = [
    [mapOpenAIError(503, JSON.stringify({ error: { message: 'busy', type: 'server_error', param: null, code: null } }), {}), 529, 'overloaded_error'],
    [mapOpenAIError(429, JSON.stringify({ error: { message: 'slow', type: 'requests', param: null, code: 'rate_limit_exceeded' } }), {}), 429, 'rate_limit_error'],
    [mapOpenAIError(400, JSON.stringify({ error: { message: 'too long', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }), {}), 400, 'invalid_request_error'],
    [mapOpenAIError(401, JSON.stringify({ error: { message: 'key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }), {}), 401, 'authentication_error'],
    [mapAnthropicError(402, body('billing_error', 'pay'), {}), 402, 'billing_error'],
    [new GatewayError({ status: 502, kind: 'connection', message: 'unreachable' }), 502, 'api_error'],
    [new GatewayError({ status: 504, kind: 'timeout', message: 'slow' }), 504, 'timeout_error'],
    [new GatewayError({ status: 413, kind: 'payload_too_large', message: 'big' }), 413, 'request_too_large'],
    [new GatewayError({ status: 404, kind: 'not_found', message: 'no model' }), 404, 'not_found_error'],
  ];
  for (const [err, status, type] of cases) {
    assert.equal(anthropicStatus(err), status, type);
    assert.deepEqual(JSON.parse(anthropicErrorBody(err, 'req_9')), { type: 'error', error: { type, message: err.message }, request_id: 'req_9' });
  }
});
