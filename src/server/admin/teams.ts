// /team/* — teams and their members. A team admin manages its own team; an org_admin the teams of its org.
import { randomUUID } from 'node:crypto';
import { rbac, type Principal } from '../../auth/index.ts';
import { badRequest } from '../../canonical/index.ts';
import { TEAM_ROLES, type Store, type TeamMember, type TeamPatch, type TeamRecord, type TeamRole } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { invalidate, notFound, queryOf, readBody, reply, withStore } from './common.ts';
import { idList, limitFields, optBool, optObject, optString, optStringList, qString, reqString, stripUndefined, type Body } from './fields.ts';
import { keyView } from './keys.ts';

function readTeamFields(b: Body): TeamPatch {
  const alias = optString(b, 'team_alias');
  if (alias === '') throw badRequest("'team_alias' must not be empty.", 'team_alias', 'invalid_field');
  return stripUndefined({
    ...limitFields(b),
    team_alias: alias,
    organization_id: optString(b, 'organization_id'),
    models: optStringList(b, 'models'),
    metadata: optObject(b, 'metadata'),
    blocked: optBool(b, 'blocked'),
  });
}

/** One member as LiteLLM sends it: `{role, user_id}` or `{role, user_email}`. */
interface MemberInput {
  user_id: string | null;
  user_email: string | null;
  role: TeamRole;
}

function readMember(v: unknown, at: string): MemberInput {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`'${at}' must be an object like {"role": "user", "user_id": "..."}.`, at, 'invalid_field');
  const m = v as Body;
  const role = (m.role ?? 'user') as unknown;
  if (typeof role !== 'string' || !TEAM_ROLES.includes(role as TeamRole)) {
    throw badRequest(`'${at}.role' must be one of ${TEAM_ROLES.join(', ')}, got ${JSON.stringify(role)}.`, `${at}.role`, 'invalid_field');
  }
  const userId = optString(m, 'user_id') ?? null;
  const email = optString(m, 'user_email') ?? null;
  if (!userId && !email) throw badRequest(`'${at}' needs a user_id or a user_email.`, at, 'missing_field');
  return { user_id: userId, user_email: email, role: role as TeamRole };
}

export function readMembers(b: Body, name: string): MemberInput[] {
  const v = b[name];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((m, i) => readMember(m, `${name}[${i}]`));
  return [readMember(v, name)];
}

/**
 * Members are users: an unknown user_id is created as an internal_user (LiteLLM does the same); a member given
 * by email alone becomes the user with that email, or a new user with that email.
 */
export async function resolveMembers(store: Store, members: readonly MemberInput[]): Promise<TeamMember[]> {
  const out: TeamMember[] = [];
  for (const m of members) {
    let userId = m.user_id;
    if (!userId && m.user_email) {
      const found = await store.users.list({ user_email: m.user_email, size: 1 });
      userId = found.rows[0]?.user_id ?? null;
    }
    userId ??= randomUUID();
    if (!(await store.users.get(userId))) await store.users.create({ user_id: userId, user_email: m.user_email, user_role: 'internal_user' });
    out.push({ user_id: userId, user_email: m.user_email, role: m.role });
  }
  return out;
}

async function loadTeam(store: Store, teamId: string): Promise<TeamRecord> {
  const team = await store.teams.get(teamId);
  if (!team) throw notFound('team', teamId, 'team_id');
  return team;
}

function requireManage(p: Principal, team: TeamRecord, action: string): void {
  if (!rbac.canManageTeam(p, team)) {
    throw rbac.forbidden(`${rbac.describeCaller(p)} may not ${action} team '${team.team_id}': only a proxy_admin, the team's admin or its organization's org_admin can.`);
  }
}

export async function teamNew(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const p = ctx.principal;
  const b = await readBody(ctx, deps);
  const fields = readTeamFields(b);
  const teamId = optString(b, 'team_id') || randomUUID();
  const members = readMembers(b, 'members_with_roles');
  if (!rbac.isProxyAdmin(p) && !rbac.isOrgAdmin(p, fields.organization_id)) {
    throw rbac.forbidden(`Only a proxy_admin, or an org_admin of the team's organization_id, can create teams; the caller is ${rbac.describeCaller(p)}.`);
  }
  const team = await withStore(
    deps,
    async (store) => {
      if (fields.organization_id && !(await store.organizations.get(fields.organization_id))) throw notFound('organization', fields.organization_id, 'organization_id');
      return store.teams.create({ ...fields, team_id: teamId, members_with_roles: await resolveMembers(store, members) });
    },
    { ...b, team_id: teamId },
  );
  await invalidate(deps, ...team.members_with_roles.map((m) => ({ kind: 'user' as const, id: m.user_id })));
  reply(ctx, team);
}

export async function teamInfo(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  await deps.governance.flushSpendLogs(); // the spend shown includes every request answered before this one
  const teamId = qString(queryOf(ctx), 'team_id') ?? ctx.principal.team?.team_id;
  if (!teamId) throw badRequest("'team_id' is required (/team/info?team_id=...).", 'team_id', 'missing_field');
  const out = await withStore(deps, async (store) => {
    const team = await loadTeam(store, teamId);
    if (!rbac.canReadTeam(ctx.principal, team) && ctx.principal.key?.team_id !== teamId) {
      throw rbac.forbidden(`${rbac.describeCaller(ctx.principal)} may not read team '${teamId}': only its members and admins can.`);
    }
    const keys = await store.keys.list({ team_id: teamId, size: 1000 });
    return { team_id: teamId, team_info: team, keys: keys.rows.map(keyView), team_memberships: team.members_with_roles };
  });
  reply(ctx, out);
}

