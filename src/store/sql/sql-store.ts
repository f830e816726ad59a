// The Store over any SqlDriver: the repositories share one engine and one clock.
import type { NewSpendLog, Store } from '../types.ts';
import type { RepoContext } from './context.ts';
import type { SqlDriver } from './driver.ts';
import { SqlKeys } from './keys.ts';
import { migrate } from './migrations.ts';
import { SqlOrganizations } from './organizations.ts';
import { SqlBudgets, SqlEndUsers } from './simple.ts';
import { SqlSpend } from './spend.ts';
import { SqlTeams } from './teams.ts';
import { SqlUsers } from './users.ts';

/** Inserts spend-log batches elsewhere than on the store's connection (a file-backed SQLite store's worker). */
export interface SpendLogWriter {
  insertSpendLogs(rows: readonly NewSpendLog[]): Promise<number>;
  /** Called by the store's close(), before the connection is closed. */
  close(): Promise<void>;
}

/** Applies pending migrations, then returns the store. `spendLogs`: where spend-log batches are inserted. */
export async function sqlStore(db: SqlDriver, now: () => Date = () => new Date(), spendLogs?: SpendLogWriter): Promise<Store> {
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
    spend: spendLogs ? new SqlSpendWrittenBy(ctx, spendLogs) : new SqlSpend(ctx),
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: async () => {
      try {
        await spendLogs?.close();
      } finally {
        await db.close();
      }
    },
  };
}

/** Spend logs whose batch inserts go to a SpendLogWriter; queries and budget resets stay on the connection. */
class SqlSpendWrittenBy extends SqlSpend {
  private readonly writer: SpendLogWriter;

  constructor(ctx: RepoContext, writer: SpendLogWriter) {
    super(ctx);
    this.writer = writer;
  }

  override insertSpendLogs(rows: readonly NewSpendLog[]): Promise<number> {
    return this.writer.insertSpendLogs(rows);
  }
}
