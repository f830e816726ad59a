// Tags, metadata and the end-user read from a request, and what is left of `metadata` for the provider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../src/canonical/index.ts';
import { takeRequestMeta } from '../../src/server/governance/request-meta.ts';

test('tags from metadata.tags and both headers, trimmed, deduplicated, in order', () => {
  const body: Record<string, unknown> = { model: 'm', metadata: { tags: ['a', ' b ', 'a', 7], run: 'x' }, user: 'cust' };
  const meta = takeRequestMeta(body, { 'x-igw-tags': 'c, d', 'x-litellm-tags': 'b,e,' });
  assert.deepEqual(meta.tags, ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(meta.metadata, { run: 'x' });
  assert.equal(meta.endUser, 'cust');
  assert.deepEqual(body.metadata, { run: 'x' }, 'metadata goes upstream without tags');
});

test('metadata that was only tags is not sent upstream; litellm_metadata never is', () => {
  const body: Record<string, unknown> = { metadata: { tags: ['a'] }, litellm_metadata: { tags: ['b'], owner: 'o' } };
  const meta = takeRequestMeta(body, {});
  assert.deepEqual(meta.tags, ['b', 'a']);
  assert.deepEqual(meta.metadata, { owner: 'o' });
  assert.equal('metadata' in body, false);
  assert.equal('litellm_metadata' in body, false);
});

test('metadata untouched when it has no tags (OpenAI\'s own parameter)', () => {
  const body: Record<string, unknown> = { metadata: { team: 'a' } };
  takeRequestMeta(body, {});
  assert.deepEqual(body.metadata, { team: 'a' });
});

test('bad shapes are a 400 naming the field; oversized metadata is not stored', () => {
  assert.throws(() => takeRequestMeta({ metadata: 'x' }, {}), (e: unknown) => e instanceof GatewayError && e.status === 400 && e.param === 'metadata');
  assert.throws(() => takeRequestMeta({ metadata: { tags: 'a' } }, {}), (e: unknown) => e instanceof GatewayError && e.param === 'metadata.tags');
  const big = takeRequestMeta({ metadata: { blob: 'x'.repeat(20_000) } }, {});
  assert.deepEqual(Object.keys(big.metadata), ['igw_metadata_truncated', 'size']);
  assert.equal(takeRequestMeta({ user: '' }, {}).endUser, null);
  assert.equal(takeRequestMeta({ user: 42 }, {}).endUser, null);
});

test("OpenAI's safety_identifier names the end-user when `user` is absent; `user` wins when both are given", () => {
  assert.equal(takeRequestMeta({ safety_identifier: 'cust-s' }, {}).endUser, 'cust-s');
  assert.equal(takeRequestMeta({ user: 'cust-u', safety_identifier: 'cust-s' }, {}).endUser, 'cust-u');
  assert.equal(takeRequestMeta({ user: '', safety_identifier: 'cust-s' }, {}).endUser, 'cust-s');
  assert.equal(takeRequestMeta({ safety_identifier: 3 }, {}).endUser, null);
  assert.equal(takeRequestMeta({ safety_identifier: 'cust-s' }, {}, 'metadata.user_id').endUser, null, 'not on /v1/messages');
});

test('on /v1/messages the end-user is metadata.user_id, which stays in the body for the provider', () => {
  const body: Record<string, unknown> = { metadata: { user_id: 'cust-7', tags: ['t'] }, user: 'not-anthropic' };
  const meta = takeRequestMeta(body, {}, 'metadata.user_id');
  assert.equal(meta.endUser, 'cust-7');
  assert.deepEqual(meta.tags, ['t']);
  assert.deepEqual(body.metadata, { user_id: 'cust-7' });
  assert.equal(takeRequestMeta({ metadata: { user_id: '' } }, {}, 'metadata.user_id').endUser, null);
  assert.equal(takeRequestMeta({ metadata: { user_id: 7 } }, {}, 'metadata.user_id').endUser, null);
  assert.equal(takeRequestMeta({ user: 'cust-8' }, {}, 'metadata.user_id').endUser, null, 'a stray `user` field is not Anthropic\'s end-user');
  assert.throws(() => takeRequestMeta({ metadata: 'cust-9' }, {}, 'metadata.user_id'), (e: unknown) => e instanceof GatewayError && e.param === 'metadata');
});
