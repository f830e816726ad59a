// Versioned schema migrations, applied in order at start-up. Append only: a released migration never changes.
// Each is written once in the dialect's schema words (PostgreSQL's own types, or SQLite's) and runs in its own
// transaction under a lock, so replicas starting together apply it once.
import type { SchemaWords } from './dialect.ts';
import type { SqlDriver } from './driver.ts';

export interface Migration {
  version: number;
  name: string;
  /** The migration's DDL in an engine's words. */
  sql: (w: SchemaWords) => string;
}

/** The limit columns every limited entity carries (LimitFields in ../types.ts). */
const limitColumns = (w: SchemaWords): string => `
  max_budget ${w.float},
  soft_budget ${w.float},
  budget_duration text,
  budget_reset_at ${w.time},
  rpm_limit ${w.int},
  tpm_limit ${w.int},
  max_parallel_requests ${w.int},
  model_max_budget ${w.json} NOT NULL DEFAULT '{}',
  model_rpm_limit ${w.json} NOT NULL DEFAULT '{}',
  model_tpm_limit ${w.json} NOT NULL DEFAULT '{}',
  created_at ${w.time} NOT NULL DEFAULT ${w.now},
  updated_at ${w.time} NOT NULL DEFAULT ${w.now}`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'governance tables',
    sql: (w) => `
CREATE TABLE igw_budgets (
  budget_id text PRIMARY KEY,${limitColumns(w)}
)${w.tableOptions};
CREATE TABLE igw_organizations (
  organization_id text PRIMARY KEY,
  organization_alias text NOT NULL,
  models ${w.json} NOT NULL DEFAULT '[]',
  spend ${w.float} NOT NULL DEFAULT 0,
  metadata ${w.json} NOT NULL DEFAULT '{}',
  budget_id text,${limitColumns(w)}
)${w.tableOptions};
CREATE TABLE igw_users (
  user_id text PRIMARY KEY,
  user_alias text,
  user_email text,
  user_role text NOT NULL DEFAULT 'internal_user',
  models ${w.json} NOT NULL DEFAULT '[]',
  spend ${w.float} NOT NULL DEFAULT 0,
  metadata ${w.json} NOT NULL DEFAULT '{}',
  budget_id text,${limitColumns(w)}
)${w.tableOptions};
CREATE TABLE igw_teams (
  team_id text PRIMARY KEY,
  team_alias text,
  organization_id text REFERENCES igw_organizations (organization_id),
  models ${w.json} NOT NULL DEFAULT '[]',
  spend ${w.float} NOT NULL DEFAULT 0,
  blocked ${w.bool} NOT NULL DEFAULT ${w.false},
  metadata ${w.json} NOT NULL DEFAULT '{}',
  budget_id text,${limitColumns(w)},
  CONSTRAINT igw_teams_alias_key UNIQUE (team_alias)
)${w.tableOptions};
CREATE TABLE igw_team_members (
  team_id text NOT NULL REFERENCES igw_teams (team_id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES igw_users (user_id) ON DELETE CASCADE,
  role text NOT NULL,
  PRIMARY KEY (team_id, user_id)
)${w.tableOptions};
CREATE INDEX igw_team_members_user ON igw_team_members (user_id);
CREATE TABLE igw_org_members (
  organization_id text NOT NULL REFERENCES igw_organizations (organization_id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES igw_users (user_id) ON DELETE CASCADE,
  user_role text NOT NULL,
  PRIMARY KEY (organization_id, user_id)
)${w.tableOptions};
CREATE INDEX igw_org_members_user ON igw_org_members (user_id);
CREATE TABLE igw_keys (
  token text PRIMARY KEY,
  key_name text NOT NULL,
  key_alias text,
  user_id text,
  team_id text,
  organization_id text,
  models ${w.json} NOT NULL DEFAULT '[]',
  spend ${w.float} NOT NULL DEFAULT 0,
  expires ${w.time},
  metadata ${w.json} NOT NULL DEFAULT '{}',
  tags ${w.json} NOT NULL DEFAULT '[]',
  blocked ${w.bool} NOT NULL DEFAULT ${w.false},
  created_by text,
  budget_id text,${limitColumns(w)},
  CONSTRAINT igw_keys_alias_key UNIQUE (key_alias)
)${w.tableOptions};
CREATE INDEX igw_keys_user ON igw_keys (user_id);
CREATE INDEX igw_keys_team ON igw_keys (team_id);
CREATE TABLE igw_end_users (
  user_id text PRIMARY KEY,
  alias text,
  blocked ${w.bool} NOT NULL DEFAULT ${w.false},
  spend ${w.float} NOT NULL DEFAULT 0,
  allowed_model_region text,
  default_model text,
  metadata ${w.json} NOT NULL DEFAULT '{}',
  budget_id text,${limitColumns(w)}
)${w.tableOptions};
CREATE TABLE igw_spend_logs (
  request_id text PRIMARY KEY,
  api_key text NOT NULL DEFAULT '',
  user_id text,
  team_id text,
  organization_id text,
  end_user text,
  model text NOT NULL,
  deployment text,
  call_type text NOT NULL DEFAULT '',
  prompt_tokens ${w.int} NOT NULL DEFAULT 0,
  completion_tokens ${w.int} NOT NULL DEFAULT 0,
  total_tokens ${w.int} NOT NULL DEFAULT 0,
  cached_read_tokens ${w.int} NOT NULL DEFAULT 0,
  cache_write_tokens ${w.int} NOT NULL DEFAULT 0,
  reasoning_tokens ${w.int} NOT NULL DEFAULT 0,
  spend ${w.float} NOT NULL DEFAULT 0,
  start_time ${w.time} NOT NULL,
  end_time ${w.time} NOT NULL,
  latency_ms ${w.float} NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'success',
  error_code text,
  cache_hit ${w.bool} NOT NULL DEFAULT ${w.false},
  tags ${w.json} NOT NULL DEFAULT '[]',
  metadata ${w.json} NOT NULL DEFAULT '{}'
)${w.tableOptions};
CREATE INDEX igw_spend_logs_time ON igw_spend_logs (start_time);
CREATE INDEX igw_spend_logs_key_time ON igw_spend_logs (api_key, start_time);
CREATE INDEX igw_spend_logs_team_time ON igw_spend_logs (team_id, start_time);
CREATE INDEX igw_spend_logs_user_time ON igw_spend_logs (user_id, start_time);
`,
  },
  {
    // Requests without a team or a user (the master key's, a key that belongs to neither) were entered into
    // these indexes under NULL, which no query looks up: each such row cost two index inserts for nothing,
    // about a quarter of the embedded store's time per spend-log row.
    version: 2,
    name: 'spend-log team and user indexes hold only rows that have one',
    sql: () => `
DROP INDEX igw_spend_logs_team_time;
DROP INDEX igw_spend_logs_user_time;
CREATE INDEX igw_spend_logs_team_time ON igw_spend_logs (team_id, start_time) WHERE team_id IS NOT NULL;
CREATE INDEX igw_spend_logs_user_time ON igw_spend_logs (user_id, start_time) WHERE user_id IS NOT NULL;
`,
  },
  {
    // The master key's requests are logged with api_key '' (no key record), which no lookup by key asks for:
    // like migration 2, their rows are left out of the index. The column is NOT NULL, so the condition is
    // `<> ''`, which a query must repeat for the planner to use the index (spend.ts, filters()).
    version: 3,
    name: "spend-log key index holds only rows that have a key",
    sql: () => `
DROP INDEX igw_spend_logs_key_time;
CREATE INDEX igw_spend_logs_key_time ON igw_spend_logs (api_key, start_time) WHERE api_key <> '';
`,
  },
];

/** An arbitrary constant for the migrations' lock: "igw migrations". */
const LOCK_ID = 7_149_002;

/** Applies every migration not yet recorded in igw_schema_migrations; returns the versions applied. */
export async function migrate(db: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const d = db.dialect;
  const w = d.schema;
  await db.exec(`CREATE TABLE IF NOT EXISTS igw_schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at ${w.time} NOT NULL DEFAULT ${w.now}
  )${w.tableOptions}`);
  const lock = d.transactionLock(LOCK_ID);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      if (lock) await tx.query(lock);
      const seen = await tx.query(`SELECT 1 FROM igw_schema_migrations WHERE version = ${d.param(1)}`, [m.version]);
      if (seen.length > 0) return false;
      for (const statement of splitStatements(m.sql(w))) await tx.query(statement);
      await tx.query(`INSERT INTO igw_schema_migrations (version, name) VALUES (${d.param(1)}, ${d.param(2)})`, [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/** Migrations hold plain DDL with no `;` inside literals, so splitting on `;` at line ends is safe. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
