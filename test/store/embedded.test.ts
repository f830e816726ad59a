// The store contract on the embedded engine (SQLite through node:sqlite), in memory and in a data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMORY, openStore } from '../../src/store/index.ts';
import { storeContract } from './contract.ts';

storeContract('embedded (SQLite, in memory)', (clock) => openStore({ dataDir: MEMORY, now: clock.now }));

// In a file, spend-log batches are inserted by a worker thread on a connection of its own.
const contractDir = mkdtempSync(join(tmpdir(), 'igw-contract-'));
storeContract(
  'embedded (SQLite, in a data directory)',
  (clock) => openStore({ dataDir: contractDir, now: clock.now }),
  async () => rmSync(contractDir, { recursive: true, force: true }),
);

test('embedded store in a data directory keeps its data across reopen', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'igw-store-')), 'not-yet');
  try {
    const first = await openStore({ dataDir: dir });
    await first.keys.create({ token: 'persist', key_name: 'sk-...1234', key_alias: 'kept' });
    await first.close();
    assert.ok(existsSync(join(dir, 'igw.sqlite')), 'the directory is created, with the database file in it');
    const again = await openStore({ dataDir: dir });
    assert.equal((await again.keys.getByAlias('kept'))?.token, 'persist');
    await again.close();
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('two stores on one data directory see each other’s writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igw-store-'));
  try {
    const a = await openStore({ dataDir: dir });
    const b = await openStore({ dataDir: dir });
    try {
      await a.keys.create({ token: 'shared', key_name: 'x' });
      await b.spend.insertSpendLogs([{ request_id: 'r', api_key: 'shared', model: 'm', start_time: '2026-03-01T00:00:00Z', end_time: '2026-03-01T00:00:01Z', spend: 2 }]);
      assert.equal((await a.keys.get('shared'))?.spend, 2);
    } finally {
      await a.close();
      await b.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('one connection: concurrent transactions take turns, and statements from outside wait for them', async () => {
  const store = await openStore({ dataDir: MEMORY });
  try {
    await store.keys.create({ token: 'busy', key_name: 'x' });
    const batches = Array.from({ length: 20 }, (_, b) =>
      Array.from({ length: 10 }, (_, i) => ({ request_id: `c-${b}-${i}`, api_key: 'busy', model: 'm', start_time: '2026-03-01T00:00:00Z', end_time: '2026-03-01T00:00:00Z', spend: 1 })),
    );
    const work: Promise<unknown>[] = batches.map((rows) => store.spend.insertSpendLogs(rows));
    for (let i = 0; i < 20; i++) work.push(store.keys.get('busy'), store.teams.create({ team_id: `t-${i}` }));
    work.push(store.spend.insertSpendLogs(batches[0]).then((n) => assert.equal(n, 0, 'a repeated batch adds nothing')));
    await Promise.all(work);
    assert.equal((await store.keys.get('busy'))?.spend, 200);
    assert.equal((await store.teams.list()).total, 20);
  } finally {
    await store.close();
  }
});

test('a data directory left by the PGlite store of an earlier igw is reported, not read', async () => {
  const { legacyStoreNotice } = await import('../../src/store/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'igw-legacy-'));
  try {
    assert.equal(legacyStoreNotice({ dataDir: dir }), undefined);
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
    assert.match(legacyStoreNotice({ dataDir: dir }) ?? '', /holds a PGlite store from an earlier igw; .*igw\.sqlite/);
    assert.equal(legacyStoreNotice({ dataDir: dir, databaseUrl: 'postgres://x/y' }), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spend-log lookups by team, by user and by key use their partial indexes, which skip rows without one', async () => {
  const { openSqlite } = await import('../../src/store/sql/sqlite.ts');
  const { migrate } = await import('../../src/store/sql/migrations.ts');
  const db = openSqlite(undefined);
  try {
    await migrate(db);
    const plan = async (where: string, params: unknown[]): Promise<string> =>
      (await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN SELECT * FROM igw_spend_logs WHERE ${where} ORDER BY start_time DESC`, params))
        .map((r) => r.detail)
        .join('; ');
    assert.match(await plan('team_id = ?', ['t1']), /igw_spend_logs_team_time/);
    assert.match(await plan('user_id = ?', ['u1']), /igw_spend_logs_user_time/);
    assert.match(await plan('team_id IN (SELECT value FROM json_each(?))', ['["t1","t2"]']), /igw_spend_logs_team_time/);
    const [{ sql }] = await db.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'igw_spend_logs_team_time'`);
    assert.match(sql, /WHERE team_id IS NOT NULL/);
    assert.match(await plan(`api_key = ? AND api_key <> ''`, ['k1']), /igw_spend_logs_key_time/);
    const [key] = await db.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'igw_spend_logs_key_time'`);
    assert.match(key.sql, /WHERE api_key <> ''/, "the master key's rows (api_key '') are not indexed");
  } finally {
    await db.close();
  }
});
