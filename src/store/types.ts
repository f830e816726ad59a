// The store: durable governance data (DESIGN.md "store vs state"). One interface, two engines: SQLite embedded
// in the process through node:sqlite (the default, no service to run) and PostgreSQL (`DATABASE_URL`). Both run
// the same repositories; where their SQL differs, a dialect (sql/dialect.ts) spells it.
//
// Field names follow LiteLLM's management API (snake_case), so a record can be returned by the admin routes
// with little or no renaming. Times are ISO-8601 strings in UTC. Money is US dollars as a float.
//
// Patch semantics everywhere: a field that is `undefined` (or absent) is left unchanged; `null` clears it.

/** Proxy-wide roles, LiteLLM's `user_role` values. */
export type UserRole = 'proxy_admin' | 'proxy_admin_viewer' | 'internal_user' | 'internal_user_viewer';
/** A member's role inside one team (LiteLLM `members_with_roles[].role`). */
export type TeamRole = 'admin' | 'user';
/** A member's role inside one organization (LiteLLM `/organization/member_add` roles). */
export type OrgRole = 'org_admin' | 'internal_user' | 'internal_user_viewer';

export const USER_ROLES: readonly UserRole[] = ['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer'];
export const TEAM_ROLES: readonly TeamRole[] = ['admin', 'user'];
export const ORG_ROLES: readonly OrgRole[] = ['org_admin', 'internal_user', 'internal_user_viewer'];

/** Per-model numbers keyed by model name, e.g. `{ "gpt-4o": 10 }`. */
export type PerModel = Record<string, number>;
export type Metadata = Record<string, unknown>;

/** Budget and rate-limit fields shared by keys, users, teams, organizations, end-users and budgets. */
export interface LimitFields {
  max_budget: number | null;
  /** Spend at which to warn; never blocks. */
  soft_budget: number | null;
  /** `30s`, `1h`, `1d`, `7d`, `30d`, `1mo`: how often `spend` resets. Null: never. */
  budget_duration: string | null;
  /** When `spend` next resets (set from budget_duration on create/update and on each reset). */
  budget_reset_at: string | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  /** LiteLLM's `model_max_budget`: per-model budget in USD. */
  model_max_budget: PerModel;
  model_rpm_limit: PerModel;
  model_tpm_limit: PerModel;
  /** A shared budget row (`/budget/new`) whose limits apply where this record's own are null. */
  budget_id: string | null;
}

interface Timestamps {
  created_at: string;
  updated_at: string;
}

/** A virtual key. The key itself is never stored: `token` is its SHA-256 hex digest. */
export interface KeyRecord extends LimitFields, Timestamps {
  /** SHA-256 hex of the `sk-...` key: the primary key, LiteLLM's `token`. */
  token: string;
  /** Abbreviated display form, `sk-...abcd` (LiteLLM's `key_name`). */
  key_name: string;
  /** Unique when set. */
  key_alias: string | null;
  user_id: string | null;
  team_id: string | null;
  organization_id: string | null;
  /** Models this key may call; empty means every model its team/user may call. */
  models: string[];
  /** Spend recorded in the store (spend logs are added to it in batches). */
  spend: number;
  /** Expiry time; null: never. */
  expires: string | null;
  metadata: Metadata;
  tags: string[];
  blocked: boolean;
  created_by: string | null;
}

export interface UserRecord extends LimitFields, Timestamps {
  user_id: string;
  user_alias: string | null;
  user_email: string | null;
  user_role: UserRole;
  /** Teams the user is a member of (derived from team memberships). */
  teams: string[];
  /** Organizations the user is a member of, with the role in each (derived from memberships). */
  organization_memberships: OrgMember[];
  models: string[];
  spend: number;
  metadata: Metadata;
}

export interface TeamMember {
  user_id: string;
  user_email: string | null;
  role: TeamRole;
}

export interface TeamRecord extends LimitFields, Timestamps {
  team_id: string;
  /** Unique when set. */
  team_alias: string | null;
  organization_id: string | null;
  models: string[];
  spend: number;
  blocked: boolean;
  metadata: Metadata;
  members_with_roles: TeamMember[];
}

