// The store contract on PostgreSQL (127.0.0.1:5432, database `test`), in a schema of its own per run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { migrate } from '../../src/store/sql/migrations.ts';
import { openPostgres } from '../../src/store/sql/postgres.ts';
import { dropSchemas, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { storeContract } from './contract.ts';

const schema = `igw_test_${process.pid}_${Date.now().toString(36)}`;

storeContract(
  'postgres',
  (clock) => openStore({ databaseUrl: TEST_DATABASE_URL, schema, now: clock.now }),
  () => dropSchemas(schema),
);

test('postgres: a spend-log lookup by key uses the key index, which leaves out the master key rows', async () => {
  const planSchema = `${schema}_plan`;
  const db = await openPostgres({ url: TEST_DATABASE_URL, schema: planSchema, max: 1 });
  try {
    await migrate(db);
    const plan = await db.transaction(async (tx) => {
      // An empty table is read fastest by a scan: forbid it, to see whether the index can serve the query.
      await tx.query('SET LOCAL enable_seqscan = off');
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT * FROM igw_spend_logs WHERE api_key = $1 AND api_key <> '' ORDER BY start_time DESC`, ['k1']);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /igw_spend_logs_key_time/);
    const [index] = await db.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'igw_spend_logs_key_time'`, [planSchema]);
    assert.match(index.indexdef, /WHERE \(api_key <> ''::text\)/);
  } finally {
    await db.close();
    await dropSchemas(planSchema);
  }
});
