// Role-based access for the management API. Proxy roles (`user_role`): proxy_admin does everything,
// proxy_admin_viewer reads everything, internal_user manages its own keys, internal_user_viewer reads its own.
// Scoped roles add rights over one team (team `admin`) or one organization (`org_admin`). Every refusal is a
// 403 that says what was refused and why.
import { GatewayError } from '../canonical/index.ts';
import type { KeyRecord, TeamRecord, TeamRole } from '../store/index.ts';
import type { Principal } from './principal.ts';

export function forbidden(message: string): GatewayError {
  return new GatewayError({ status: 403, kind: 'permission', code: 'insufficient_permissions', type: 'permission_error', message });
}

/** How the caller is described in a refusal. */
export function describeCaller(p: Principal): string {
  if (p.kind !== 'virtual_key') return 'the master key';
  if (!p.user) return 'a key with no user';
  return `user '${p.user.user_id}' (role ${p.role})`;
}

export function isProxyAdmin(p: Principal): boolean {
  return p.role === 'proxy_admin';
}

/** proxy_admin or proxy_admin_viewer: may read everything. */
export function canReadAll(p: Principal): boolean {
  return p.role === 'proxy_admin' || p.role === 'proxy_admin_viewer';
}

/** Viewer roles may read but never change anything. */
export function isViewer(p: Principal): boolean {
  return p.role === 'proxy_admin_viewer' || p.role === 'internal_user_viewer';
}

export function requireProxyAdmin(p: Principal, action: string): void {
  if (!isProxyAdmin(p)) throw forbidden(`Only a proxy_admin can ${action}; the caller is ${describeCaller(p)}.`);
}

export function requireReadAll(p: Principal, action: string): void {
  if (!canReadAll(p)) throw forbidden(`Only a proxy_admin or proxy_admin_viewer can ${action}; the caller is ${describeCaller(p)}.`);
}

export function selfId(p: Principal): string | null {
  return p.user?.user_id ?? null;
}

export function teamRoleOf(p: Principal, team: TeamRecord): TeamRole | null {
  const me = selfId(p);
  if (!me) return null;
  return team.members_with_roles.find((m) => m.user_id === me)?.role ?? null;
}

export function isOrgAdmin(p: Principal, organizationId: string | null | undefined): boolean {
  return !!organizationId && p.orgRoles[organizationId] === 'org_admin';
}

/** proxy_admin, the team's admin, or an org_admin of the team's organization. */
export function canManageTeam(p: Principal, team: TeamRecord): boolean {
  return isProxyAdmin(p) || (!isViewer(p) && (teamRoleOf(p, team) === 'admin' || isOrgAdmin(p, team.organization_id)));
}

/** Those who manage it, readers of everything, and its members. */
export function canReadTeam(p: Principal, team: TeamRecord): boolean {
  return canReadAll(p) || canManageTeam(p, team) || teamRoleOf(p, team) !== null;
}

/**
 * Who may change a key: proxy_admin; an internal_user its own keys; the admin of the key's team (or an org_admin
 * of that team's organization) the team's keys.
 */
export function canManageKey(p: Principal, key: KeyRecord, team: TeamRecord | null): boolean {
  if (isProxyAdmin(p)) return true;
  if (isViewer(p) || !p.user) return false;
  if (key.user_id === p.user.user_id && p.role === 'internal_user') return true;
  return team !== null && canManageTeam(p, team);
}

/** Who may read a key: whoever may change it, readers of everything, its own user, and the key itself. */
export function canReadKey(p: Principal, key: KeyRecord, team: TeamRecord | null): boolean {
  if (canReadAll(p) || canManageKey(p, key, team)) return true;
  if (p.key?.token === key.token) return true;
  return !!p.user && key.user_id === p.user.user_id;
}
