// The official Anthropic SDK's error for a call expected to fail, to assert on its class, status and body.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';

export async function anthropicApiError(p: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Anthropic.APIError, `expected an APIError, got ${err}`);
    return err;
  }
  assert.fail('expected the call to fail');
}
