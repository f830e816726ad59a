// The igw command as a user runs it: help, version, check, serve, graceful stop, and no secret in any log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { startSimulator } from '../simulator/index.ts';
import { writeTempConfig } from '../helpers/gateway.ts';

const run = promisify(execFile);
const bin = new URL('../../bin/igw.js', import.meta.url).pathname;

async function igw(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('igw --help and --version', async () => {
  const help = await igw(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /igw check --config FILE/);
  const version = await igw(['--version']);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

test('usage errors exit 2 with the reason', async () => {
  const noConfig = await igw([]);
  assert.equal(noConfig.code, 2);
  assert.match(noConfig.stderr, /--config FILE is required/);
  const badPort = await igw(['--config', 'x.yaml', '--port', 'abc']);
  assert.equal(badPort.code, 2);
});

test('igw check: a good config passes with its warnings; a bad one lists every error with its path and exits 1', async () => {
  const good = writeTempConfig('model_list:\n  - model_name: m\n    litellm_params: { model: mock/m }\nguardrails: []\n');
  const ok = await igw(['check', '--config', good]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /OK \(1 deployments\)/);
  assert.match(ok.stderr, /guardrails/);
  const bad = writeTempConfig('model_list:\n  - model_name: m\n    litellm_params: { rpm: "lots" }\n  - litellm_params: { model: mock/x }\n');
  const fail = await igw(['check', '--config', bad]);
  assert.equal(fail.code, 1);
  assert.match(fail.stderr, /model_list\[0\]\.litellm_params\.model/);
  assert.match(fail.stderr, /model_list\[0\]\.litellm_params\.rpm/);
  assert.match(fail.stderr, /model_list\[1\]\.model_name/);
});

test('igw serves a config, logs without secrets, and stops on SIGTERM', async () => {
  const sim = await startSimulator({ apiKey: 'sk-provider-SECRET-1' });
  const file = writeTempConfig(`
model_list:
  - model_name: gpt
    litellm_params: { model: openai/gpt-4o, api_base: "${sim.url}/v1", api_key: os.environ/IGW_TEST_PROVIDER_KEY }
general_settings:
  master_key: os.environ/IGW_TEST_MASTER_KEY
`);
  const child = spawn(process.execPath, [bin, '--config', file, '--port', '0', '--log-level', 'debug'], {
    env: { ...process.env, IGW_TEST_PROVIDER_KEY: 'sk-provider-SECRET-1', IGW_TEST_MASTER_KEY: 'sk-master-SECRET-2' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const port = await new Promise<number>((resolve) => {
    const onData = (): void => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
  });
  const url = `http://127.0.0.1:${port}/v1/chat/completions`;
  const body = JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] });
  const ok = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer sk-master-SECRET-2' }, body });
  assert.equal(ok.status, 200);
  const denied = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer sk-wrong-SECRET-3' }, body });
  assert.equal(denied.status, 401);
  const deniedText = await denied.text();
  sim.enqueue({ kind: 'invalid_key' });
  const upstreamDenied = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer sk-master-SECRET-2' }, body });
  assert.equal(upstreamDenied.status, 401);
  const upstreamText = await upstreamDenied.text();
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  await sim.close();
  assert.equal(code, 0, 'graceful exit on SIGTERM');
  assert.match(out, /"msg":"request"/);
  for (const text of [out, deniedText, upstreamText]) assert.ok(!/SECRET/.test(text), `a secret leaked:\n${text}`);
});
