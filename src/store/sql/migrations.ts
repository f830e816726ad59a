// Versioned schema migrations, applied in order at start-up. Append only: a released migration never changes.
// Each runs in its own transaction under an advisory lock, so replicas starting together apply it once.
import type { SqlDriver } from './driver.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The limit columns every limited entity carries (LimitFields in ../types.ts). */
const LIMIT_COLUMNS = `
  max_budget double precision,
  soft_budget double precision,
  budget_duration text,
  budget_reset_at timestamptz,
  rpm_limit bigint,
  tpm_limit bigint,
  max_parallel_requests bigint,
  model_max_budget jsonb NOT NULL DEFAULT '{}',
  model_rpm_limit jsonb NOT NULL DEFAULT '{}',
  model_tpm_limit jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'governance tables',
    sql: `
CREATE TABLE igw_budgets (
  budget_id text PRIMARY KEY,${LIMIT_COLUMNS}
);
CREATE TABLE igw_organizations (
  organization_id text PRIMARY KEY,
  organization_alias text NOT NULL,
  models jsonb NOT NULL DEFAULT '[]',
  spend double precision NOT NULL DEFAULT 0,
  metadata jsonb NOT NULL DEFAULT '{}',
  budget_id text,${LIMIT_COLUMNS}
);
CREATE TABLE igw_users (
  user_id text PRIMARY KEY,
  user_alias text,
  user_email text,
  user_role text NOT NULL DEFAULT 'internal_user',
  models jsonb NOT NULL DEFAULT '[]',
  spend double precision NOT NULL DEFAULT 0,
  metadata jsonb NOT NULL DEFAULT '{}',
  budget_id text,${LIMIT_COLUMNS}
);
CREATE TABLE igw_teams (
  team_id text PRIMARY KEY,
  team_alias text,
  organization_id text REFERENCES igw_organizations (organization_id),
  models jsonb NOT NULL DEFAULT '[]',
  spend double precision NOT NULL DEFAULT 0,
  blocked boolean NOT NULL DEFAULT false,
  metadata jsonb NOT NULL DEFAULT '{}',
  budget_id text,${LIMIT_COLUMNS},
  CONSTRAINT igw_teams_alias_key UNIQUE (team_alias)
);
CREATE TABLE igw_team_members (
  team_id text NOT NULL REFERENCES igw_teams (team_id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES igw_users (user_id) ON DELETE CASCADE,
  role text NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX igw_team_members_user ON igw_team_members (user_id);
CREATE TABLE igw_org_members (
  organization_id text NOT NULL REFERENCES igw_organizations (organization_id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES igw_users (user_id) ON DELETE CASCADE,
  user_role text NOT NULL,
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX igw_org_members_user ON igw_org_members (user_id);
CREATE TABLE igw_keys (
  token text PRIMARY KEY,
  key_name text NOT NULL,
  key_alias text,
  user_id text,
  team_id text,
  organization_id text,
  models jsonb NOT NULL DEFAULT '[]',
  spend double precision NOT NULL DEFAULT 0,
  expires timestamptz,
  metadata jsonb NOT NULL DEFAULT '{}',
  tags jsonb NOT NULL DEFAULT '[]',
  blocked boolean NOT NULL DEFAULT false,
  created_by text,
  budget_id text,${LIMIT_COLUMNS},
  CONSTRAINT igw_keys_alias_key UNIQUE (key_alias)
);
CREATE INDEX igw_keys_user ON igw_keys (user_id);
CREATE INDEX igw_keys_team ON igw_keys (team_id);
CREATE TABLE igw_end_users (
  user_id text PRIMARY KEY,
  alias text,
  blocked boolean NOT NULL DEFAULT false,
  spend double precision NOT NULL DEFAULT 0,
  allowed_model_region text,
  default_model text,
  metadata jsonb NOT NULL DEFAULT '{}',
  budget_id text,${LIMIT_COLUMNS}
);
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
  prompt_tokens bigint NOT NULL DEFAULT 0,
  completion_tokens bigint NOT NULL DEFAULT 0,
  total_tokens bigint NOT NULL DEFAULT 0,
  cached_read_tokens bigint NOT NULL DEFAULT 0,
  cache_write_tokens bigint NOT NULL DEFAULT 0,
  reasoning_tokens bigint NOT NULL DEFAULT 0,
  spend double precision NOT NULL DEFAULT 0,
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  latency_ms double precision NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'success',
  error_code text,
  cache_hit boolean NOT NULL DEFAULT false,
  tags jsonb NOT NULL DEFAULT '[]',
  metadata jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX igw_spend_logs_time ON igw_spend_logs (start_time);
CREATE INDEX igw_spend_logs_key_time ON igw_spend_logs (api_key, start_time);
CREATE INDEX igw_spend_logs_team_time ON igw_spend_logs (team_id, start_time);
CREATE INDEX igw_spend_logs_user_time ON igw_spend_logs (user_id, start_time);
`,
  },
];

/** An arbitrary constant for pg_advisory_xact_lock: "igw migrations". */
const LOCK_ID = 7_149_002;

/** Applies every migration not yet recorded in igw_schema_migrations; returns the versions applied. */
export async function migrate(db: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS igw_schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
      const seen = await tx.query('SELECT 1 FROM igw_schema_migrations WHERE version = $1', [m.version]);
      if (seen.length > 0) return false;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO igw_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
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
