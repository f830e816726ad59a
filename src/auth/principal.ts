// Who is calling: the result of authentication, handed to authorization (RBAC), limits and spend tracking.
import type { BudgetRecord, KeyRecord, OrganizationRecord, OrgRole, TeamRecord, TeamRole, UserRecord, UserRole } from '../store/index.ts';

export type PrincipalKind =
  /** The gateway's master key: every right, no limits, no spend attribution beyond the empty key hash. */
  | 'master'
  /** A virtual key from the store. */
  | 'virtual_key'
  /** No master key configured: the gateway is open and every caller is an anonymous admin. */
  | 'open';

export interface Principal {
  kind: PrincipalKind;
  /** The key record (null for master/open). `key.token` is the SHA-256 hex used as `api_key` in spend logs. */
  key: KeyRecord | null;
  /** The key's user, when it has one and the user exists. */
  user: UserRecord | null;
  /** The key's team, when it has one and the team exists. */
  team: TeamRecord | null;
  /** The key's organization, else its team's organization. */
  organization: OrganizationRecord | null;
  /** Budget rows referenced by `budget_id` of the key, user, team or organization, by budget_id. */
  budgets: Readonly<Record<string, BudgetRecord>>;
  /** Proxy-wide role: `proxy_admin` for master/open; the user's `user_role` for a key with a user; else null. */
  role: UserRole | null;
  /** The user's role in the key's team, when both exist and the user is a member. */
  teamRole: TeamRole | null;
  /** The user's role in each organization they belong to, by organization_id. */
  orgRoles: Readonly<Record<string, OrgRole>>;
}
