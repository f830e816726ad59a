// The PostgreSQL the Postgres-backed tests use (127.0.0.1:5432, database `test`), and the cleanup of the
// schemas they create in it.
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.IGW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Drops the schemas (and everything in them) on a connection of its own. */
export async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  } finally {
    await client.end();
  }
}
