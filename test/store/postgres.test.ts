// The store contract on PostgreSQL (127.0.0.1:5432, database `test`), in a schema of its own per run.
import { openStore } from '../../src/store/index.ts';
import { dropSchemas, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { storeContract } from './contract.ts';

const schema = `igw_test_${process.pid}_${Date.now().toString(36)}`;

storeContract(
  'postgres',
  (clock) => openStore({ databaseUrl: TEST_DATABASE_URL, schema, now: clock.now }),
  () => dropSchemas(schema),
);
