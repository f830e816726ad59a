// Key records and everything a Principal is made of (user, team, organization, budgets), cached in front of
// the store. Each record kind is cached on its own, so a change to a team invalidates the team, not every key.
import type { BudgetRecord, KeyRecord, OrganizationRecord, OrgRole, Store, TeamRecord, UserRecord } from '../store/index.ts';
import type { Invalidation } from './invalidation.ts';
import type { Principal } from './principal.ts';
import { RecordCache, type RecordCacheOptions } from './record-cache.ts';

export interface DirectoryOptions {
  /** Store access; may open the store on first use. */
  store: () => Promise<Store>;
  now?: () => number;
  /** Background refresh age of cached records; default 60 s. */
  ttlMs?: number;
  /** How long "no such key" is remembered; default 2 s. */
  negativeTtlMs?: number;
  /** Per record kind; default 100,000. */
  maxEntries?: number;
}

export class Directory {
  readonly keys: RecordCache<KeyRecord>;
  readonly users: RecordCache<UserRecord>;
  readonly teams: RecordCache<TeamRecord>;
  readonly organizations: RecordCache<OrganizationRecord>;
  readonly budgets: RecordCache<BudgetRecord>;
  /** Principals by key token, reused while their records are unchanged (see principal()). */
  private readonly principals = new Map<string, Principal>();
  private readonly maxPrincipals: number;

  constructor(opts: DirectoryOptions) {
    const cacheOpts: RecordCacheOptions = {
      ttlMs: opts.ttlMs ?? 60_000,
      negativeTtlMs: opts.negativeTtlMs ?? 2_000,
      maxEntries: opts.maxEntries ?? 100_000,
      now: opts.now ?? Date.now,
    };
    this.maxPrincipals = cacheOpts.maxEntries;
    const s = opts.store;
    this.keys = new RecordCache(async (id) => (await s()).keys.get(id), cacheOpts);
    this.users = new RecordCache(async (id) => (await s()).users.get(id), cacheOpts);
    this.teams = new RecordCache(async (id) => (await s()).teams.get(id), cacheOpts);
    this.organizations = new RecordCache(async (id) => (await s()).organizations.get(id), cacheOpts);
    this.budgets = new RecordCache(async (id) => (await s()).budgets.get(id), cacheOpts);
  }

  /**
   * The Principal of a key token, or null when no such key exists. A key's Principal is kept while every
   * record it was made of is still the cached one: most requests then take it without a microtask or a copy.
   */
  principal(token: string): Principal | null | Promise<Principal | null> {
    const kept = this.principals.get(token);
    if (kept && this.unchanged(kept)) return kept;
    return this.assemble(token);
  }

  /** Whether each record of `p` is still the one its cache holds (a changed or evicted record gives another object). */
  private unchanged(p: Principal): boolean {
    const key = p.key!;
    if (this.keys.get(key.token) !== key) return false;
    if (key.user_id && this.users.get(key.user_id) !== p.user) return false;
    if (key.team_id && this.teams.get(key.team_id) !== p.team) return false;
    const orgId = organizationIdOf(key, p.team);
    if (orgId && this.organizations.get(orgId) !== p.organization) return false;
    for (const id in p.budgets) if (this.budgets.get(id) !== p.budgets[id]) return false;
    return true;
  }

  private async assemble(token: string): Promise<Principal | null> {
    const key = await this.keys.get(token);
    if (!key) {
      this.principals.delete(token);
      return null;
    }
    const [user, team] = await Promise.all([key.user_id ? this.users.get(key.user_id) : null, key.team_id ? this.teams.get(key.team_id) : null]);
    const orgId = organizationIdOf(key, team);
    const organization = orgId ? await this.organizations.get(orgId) : null;
    const budgetIds = [key.budget_id, user?.budget_id, team?.budget_id, organization?.budget_id].filter((b): b is string => !!b);
    const budgets: Record<string, BudgetRecord> = {};
    for (const id of budgetIds) {
      const b = await this.budgets.get(id);
      if (b) budgets[id] = b;
    }
    const orgRoles: Record<string, OrgRole> = {};
    for (const m of user?.organization_memberships ?? []) orgRoles[m.organization_id] = m.user_role;
    const principal: Principal = {
      kind: 'virtual_key',
      key,
      user,
      team,
      organization,
      budgets,
      role: user?.user_role ?? null,
      teamRole: user && team ? (team.members_with_roles.find((m) => m.user_id === user.user_id)?.role ?? null) : null,
      orgRoles,
    };
    if (this.principals.size >= this.maxPrincipals) this.principals.clear();
    this.principals.set(token, principal);
    return principal;
  }

  invalidate(inv: Invalidation): void {
    switch (inv.kind) {
      case 'key':
        return this.keys.invalidate(inv.id);
      case 'user':
        return this.users.invalidate(inv.id);
      case 'team':
        return this.teams.invalidate(inv.id);
      case 'organization':
        return this.organizations.invalidate(inv.id);
      case 'budget':
        return this.budgets.invalidate(inv.id);
      case 'end_user':
        return;
      case 'all':
        for (const c of [this.keys, this.users, this.teams, this.organizations, this.budgets]) c.invalidate();
    }
  }
}

/** The key's organization, else its team's. */
function organizationIdOf(key: KeyRecord, team: TeamRecord | null): string | null {
  return key.organization_id ?? team?.organization_id ?? null;
}
