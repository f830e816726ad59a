// The router's admitFallback hook: a refused fallback group is skipped (listed in the attempt log, never
// attempted, its own fallbacks not followed) and the last real error is returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../src/canonical/index.ts';
import type { DeploymentConfig } from '../../src/config/types.ts';
import { ModelRouter, type Attempt } from '../../src/router/index.ts';
import { fallbackSettings } from '../../src/router/fallbacks.ts';
import { retrySettings } from '../../src/router/retry-policy.ts';

const names = ['a', 'b', 'c', 'd'];

function router(fallbacks: Record<string, string[]>[]): ModelRouter {
  const list: DeploymentConfig[] = names.map((name, i) => ({
    model_name: name,
    litellm_params: { model: `mock/${name}` },
    model_info: { id: `${name}-dep` },
    path: `model_list[${i}]`,
  }));
  return new ModelRouter(list, {
    defaults: { timeoutSeconds: 5, env: {} },
    latencyBuffer: 0.1,
    retry: retrySettings(0, undefined),
    fallbacks: fallbackSettings(fallbacks, undefined, undefined, undefined),
    allowedFails: 100,
    cooldownMs: 0,
    hedgeAfter: new Map(),
  });
}

/** Fails on the named deployments' groups with a 500, answers the deployment id elsewhere. */
function attempt(failing: string[], called: string[]): Attempt<string> {
  return async (d) => {
    called.push(d.modelName);
    if (failing.includes(d.modelName)) throw new GatewayError({ status: 500, kind: 'server', code: 'upstream_error', message: `${d.modelName} failed` });
    return d.id;
  };
}

const signal = new AbortController().signal;

async function failure(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    return err;
  }
  assert.fail('expected a failure');
}

function refuse(...models: string[]): { asked: string[]; admitFallback: (m: string) => Promise<void> } {
  const asked: string[] = [];
  return {
    asked,
    admitFallback: async (m) => {
      asked.push(m);
      if (models.includes(m)) throw new GatewayError({ status: 401, kind: 'auth', code: 'key_model_access_denied', message: `not ${m}` });
    },
  };
}

test('a refused fallback is skipped: never called, logged, and the original error returned', async () => {
  const called: string[] = [];
  const gate = refuse('b');
  const err = await failure(router([{ a: ['b'] }]).execute({ model: 'a', stream: false, signal, admitFallback: gate.admitFallback }, attempt(['a'], called)));
  assert.deepEqual(called, ['a']);
  assert.deepEqual(gate.asked, ['b'], 'the requested model is not asked again');
  assert.equal(err.message, 'a failed');
  assert.equal(err.headers['x-igw-attempt-log'], 'a-dep=server, b=skipped(key_model_access_denied)');
  assert.equal(err.headers['x-igw-attempts'], '1');
  assert.equal(err.headers['x-should-retry'], undefined, 'one upstream call: the SDK may still retry it');
});

test('the next fallback in the list is tried after a skipped one', async () => {
  const called: string[] = [];
  const gate = refuse('b');
  const routed = await router([{ a: ['b', 'c'] }]).execute({ model: 'a', stream: false, signal, admitFallback: gate.admitFallback }, attempt(['a'], called));
  assert.equal(routed.value, 'c-dep');
  assert.equal(routed.model, 'c');
  assert.deepEqual(called, ['a', 'c']);
  assert.deepEqual(routed.attempts.map((r) => `${r.deployment}=${r.outcome}`), ['a-dep=server', 'b=skipped', 'c-dep=ok']);
});

test('a skipped group\'s own fallbacks are not followed; an admitted one\'s are', async () => {
  const called: string[] = [];
  const skipB = refuse('b');
  await failure(router([{ a: ['b'] }, { b: ['c'] }]).execute({ model: 'a', stream: false, signal, admitFallback: skipB.admitFallback }, attempt(['a'], called)));
  assert.deepEqual(called, ['a']);
  const skipNone = refuse();
  const routed = await router([{ a: ['b'] }, { b: ['c'] }]).execute({ model: 'a', stream: false, signal, admitFallback: skipNone.admitFallback }, attempt(['a', 'b'], called));
  assert.equal(routed.model, 'c');
  assert.deepEqual(skipNone.asked, ['b', 'c']);
});

test('the last error is the last group actually called', async () => {
  const called: string[] = [];
  const gate = refuse('c');
  const err = await failure(router([{ a: ['b', 'c'] }]).execute({ model: 'a', stream: false, signal, admitFallback: gate.admitFallback }, attempt(['a', 'b'], called)));
  assert.equal(err.message, 'b failed');
  assert.equal(err.headers['x-igw-attempt-log'], 'a-dep=server, b-dep=server, c=skipped(key_model_access_denied)');
  assert.equal(err.headers['x-should-retry'], 'false');
});

test('a gate that fails for another reason fails the request', async () => {
  const boom = async (): Promise<void> => {
    throw new Error('state backend down');
  };
  await assert.rejects(router([{ a: ['b'] }]).execute({ model: 'a', stream: false, signal, admitFallback: boom }, attempt(['a'], [])), /state backend down/);
});
