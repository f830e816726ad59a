// The parties a request is charged to and limited by: its key, the key's user, team and organization, and the
// end-user named in the request's `user` field (Anthropic's `metadata.user_id` on /v1/messages). Each one's effective limits are its own fields, falling back
// field by field to the shared budget row it references (`budget_id`), as LiteLLM does.
import type { BudgetRecord, EndUserRecord, KeyRecord, LimitFields, OrganizationRecord, PerModel, TeamRecord, UserRecord } from '../store/index.ts';

/** The records a request is made under: the authenticated Principal satisfies it (limits do not import auth). */
export interface Caller {
  key: KeyRecord | null;
  user: UserRecord | null;
  team: TeamRecord | null;
  organization: OrganizationRecord | null;
  budgets: Readonly<Record<string, BudgetRecord>>;
}

export type SubjectKind = 'key' | 'user' | 'team' | 'organization' | 'end_user';

export interface Subject {
  kind: SubjectKind;
  id: string;
  /** How messages name it: the key's alias or `sk-...abcd`, else the id. */
  label: string;
  /** USD; null: no budget. */
  maxBudget: number | null;
  softBudget: number | null;
  budgetDuration: string | null;
  /** When the store's `spend` resets next (anchors the budget periods). */
  budgetResetAt: string | null;
  createdAt: string;
  /** The spend the store holds (for the period ending at budgetResetAt). */
  storedSpend: number;
  rpm: number | null;
  tpm: number | null;
  parallel: number | null;
  modelMaxBudget: PerModel;
  modelRpm: PerModel;
  modelTpm: PerModel;
}

interface LimitedRecord extends LimitFields {
  created_at: string;
  spend: number;
}

/** A caller's own subjects, kept per Caller object: authentication hands out the same Principal while its records are unchanged. */
const callerSubjects = new WeakMap<Caller, readonly Subject[]>();

/** The request's subjects, in order: key, user, team, organization, end-user. Treat them as read-only. */
export function subjectsOf(principal: Caller, endUser: EndUserRecord | null, budgets: Readonly<Record<string, BudgetRecord>> = {}): readonly Subject[] {
  if (endUser) return buildSubjects(principal, endUser, budgets);
  let subjects = callerSubjects.get(principal);
  if (!subjects) callerSubjects.set(principal, (subjects = buildSubjects(principal, null, {})));
  return subjects;
}

function buildSubjects(principal: Caller, endUser: EndUserRecord | null, budgets: Readonly<Record<string, BudgetRecord>>): Subject[] {
  const all = { ...principal.budgets, ...budgets };
  const out: Subject[] = [];
  const { key, user, team, organization } = principal;
  if (key) out.push(subject('key', key.token, key.key_alias ?? key.key_name, key, all));
  if (user) {
    const s = subject('user', user.user_id, user.user_id, user, all);
    // LiteLLM: a key that belongs to a team spends the team's budget, not its user's personal one.
    if (team) s.maxBudget = s.softBudget = null;
    out.push(s);
  }
  if (team) out.push(subject('team', team.team_id, team.team_alias ?? team.team_id, team, all));
  if (organization) out.push(subject('organization', organization.organization_id, organization.organization_alias, organization, all));
  if (endUser) out.push(subject('end_user', endUser.user_id, endUser.user_id, endUser, all));
  return out;
}

function subject(kind: SubjectKind, id: string, label: string, r: LimitedRecord, budgets: Readonly<Record<string, BudgetRecord>>): Subject {
  const b = r.budget_id ? budgets[r.budget_id] : undefined;
  return {
    kind,
    id,
    label,
    maxBudget: r.max_budget ?? b?.max_budget ?? null,
    softBudget: r.soft_budget ?? b?.soft_budget ?? null,
    budgetDuration: r.budget_duration ?? b?.budget_duration ?? null,
    budgetResetAt: r.budget_reset_at ?? b?.budget_reset_at ?? null,
    createdAt: r.created_at,
    storedSpend: r.spend,
    rpm: r.rpm_limit ?? b?.rpm_limit ?? null,
    tpm: r.tpm_limit ?? b?.tpm_limit ?? null,
    parallel: r.max_parallel_requests ?? b?.max_parallel_requests ?? null,
    modelMaxBudget: nonEmpty(r.model_max_budget) ?? b?.model_max_budget ?? {},
    modelRpm: nonEmpty(r.model_rpm_limit) ?? b?.model_rpm_limit ?? {},
    modelTpm: nonEmpty(r.model_tpm_limit) ?? b?.model_tpm_limit ?? {},
  };
}

function nonEmpty(m: PerModel | null | undefined): PerModel | undefined {
  if (!m) return undefined;
  for (const _ in m) return m;
  return undefined;
}
