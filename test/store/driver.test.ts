// The SQL seam itself, on both engines: what the repositories rely on beyond the store contract.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlDriver } from '../../src/store/sql/driver.ts';
import { openPostgres } from '../../src/store/sql/postgres.ts';
import { openSqlite } from '../../src/store/sql/sqlite.ts';
import { dropSchemas, TEST_DATABASE_URL } from '../helpers/postgres.ts';

const schema = `igw_driver_${process.pid}_${Date.now().toString(36)}`;

function driverContract(name: string, open: () => Promise<SqlDriver>, cleanup: () => Promise<void> = async () => {}): void {
  describe(`sql driver: ${name}`, () => {
    let db: SqlDriver;
    let insert: string;
    before(async () => {
      db = await open();
      await db.exec('CREATE TABLE igw_run_test (id text PRIMARY KEY, n integer NOT NULL)');
      insert = `INSERT INTO igw_run_test (id, n) VALUES (${db.dialect.param(1)}, ${db.dialect.param(2, 'int')}) ON CONFLICT (id) DO NOTHING`;
    });
    after(async () => {
      await db?.close();
      await cleanup();
    });

    test('run returns the number of rows a statement inserted, updated or deleted', async () => {
      assert.equal(await db.run(insert, ['a', 1]), 1);
      assert.equal(await db.run(insert, ['a', 2]), 0, 'a skipped conflict changes nothing');
      assert.equal(await db.run(insert, ['b', 3]), 1);
      assert.equal(await db.run(`UPDATE igw_run_test SET n = n + 1 WHERE id IN ('a', 'b')`), 2);
      assert.equal(await db.run(`DELETE FROM igw_run_test WHERE id = ${db.dialect.param(1)}`, ['nope']), 0);
      const rows = await db.query(`SELECT id, n FROM igw_run_test WHERE id IN ('a', 'b') ORDER BY id`);
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [
          { id: 'a', n: 2 },
          { id: 'b', n: 4 },
        ],
      );
    });

    test('run in a transaction: counted there, kept on commit, undone on rollback', async () => {
      const counts = await db.transaction(async (tx) => [await tx.run(insert, ['t1', 1]), await tx.run(insert, ['t1', 1]), await tx.run(insert, ['t2', 1])]);
      assert.deepEqual(counts, [1, 0, 1]);
      await assert.rejects(
        db.transaction(async (tx) => {
          assert.equal(await tx.run(insert, ['t3', 1]), 1);
          throw new Error('undo');
        }),
        /undo/,
      );
      const ids = await db.query<{ id: string }>(`SELECT id FROM igw_run_test WHERE id LIKE 't%' ORDER BY id`);
      assert.deepEqual(
        ids.map((r) => r.id),
        ['t1', 't2'],
      );
    });
  });
}

driverContract('SQLite, in memory', async () => openSqlite(undefined));

driverContract(
  'postgres',
  () => openPostgres({ url: TEST_DATABASE_URL, schema }),
  () => dropSchemas(schema),
);

test('SQLite: run from outside a transaction waits for the transactions queued before it', async () => {
  const db = openSqlite(undefined);
  try {
    await db.exec('CREATE TABLE t (id text PRIMARY KEY, n integer NOT NULL)');
    const tx = db.transaction(async (t) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await t.run(`INSERT INTO t (id, n) VALUES ('q', 1)`);
    });
    assert.equal(await db.run(`UPDATE t SET n = 10 WHERE id = 'q'`), 1, 'it ran after the insert was committed');
    await tx;
    assert.deepEqual((await db.query('SELECT id, n FROM t')).map((r) => ({ ...r })), [{ id: 'q', n: 10 }]);
  } finally {
    await db.close();
  }
});
