// /organization/* — organizations: groups of teams with members (org_admin, internal_user, internal_user_viewer).
// Their members are managed in organization-members.ts.
import { randomUUID } from 'node:crypto';
import { rbac } from '../../auth/index.ts';
import { badRequest } from '../../canonical/index.ts';
import type { OrganizationPatch, OrganizationRecord, Store } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { invalidate, notFound, queryOf, readBody, reply, withStore } from './common.ts';
import { idList, limitFields, optObject, optString, optStringList, qString, reqString, stripUndefined, type Body } from './fields.ts';

function readOrgFields(b: Body): OrganizationPatch {
  const alias = optString(b, 'organization_alias');
  if (alias === '' || alias === null) throw badRequest("'organization_alias' must be a non-empty string.", 'organization_alias', 'invalid_field');
  return stripUndefined({ ...limitFields(b), organization_alias: alias, models: optStringList(b, 'models'), metadata: optObject(b, 'metadata') });
}

export async function loadOrg(store: Store, id: string): Promise<OrganizationRecord> {
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
