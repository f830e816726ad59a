// The Store over any SqlDriver: the repositories share one engine and one clock.
import type { Store } from '../types.ts';
import type { SqlDriver } from './driver.ts';
import { SqlKeys } from './keys.ts';
import { migrate } from './migrations.ts';
import { SqlOrganizations } from './organizations.ts';
import { SqlBudgets, SqlEndUsers } from './simple.ts';
import { SqlSpend } from './spend.ts';
import { SqlTeams } from './teams.ts';
import { SqlUsers } from './users.ts';

/** Applies pending migrations, then returns the store. */
export async function sqlStore(db: SqlDriver, now: () => Date = () => new Date()): Promise<Store> {
  await migrate(db);
  const ctx = { db, now };
  return {
    engine: db.engine,
    keys: new SqlKeys(ctx),
    users: new SqlUsers(ctx),
    teams: new SqlTeams(ctx),
    organizations: new SqlOrganizations(ctx),
    endUsers: new SqlEndUsers(ctx),
    budgets: new SqlBudgets(ctx),
    spend: new SqlSpend(ctx),
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}
