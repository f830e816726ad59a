// The store contract on PostgreSQL (127.0.0.1:5432, database `test`), in a schema of its own per run.
import pg from 'pg';
import { openStore } from '../../src/store/index.ts';
import { storeContract } from './contract.ts';

export const TEST_DATABASE_URL = process.env.IGW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `igw_test_${process.pid}_${Date.now().toString(36)}`;

storeContract(
  'postgres',
  (clock) => openStore({ databaseUrl: TEST_DATABASE_URL, schema, now: clock.now }),
  async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  },
);