export async function teamUpdate(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const teamId = reqString(b, 'team_id');
  const fields = readTeamFields(b);
  const team = await withStore(
    deps,
    async (store) => {
      const current = await loadTeam(store, teamId);
      requireManage(ctx.principal, current, 'update');
      if (fields.organization_id !== undefined && fields.organization_id !== current.organization_id) {
        if (!rbac.isProxyAdmin(ctx.principal)) throw rbac.forbidden('Only a proxy_admin can move a team to another organization.');
        if (fields.organization_id && !(await store.organizations.get(fields.organization_id))) throw notFound('organization', fields.organization_id, 'organization_id');
      }
      return (await store.teams.update(teamId, fields))!;
    },
    b,
  );
  await invalidate(deps, { kind: 'team', id: teamId });
  reply(ctx, { team_id: teamId, data: team });
}

export async function teamDelete(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const ids = idList(b, 'team_ids');
  const deleted = await withStore(deps, async (store) => {
    for (const id of ids) {
      const team = await loadTeam(store, id);
      if (!rbac.isProxyAdmin(ctx.principal) && !rbac.isOrgAdmin(ctx.principal, team.organization_id)) {
        throw rbac.forbidden(`Only a proxy_admin or the org_admin of its organization can delete team '${id}'; the caller is ${rbac.describeCaller(ctx.principal)}.`);
      }
    }
    return store.teams.delete(ids);
  });
  await invalidate(deps, { kind: 'all' });
  reply(ctx, { deleted_teams: deleted });
}

export async function teamList(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const p = ctx.principal;
  const q = queryOf(ctx);
  const orgId = qString(q, 'organization_id');
  let userId = qString(q, 'user_id');
  if (!rbac.canReadAll(p) && !rbac.isOrgAdmin(p, orgId)) {
    const me = rbac.selfId(p);
    if (!me) throw rbac.forbidden('A key with no user cannot list teams.');
    if (userId && userId !== me) throw rbac.forbidden(`${rbac.describeCaller(p)} can only list its own teams.`);
    userId = me;
  }
  const result = await withStore(deps, (store) => store.teams.list({ organization_id: orgId, user_id: userId, size: 1000 }));
  reply(ctx, result.rows);
}

export async function teamMemberAdd(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const teamId = reqString(b, 'team_id');
  const members = readMembers(b, 'member');
  if (!members.length) throw badRequest("'member' is required: {\"role\": \"user\", \"user_id\": \"...\"} or a list of them.", 'member', 'missing_field');
  const out = await withStore(deps, async (store) => {
    requireManage(ctx.principal, await loadTeam(store, teamId), 'add members to');
    const resolved = await resolveMembers(store, members);
    const team = (await store.teams.addMembers(teamId, resolved))!;
    const users = [];
    for (const m of resolved) users.push(await store.users.get(m.user_id));
    return { ...team, updated_users: users.filter(Boolean), updated_team_memberships: resolved };
  });
  await invalidate(deps, { kind: 'team', id: teamId }, ...out.updated_team_memberships.map((m) => ({ kind: 'user' as const, id: m.user_id })));
  reply(ctx, out);
}

export async function teamMemberDelete(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const teamId = reqString(b, 'team_id');
  const userId = optString(b, 'user_id');
  const email = optString(b, 'user_email');
  if (!userId && !email) throw badRequest("Give the member to remove as 'user_id' or 'user_email'.", 'user_id', 'missing_field');
  const { team, removed } = await withStore(deps, async (store) => {
    const current = await loadTeam(store, teamId);
    requireManage(ctx.principal, current, 'remove members from');
    const member = current.members_with_roles.find((m) => (userId ? m.user_id === userId : m.user_email === email));
    if (!member) throw notFound('team member', userId ?? email ?? '', userId ? 'user_id' : 'user_email');
    return { team: (await store.teams.removeMembers(teamId, [member.user_id]))!, removed: member.user_id };
  });
  await invalidate(deps, { kind: 'team', id: teamId }, { kind: 'user', id: removed });
  reply(ctx, team);
}

async function setBlocked(ctx: RequestContext, deps: GatewayDeps, blocked: boolean): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, `${blocked ? 'block' : 'unblock'} teams`);
  const b = await readBody(ctx, deps);
  const teamId = reqString(b, 'team_id');
  const team = await withStore(deps, async (store) => {
    const t = await store.teams.update(teamId, { blocked });
    if (!t) throw notFound('team', teamId, 'team_id');
    return t;
  });
  await invalidate(deps, { kind: 'team', id: teamId });
  reply(ctx, team);
}

export const teamBlock = (ctx: RequestContext, deps: GatewayDeps): Promise<void> => setBlocked(ctx, deps, true);
export const teamUnblock = (ctx: RequestContext, deps: GatewayDeps): Promise<void> => setBlocked(ctx, deps, false);
