// /organization/* — organizations: groups of teams with members (org_admin, internal_user, internal_user_viewer).
import { randomUUID } from 'node:crypto';
import { rbac } from '../../auth/index.ts';
import { badRequest } from '../../canonical/index.ts';
import { ORG_ROLES, type OrganizationPatch, type OrganizationRecord, type OrgRole, type Store } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { invalidate, notFound, queryOf, readBody, reply, withStore } from './common.ts';
import { idList, limitFields, optObject, optString, optStringList, qString, reqString, stripUndefined, type Body } from './fields.ts';

function readOrgFields(b: Body): OrganizationPatch {
  const alias = optString(b, 'organization_alias');
  if (alias === '' || alias === null) throw badRequest("'organization_alias' must be a non-empty string.", 'organization_alias', 'invalid_field');
  return stripUndefined({ ...limitFields(b), organization_alias: alias, models: optStringList(b, 'models'), metadata: optObject(b, 'metadata') });
}

async function loadOrg(store: Store, id: string): Promise<OrganizationRecord> {
  const org = await store.organizations.get(id);
  if (!org) throw notFound('organization', id, 'organization_id');
  return org;
}

export async function organizationNew(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'create organizations');
  const b = await readBody(ctx, deps);
  const alias = reqString(b, 'organization_alias');
  const fields = readOrgFields(b);
  const id = optString(b, 'organization_id') || randomUUID();
  const org = await withStore(
    deps,
    async (store) => {
      if (fields.budget_id && !(await store.budgets.get(fields.budget_id))) throw notFound('budget', fields.budget_id, 'budget_id');
      return store.organizations.create({ ...fields, organization_alias: alias, organization_id: id });
    },
    { ...b, organization_id: id },
  );
  reply(ctx, org);
}

export async function organizationInfo(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const p = ctx.principal;
  const id = qString(queryOf(ctx), 'organization_id');
  if (!id) throw badRequest("'organization_id' is required (/organization/info?organization_id=...).", 'organization_id', 'missing_field');
  if (!rbac.canReadAll(p) && !(id in p.orgRoles)) throw rbac.forbidden(`${rbac.describeCaller(p)} may not read organization '${id}': only its members and admins can.`);
  reply(ctx, await withStore(deps, (store) => loadOrg(store, id)));
}

export async function organizationUpdate(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const id = reqString(b, 'organization_id');
  const p = ctx.principal;
  if (!rbac.isProxyAdmin(p) && !rbac.isOrgAdmin(p, id)) throw rbac.forbidden(`Only a proxy_admin or an org_admin of '${id}' can update it; the caller is ${rbac.describeCaller(p)}.`);
  const fields = readOrgFields(b);
  const org = await withStore(deps, async (store) => {
    const o = await store.organizations.update(id, fields);
    if (!o) throw notFound('organization', id, 'organization_id');
    return o;
  });
  await invalidate(deps, { kind: 'organization', id });
  reply(ctx, org);
}

export async function organizationDelete(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'delete organizations');
  const b = await readBody(ctx, deps);
  const ids = idList(b, 'organization_ids');
  const deleted = await withStore(deps, async (store) => {
    const orgs = [];
    for (const id of ids) orgs.push(await loadOrg(store, id));
    await store.organizations.delete(ids);
    return orgs;
  });
  await invalidate(deps, ...ids.map((id) => ({ kind: 'organization' as const, id })));
  reply(ctx, deleted);
}

export async function organizationList(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const p = ctx.principal;
  const me = rbac.selfId(p);
  if (!rbac.canReadAll(p) && !me) throw rbac.forbidden('A key with no user cannot list organizations.');
  const result = await withStore(deps, (store) => store.organizations.list({ user_id: rbac.canReadAll(p) ? undefined : me!, size: 1000 }));
  reply(ctx, result.rows);
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
  const p = ctx.principal;
  if (!rbac.isProxyAdmin(p) && !rbac.isOrgAdmin(p, id)) throw rbac.forbidden(`Only a proxy_admin or an org_admin of '${id}' can add members; the caller is ${rbac.describeCaller(p)}.`);
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
