// Spend-log inserts of a file-backed SQLite store on a worker thread (sqlite-spend-writer.ts): started by the
// first insert, visible on the main connection once acknowledged, failures and deaths reported to the caller,
// closed with the store, and never what keeps the process alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openStore, type NewSpendLog, type Store } from '../../src/store/index.ts';
import { SqliteSpendWriter } from '../../src/store/sql/sqlite-spend-writer.ts';
import { ownerSpends } from './contract.ts';

const run = promisify(execFile);
const DYING_WORKER = new URL('./dying-spend-worker.ts', import.meta.url);

function row(request_id: string, spend = 1, owners: Partial<NewSpendLog> = {}): NewSpendLog {
  return { request_id, model: 'm', start_time: '2026-03-01T00:00:00Z', end_time: '2026-03-01T00:00:01Z', spend, ...owners };
}

/** A migrated store in a fresh data directory, and a writer of its own on the store's file. */
async function withFileStore(fn: (store: Store, writer: SqliteSpendWriter, dir: string) => Promise<void>, script?: URL): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'igw-spend-worker-'));
  const store = await openStore({ dataDir: dir });
  const writer = new SqliteSpendWriter(join(dir, 'igw.sqlite'), { script });
  try {
    await fn(store, writer, dir);
  } finally {
    await writer.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the worker starts at the first insert, stays, and its commits are visible on the main connection', async () => {
  await withFileStore(async (store, writer) => {
    await store.users.create({ user_id: 'u' });
    await store.teams.create({ team_id: 't' });
    await store.organizations.create({ organization_id: 'o', organization_alias: 'O' });
    await store.endUsers.create({ user_id: 'c' });
    await store.keys.create({ token: 'k', key_name: 'x', user_id: 'u', team_id: 't' });
    assert.equal(writer.threadId, undefined, 'no thread before any insert');
    assert.equal(await writer.insertSpendLogs([]), 0);
    assert.equal(writer.threadId, undefined, 'an empty batch starts nothing');
    const owners = { api_key: 'k', user_id: 'u', team_id: 't', organization_id: 'o', end_user: 'c' };
    assert.equal(await writer.insertSpendLogs([row('v1', 0.25, owners), row('v2', 0.5, owners)]), 2);
    const thread = writer.threadId;
    assert.ok(thread !== undefined && thread > 0);
    assert.equal((await store.spend.listSpendLogs({ api_key: 'k' })).length, 2);
    for (const spend of await ownerSpends(store, owners)) {
      assert.equal(spend, 0.75);
    }
    assert.equal(await writer.insertSpendLogs([row('v2', 0.5, owners), row('v3', 0.25, owners)]), 1, 'a row already stored is skipped');
    assert.equal(writer.threadId, thread, 'the same thread serves later inserts');
    assert.equal((await store.keys.get('k'))?.spend, 1);
  });
});

test('concurrent inserts, while the main connection writes too, all commit once', async () => {
  await withFileStore(async (store, writer) => {
    await store.keys.create({ token: 'busy', key_name: 'x' });
    const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 10 }, (_, i) => row(`c-${b}-${i}`, 1, { api_key: 'busy' })));
    const inserts = batches.map((rows) => writer.insertSpendLogs(rows));
    const mainWrites = Array.from({ length: 20 }, (_, i) => store.teams.create({ team_id: `t-${i}` }));
    assert.deepEqual(await Promise.all(inserts), Array(20).fill(10));
    await Promise.all(mainWrites);
    assert.equal(await writer.insertSpendLogs(batches[3]), 0, 'a repeated batch adds nothing');
    assert.equal((await store.keys.get('busy'))?.spend, 200);
    assert.equal(await store.spend.totalSpend({ api_key: 'busy' }), 200);
    assert.equal((await store.teams.list()).total, 20);
  });
});

test('a failed insert rejects with the database’s message; the worker carries on', async () => {
  await withFileStore(async (_store, writer) => {
    assert.equal(await writer.insertSpendLogs([row('ok-1')]), 1);
    const thread = writer.threadId;
    await assert.rejects(writer.insertSpendLogs([{ ...row('bad'), model: null as unknown as string }]), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, /NOT NULL constraint failed: igw_spend_logs\.model/);
      return true;
    });
    assert.equal(await writer.insertSpendLogs([row('ok-2')]), 1);
    assert.equal(writer.threadId, thread);
  });
});

