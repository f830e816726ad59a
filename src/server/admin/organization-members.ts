// /organization/member_add and /organization/member_delete: who belongs to an organization and with which
// role. A proxy_admin or an org_admin of that organization may change them.
import { randomUUID } from 'node:crypto';
import { rbac, type Principal } from '../../auth/index.ts';
import { GatewayError, badRequest } from '../../canonical/index.ts';
import { ORG_ROLES, type OrganizationRecord, type OrgMember, type OrgRole, type Store } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { invalidate, notFound, readBody, reply, withStore } from './common.ts';
import { optString, reqString, type Body } from './fields.ts';
import { loadOrg } from './organizations.ts';

function requireOrgAdmin(p: Principal, organizationId: string, action: string): void {
  if (rbac.isProxyAdmin(p) || rbac.isOrgAdmin(p, organizationId)) return;
  throw rbac.forbidden(`Only a proxy_admin or an org_admin of '${organizationId}' can ${action}; the caller is ${rbac.describeCaller(p)}.`);
}

function readOrgMembers(b: Body): { user_id: string | null; user_email: string | null; user_role: OrgRole }[] {
  const raw = b.member;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  if (!list.length) throw badRequest("'member' is required: {\"role\": \"internal_user\", \"user_id\": \"...\"} or a list of them.", 'member', 'missing_field');
  return list.map((m, i) => {
    const at = Array.isArray(raw) ? `member[${i}]` : 'member';
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw badRequest(`'${at}' must be an object.`, at, 'invalid_field');
    const o = m as Body;
    const role = o.role ?? 'internal_user';
    if (typeof role !== 'string' || !ORG_ROLES.includes(role as OrgRole)) {
      throw badRequest(`'${at}.role' must be one of ${ORG_ROLES.join(', ')}, got ${JSON.stringify(role)}.`, `${at}.role`, 'invalid_field');
    }
    const userId = optString(o, 'user_id') ?? null;
    const email = optString(o, 'user_email') ?? null;
    if (!userId && !email) throw badRequest(`'${at}' needs a user_id or a user_email.`, at, 'missing_field');
    return { user_id: userId, user_email: email, user_role: role as OrgRole };
  });
}

export async function organizationMemberAdd(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const id = reqString(b, 'organization_id');
  requireOrgAdmin(ctx.principal, id, 'add members');
  const members = readOrgMembers(b);
  const out = await withStore(deps, async (store) => {
    await loadOrg(store, id);
    const resolved: { user_id: string; user_role: OrgRole }[] = [];
    for (const m of members) {
      let userId = m.user_id ?? (m.user_email ? ((await store.users.list({ user_email: m.user_email, size: 1 })).rows[0]?.user_id ?? null) : null);
      userId ??= randomUUID();
      if (!(await store.users.get(userId))) await store.users.create({ user_id: userId, user_email: m.user_email, user_role: 'internal_user' });
      resolved.push({ user_id: userId, user_role: m.user_role });
    }
    const org = (await store.organizations.addMembers(id, resolved))!;
    const users = [];
    for (const m of resolved) users.push(await store.users.get(m.user_id));
    return { organization_id: id, updated_users: users.filter(Boolean), updated_organization_memberships: org.members.filter((m) => resolved.some((r) => r.user_id === m.user_id)) };
  });
  await invalidate(deps, ...out.updated_organization_memberships.map((m) => ({ kind: 'user' as const, id: m.user_id })));
  reply(ctx, out);
}

/** DELETE (or POST) /organization/member_delete `{organization_id, user_id | user_email}`: the removed membership. */
export async function organizationMemberDelete(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const id = reqString(b, 'organization_id');
  const who = readMemberRef(b);
  requireOrgAdmin(ctx.principal, id, 'remove members');
  const removed = await withStore(deps, async (store) => {
    const member = await findOrgMember(store, await loadOrg(store, id), who);
    if (!(await store.organizations.removeMembers(id, [member.user_id]))) throw notFound('organization', id, 'organization_id');
    return member;
  });
  // The user's cached org roles and the organization's member list change.
  await invalidate(deps, { kind: 'user', id: removed.user_id }, { kind: 'organization', id });
  reply(ctx, removed);
}

type MemberRef = { user_id: string } | { user_email: string };

function readMemberRef(b: Body): MemberRef {
  const userId = optString(b, 'user_id');
  if (userId) return { user_id: userId };
  const email = optString(b, 'user_email');
  if (email) return { user_email: email };
  throw badRequest("Give the member to remove as 'user_id' or 'user_email'.", 'user_id', 'missing_field');
}

/** The membership of the user named by id or email; 404 when that user is not a member. */
async function findOrgMember(store: Store, org: OrganizationRecord, who: MemberRef): Promise<OrgMember> {
  const userId = 'user_id' in who ? who.user_id : await userIdByEmail(store, who.user_email);
  const member = userId === null ? undefined : org.members.find((m) => m.user_id === userId);
  if (member) return member;
  throw notAMember(org.organization_id, who);
}

function notAMember(organizationId: string, who: MemberRef): GatewayError {
  const byId = 'user_id' in who;
  const message = byId
    ? `User '${who.user_id}' is not a member of organization '${organizationId}'.`
    : `No member of organization '${organizationId}' has the email '${who.user_email}'.`;
  return new GatewayError({ status: 404, kind: 'not_found', code: 'organization_member_not_found', type: 'not_found_error', param: byId ? 'user_id' : 'user_email', message });
}

/** The one user with this email; two or more cannot be told apart by it. */
async function userIdByEmail(store: Store, email: string): Promise<string | null> {
  const { rows } = await store.users.list({ user_email: email, size: 2 });
  if (rows.length > 1) throw badRequest(`Several users have the email '${email}'; give the member's 'user_id' instead.`, 'user_email', 'invalid_field');
  return rows[0]?.user_id ?? null;
}
