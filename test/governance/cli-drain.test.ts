// The igw command on SIGTERM: the spend-log rows of every answered request are written before it exits, even
// when the batch interval (general_settings.proxy_batch_write_at) has not come round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { writeTempConfig } from '../helpers/gateway.ts';

const bin = new URL('../../bin/igw.js', import.meta.url).pathname;

test('SIGTERM drains the spend-log queue into the embedded store', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'igw-drain-'));
  const file = writeTempConfig(`
model_list:
  - model_name: priced
    litellm_params: { model: mock/priced, mock_response: "hello there" }
    model_info: { input_cost_per_token: 0.0005, output_cost_per_token: 0.001 }
general_settings:
  master_key: sk-drain-master
  proxy_batch_write_at: 3600
`);
  const child = spawn(process.execPath, [bin, '--config', file, '--port', '0'], { env: { ...process.env, IGW_DATA_DIR: dataDir } });
  try {
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', () => reject(new Error(`igw exited:\n${out}`)));
      child.stdout.on('data', () => {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
    });
    const base = `http://127.0.0.1:${port}`;
    const gen = await fetch(`${base}/key/generate`, { method: 'POST', headers: { authorization: 'Bearer sk-drain-master' }, body: '{}' });
    const { key } = (await gen.json()) as { key: string };
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, out);
    const store = await openStore({ dataDir });
    try {
      const rows = await store.spend.listSpendLogs({});
      assert.equal(rows.length, 5);
      assert.equal(Math.round((await store.spend.totalSpend({})) * 1e9), 5 * 2_500_000);
      const keys = await store.keys.list({});
      assert.equal(Math.round(keys.rows[0].spend * 1e9), 5 * 2_500_000);
    } finally {
      await store.close();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