export interface OrgMember {
  user_id: string;
  organization_id: string;
  user_role: OrgRole;
}

export interface OrganizationRecord extends LimitFields, Timestamps {
  organization_id: string;
  organization_alias: string;
  models: string[];
  spend: number;
  metadata: Metadata;
  members: OrgMember[];
  /** Teams that belong to this organization (derived). */
  teams: string[];
}

/** An end-user (LiteLLM "customer"): the `user` field of a chat request. */
export interface EndUserRecord extends LimitFields, Timestamps {
  user_id: string;
  alias: string | null;
  blocked: boolean;
  spend: number;
  allowed_model_region: string | null;
  default_model: string | null;
  metadata: Metadata;
}

/** A reusable budget (`/budget/new`): limits referenced by `budget_id` from other records. */
export interface BudgetRecord extends Omit<LimitFields, 'budget_id'>, Timestamps {
  budget_id: string;
}

// ---------------------------------------------------------------------------------------------------------
// Inputs. `New*` requires the identity and accepts any mutable field; `*Patch` is a partial update.

type Mutable<T, Fixed extends keyof T> = Partial<Omit<T, Fixed | keyof Timestamps>>;

export type NewKey = Mutable<KeyRecord, 'token' | 'key_name' | 'spend'> & { token: string; key_name: string; spend?: number };
export type KeyPatch = Mutable<KeyRecord, 'token' | 'key_name' | 'spend' | 'created_by'>;

export type NewUser = Mutable<UserRecord, 'user_id' | 'teams' | 'organization_memberships' | 'spend'> & { user_id: string; spend?: number };
export type UserPatch = Mutable<UserRecord, 'user_id' | 'teams' | 'organization_memberships' | 'spend'>;

export type NewTeam = Mutable<TeamRecord, 'team_id' | 'members_with_roles' | 'spend'> & {
  team_id: string;
  members_with_roles?: TeamMember[];
  spend?: number;
};
export type TeamPatch = Mutable<TeamRecord, 'team_id' | 'members_with_roles' | 'spend'>;

export type NewOrganization = Mutable<OrganizationRecord, 'organization_id' | 'organization_alias' | 'members' | 'teams' | 'spend'> & {
  organization_id: string;
  organization_alias: string;
  spend?: number;
};
export type OrganizationPatch = Mutable<OrganizationRecord, 'organization_id' | 'members' | 'teams' | 'spend'>;

export type NewEndUser = Mutable<EndUserRecord, 'user_id' | 'spend'> & { user_id: string; spend?: number };
export type EndUserPatch = Mutable<EndUserRecord, 'user_id' | 'spend'>;

export type NewBudget = Mutable<BudgetRecord, 'budget_id'> & { budget_id: string };
export type BudgetPatch = Mutable<BudgetRecord, 'budget_id'>;

/** A page of a list: `total` counts every matching row, not just this page. */
export interface Page<T> {
  rows: T[];
  total: number;
}

export interface PageRequest {
  /** 1-based. Default 1. */
  page?: number;
  /** Default 50, at most 1000. */
  size?: number;
}

export interface KeyFilter extends PageRequest {
  user_id?: string;
  team_id?: string;
  /** Keys of any of these teams (a team admin's scope). */
  team_ids?: string[];
  organization_id?: string;
  key_alias?: string;
}

export interface UserFilter extends PageRequest {
  user_role?: UserRole;
  user_email?: string;
  team_id?: string;
  organization_id?: string;
  user_ids?: string[];
}