test('a worker that exits rejects every pending insert; the next insert starts another', async () => {
  await withFileStore(async (store, writer) => {
    assert.equal(await writer.insertSpendLogs([row('before')]), 1);
    const first = writer.threadId;
    const dying = writer.insertSpendLogs([row('exit')]);
    const queuedBehind = writer.insertSpendLogs([row('behind')]);
    await assert.rejects(dying, /the spend-log worker exited \(code 7\)/);
    await assert.rejects(queuedBehind, /the spend-log worker exited \(code 7\)/);
    assert.equal(writer.threadId, undefined);
    assert.equal(await writer.insertSpendLogs([row('behind')]), 1, 'the retried batch is written by a new worker');
    assert.ok(writer.threadId !== undefined && writer.threadId !== first);
    assert.deepEqual((await store.spend.listSpendLogs()).map((r) => r.request_id).sort(), ['before', 'behind']);
  }, DYING_WORKER);
});

test('a worker that throws rejects the pending insert with its error; the next insert starts another', async () => {
  await withFileStore(async (_store, writer) => {
    await assert.rejects(writer.insertSpendLogs([row('throw')]), /the spend-log worker failed: boom in the worker/);
    assert.equal(await writer.insertSpendLogs([row('after')]), 1);
  }, DYING_WORKER);
});

test('close() before any insert starts no worker and returns at once; later inserts are refused', async () => {
  await withFileStore(async (_store, writer) => {
    await writer.close();
    assert.equal(writer.threadId, undefined);
    await assert.rejects(writer.insertSpendLogs([row('late')]), /the store is closed/);
  });
});

test('close() after inserts ends the worker', async () => {
  await withFileStore(async (_store, writer) => {
    assert.equal(await writer.insertSpendLogs([row('c1')]), 1);
    assert.ok(writer.threadId !== undefined);
    await writer.close();
    assert.equal(writer.threadId, undefined, 'the thread has ended');
    await writer.close();
  });
});

test('store.close() lets the inserts in flight commit, then ends the worker', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igw-spend-worker-'));
  try {
    const store = await openStore({ dataDir: dir });
    await store.keys.create({ token: 'k', key_name: 'x' });
    const inFlight = [store.spend.insertSpendLogs([row('f1', 1, { api_key: 'k' })]), store.spend.insertSpendLogs([row('f2', 2, { api_key: 'k' })])];
    await store.close();
    assert.deepEqual(await Promise.all(inFlight), [1, 1]);
    await assert.rejects(store.spend.insertSpendLogs([row('f3')]), /the store is closed/);
    const again = await openStore({ dataDir: dir });
    try {
      assert.equal((await again.keys.get('k'))?.spend, 3);
    } finally {
      await again.close();
    }
    assert.ok(!existsSync(join(dir, 'igw.sqlite-wal')), 'the last connection to close checkpointed the WAL away');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Both the source (type stripping) and the compiled store, whose worker is the sibling .js file.
const STORE_ENTRIES = [
  { name: 'src', url: new URL('../../src/store/index.ts', import.meta.url) },
  { name: 'dist', url: new URL('../../dist/store/index.js', import.meta.url) },
];

for (const entry of STORE_ENTRIES) {
  test(`a process whose only pending thing is the idle worker exits (${entry.name})`, { skip: !existsSync(entry.url) && 'not built' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'igw-spend-worker-'));
    // The second insert, sent to a worker already started and idle, is left unawaited: the process must wait
    // for it (the worker is ref'd while busy), then exit with the worker idle again and the store never closed.
    const script = `
      const { openStore } = await import(${JSON.stringify(entry.url.href)});
      const store = await openStore({ dataDir: ${JSON.stringify(dir)} });
      console.log('inserted', await store.spend.insertSpendLogs([${JSON.stringify(row('idle-1'))}]));
      setTimeout(() => store.spend.insertSpendLogs([${JSON.stringify(row('idle-2'))}]).then((n) => console.log('inserted', n)), 100);
    `;
    try {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 });
      assert.equal(stdout, 'inserted 1\ninserted 1\n');
      const store = await openStore({ dataDir: dir });
      try {
        assert.equal((await store.spend.listSpendLogs()).length, 2);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
