// `igw --config config.yaml` with nothing else: the embedded store in ./.igw-data and in-memory state. Keys made
// through the API survive a restart, and a second igw on the same directory reads the same store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/igw.js', import.meta.url).pathname;
const MASTER = 'sk-embedded-default-master';

interface Igw {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts igw in `cwd` with no store or state settings from the environment. */
async function startIgw(cwd: string): Promise<Igw> {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'IGW_DATA_DIR']) delete env[name];
  const child = spawn(process.execPath, [bin, '--config', 'config.yaml', '--port', '0'], { cwd, env });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`igw exited with ${code}:\n${out}`)));
    child.stdout!.on('data', () => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => out };
}

async function stop(igw: Igw): Promise<number | null> {
  igw.child.kill('SIGTERM');
  const [code] = await once(igw.child, 'exit');
  return code as number | null;
}

async function post(url: string, key: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('the embedded default serves, keeps keys across a restart, and shares its data directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igw-embedded-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    `model_list:\n  - model_name: mock-gpt\n    litellm_params: { model: mock/mock-gpt }\ngeneral_settings:\n  master_key: ${MASTER}\n`,
  );
  const chat = { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] };
  try {
    const first = await startIgw(dir);
    let key: string;
    try {
      assert.match(first.output(), /embedded SQLite \(.*\.igw-data\/igw\.sqlite\)/, 'the start-up log names the embedded store');
      const created = await post(`${first.url}/key/generate`, MASTER, { key_alias: 'survivor', models: ['mock-gpt'] });
      assert.equal(created.status, 200, JSON.stringify(created.json));
      key = created.json.key as string;
      assert.equal((await post(`${first.url}/v1/chat/completions`, key, chat)).status, 200);
      assert.ok(existsSync(join(dir, '.igw-data', 'igw.sqlite')), 'the store lives in ./.igw-data');

      // SQLite lets several processes use one database file; the second one knows the first one's key.
      const second = await startIgw(dir);
      try {
        assert.equal((await post(`${second.url}/v1/chat/completions`, key, chat)).status, 200);
      } finally {
        assert.equal(await stop(second), 0);
      }
    } finally {
      assert.equal(await stop(first), 0, 'graceful exit');
    }
    const again = await startIgw(dir);
    try {
      const reply = await post(`${again.url}/v1/chat/completions`, key, chat);
      assert.equal(reply.status, 200, 'the key made before the restart still works');
      const info = await fetch(`${again.url}/key/info?key=${key}`, { headers: { authorization: `Bearer ${MASTER}` } });
      assert.equal(((await info.json()) as { info: { key_alias: string } }).info.key_alias, 'survivor');
    } finally {
      await stop(again);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