export interface TeamFilter extends PageRequest {
  organization_id?: string;
  /** Teams this user is a member of. */
  user_id?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Spend

export type SpendStatus = 'success' | 'failure';

/** One request, success or failure (LiteLLM's SpendLogs row). */
export interface SpendLogRow {
  request_id: string;
  /** SHA-256 hex of the key (`KeyRecord.token`); empty for the master key. */
  api_key: string;
  user_id: string | null;
  team_id: string | null;
  organization_id: string | null;
  /** The `user` field of the request. */
  end_user: string | null;
  /** The model name the client asked for. */
  model: string;
  /** The deployment id that served it (null when none was reached). */
  deployment: string | null;
  /** e.g. `chat.completions`, `embeddings`. */
  call_type: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  spend: number;
  start_time: string;
  end_time: string;
  latency_ms: number;
  status: SpendStatus;
  error_code: string | null;
  cache_hit: boolean;
  tags: string[];
  metadata: Metadata;
}

/** Every field but the identity and times may be left out; missing counts are 0, missing ids null. */
export type NewSpendLog = Pick<SpendLogRow, 'request_id' | 'model' | 'start_time' | 'end_time'> & Partial<SpendLogRow>;

export interface SpendLogQuery {
  api_key?: string;
  user_id?: string;
  team_id?: string;
  /** Rows of any of these teams. */
  team_ids?: string[];
  organization_id?: string;
  end_user?: string;
  request_id?: string;
  model?: string;
  tag?: string;
  /** Inclusive, compared with start_time. ISO time or `YYYY-MM-DD` (UTC midnight). */
  start?: string;
  /** Exclusive. A bare `YYYY-MM-DD` means the end of that day (the day is included). */
  end?: string;
  /** Default 100, at most 10000. Newest first. */
  limit?: number;
  offset?: number;
}

/** `tag`: one group per tag of a request (a request with two tags counts in both; untagged ones under null). */
export type SpendGroupKey = 'model' | 'api_key' | 'team_id' | 'user_id' | 'organization_id' | 'end_user' | 'tag';

export interface DailySpendQuery extends Omit<SpendLogQuery, 'limit' | 'offset' | 'request_id'> {
  /** Columns to group by, besides the day. Empty: one row per day. */
  group_by: SpendGroupKey[];
}

/** One day (UTC) × the requested group columns; group columns not requested are absent. */
export interface DailySpendRow extends Partial<Record<SpendGroupKey, string | null>> {
  /** `YYYY-MM-DD` */
  date: string;
  spend: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  requests: number;
  successful_requests: number;
  failed_requests: number;
}

// ---------------------------------------------------------------------------------------------------------
// Repositories

export interface KeyRepository {
  /** Throws StoreError `conflict` (field `key_alias` or `token`) on a duplicate. */
  create(input: NewKey): Promise<KeyRecord>;
  get(token: string): Promise<KeyRecord | null>;
  getByAlias(alias: string): Promise<KeyRecord | null>;
  /** Null when the key does not exist. Throws `conflict` on a duplicate alias. */
  update(token: string, patch: KeyPatch): Promise<KeyRecord | null>;
  /** Returns the tokens that existed and were deleted. */
  delete(tokens: readonly string[]): Promise<string[]>;
  list(filter?: KeyFilter): Promise<Page<KeyRecord>>;
  /** Regeneration: the record moves to a new token (and key_name), keeping everything else, then `patch`. */
  rotate(oldToken: string, newToken: string, newKeyName: string, patch?: KeyPatch): Promise<KeyRecord | null>;
}

export interface UserRepository {
  /** Throws `conflict` (field `user_id`) when it exists. */
  create(input: NewUser): Promise<UserRecord>;
  get(userId: string): Promise<UserRecord | null>;
  update(userId: string, patch: UserPatch): Promise<UserRecord | null>;
  /** Also deletes the users' keys and their team and organization memberships (as LiteLLM does). */
  delete(userIds: readonly string[]): Promise<string[]>;
  list(filter?: UserFilter): Promise<Page<UserRecord>>;
}

export interface TeamRepository {
  /** Throws `conflict` on a duplicate team_id or team_alias; `not_found` (field `organization_id`) for an unknown org. */
  create(input: NewTeam): Promise<TeamRecord>;
  get(teamId: string): Promise<TeamRecord | null>;
  update(teamId: string, patch: TeamPatch): Promise<TeamRecord | null>;
  /** Also deletes the team's keys and memberships (as LiteLLM does). */
  delete(teamIds: readonly string[]): Promise<string[]>;
  list(filter?: TeamFilter): Promise<Page<TeamRecord>>;
  /** Adds or updates (role, email) members. Null when the team does not exist. Users must exist. */
  addMembers(teamId: string, members: readonly TeamMember[]): Promise<TeamRecord | null>;
  removeMembers(teamId: string, userIds: readonly string[]): Promise<TeamRecord | null>;
}

export interface OrganizationRepository {
  create(input: NewOrganization): Promise<OrganizationRecord>;
  get(organizationId: string): Promise<OrganizationRecord | null>;
  update(organizationId: string, patch: OrganizationPatch): Promise<OrganizationRecord | null>;
  /** Throws `conflict` while teams still belong to the organization. */
  delete(organizationIds: readonly string[]): Promise<string[]>;
  list(filter?: PageRequest & { user_id?: string }): Promise<Page<OrganizationRecord>>;
  /** Adds or updates members. Users must exist. */
  addMembers(organizationId: string, members: readonly Omit<OrgMember, 'organization_id'>[]): Promise<OrganizationRecord | null>;
  removeMembers(organizationId: string, userIds: readonly string[]): Promise<OrganizationRecord | null>;
}

export interface EndUserRepository {
  create(input: NewEndUser): Promise<EndUserRecord>;
  get(userId: string): Promise<EndUserRecord | null>;
  update(userId: string, patch: EndUserPatch): Promise<EndUserRecord | null>;
  delete(userIds: readonly string[]): Promise<string[]>;
  list(filter?: PageRequest): Promise<Page<EndUserRecord>>;
}

export interface BudgetRepository {
  create(input: NewBudget): Promise<BudgetRecord>;
  get(budgetId: string): Promise<BudgetRecord | null>;
  getMany(budgetIds: readonly string[]): Promise<BudgetRecord[]>;
  update(budgetId: string, patch: BudgetPatch): Promise<BudgetRecord | null>;
  /** Throws `conflict` while a record references the budget. */
  delete(budgetIds: readonly string[]): Promise<string[]>;
  list(filter?: PageRequest): Promise<Page<BudgetRecord>>;
}

/** The entities that carry a `spend` column. */
export type SpendEntity = 'key' | 'user' | 'team' | 'organization' | 'end_user';

export interface SpendRepository {
  /**
   * Inserts the rows in one transaction and adds each row's `spend` to the `spend` column of its key, user,
   * team, organization and end-user, so that stored spend equals the sum of the logged rows exactly.
   * Rows whose request_id already exists are skipped (a retried batch is not counted twice).
   * Returns the number of rows inserted.
   */
  insertSpendLogs(rows: readonly NewSpendLog[]): Promise<number>;
  listSpendLogs(query?: SpendLogQuery): Promise<SpendLogRow[]>;
  dailySpend(query: DailySpendQuery): Promise<DailySpendRow[]>;
  /** Sum of `spend` of the matching rows (for checks and reports). */
  totalSpend(query?: Omit<SpendLogQuery, 'limit' | 'offset'>): Promise<number>;
  /**
   * For every record of `entity` whose `budget_reset_at` is at or before `now`: spend := 0 and
   * budget_reset_at := the first `budget_reset_at + k·budget_duration` after `now` (periods keep their phase
   * however late the reset runs). Returns the ids reset.
   */
  resetDueBudgets(entity: SpendEntity, now: Date): Promise<string[]>;
}

export type StoreEngine = 'sqlite' | 'postgres';

export interface Store {
  readonly engine: StoreEngine;
  readonly keys: KeyRepository;
  readonly users: UserRepository;
  readonly teams: TeamRepository;
  readonly organizations: OrganizationRepository;
  readonly endUsers: EndUserRepository;
  readonly budgets: BudgetRepository;
  readonly spend: SpendRepository;
  /** Cheap liveness check (`SELECT 1`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreErrorCode = 'conflict' | 'not_found' | 'invalid' | 'unavailable';

/** A failure the caller can act on; `field` names the input field at fault. Never contains a secret. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly field: string | null;
  constructor(code: StoreErrorCode, message: string, field: string | null = null) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.field = field;
  }
}
