// /customer/* — end-users: the `user` field of a request, with their own budget and limits.
import { rbac } from '../../auth/index.ts';
import { badRequest } from '../../canonical/index.ts';
import type { EndUserPatch, Store } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { invalidate, notFound, queryOf, readBody, reply, withStore } from './common.ts';
import { idList, limitFields, optBool, optObject, optString, qString, reqString, stripUndefined, type Body } from './fields.ts';

function readCustomerFields(b: Body): EndUserPatch {
  return stripUndefined({
    ...limitFields(b),
    alias: optString(b, 'alias'),
    blocked: optBool(b, 'blocked'),
    allowed_model_region: optString(b, 'allowed_model_region'),
    default_model: optString(b, 'default_model'),
    metadata: optObject(b, 'metadata'),
  });
}

async function requireBudget(store: Store, id: string | null | undefined): Promise<void> {
  if (id && !(await store.budgets.get(id))) throw notFound('budget', id, 'budget_id');
}

export async function customerNew(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'create customers');
  const b = await readBody(ctx, deps);
  const userId = reqString(b, 'user_id');
  const fields = readCustomerFields(b);
  const customer = await withStore(
    deps,
    async (store) => {
      await requireBudget(store, fields.budget_id);
      return store.endUsers.create({ ...fields, user_id: userId });
    },
    b,
  );
  await invalidate(deps, { kind: 'end_user', id: userId });
  reply(ctx, customer);
}

export async function customerInfo(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireReadAll(ctx.principal, 'read customers');
  const id = qString(queryOf(ctx), 'end_user_id');
  if (!id) throw badRequest("'end_user_id' is required (/customer/info?end_user_id=...).", 'end_user_id', 'missing_field');
  const customer = await withStore(deps, async (store) => {
    const c = await store.endUsers.get(id);
    if (!c) throw notFound('customer', id, 'end_user_id');
    return c;
  });
  reply(ctx, customer);
}

export async function customerUpdate(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'update customers');
  const b = await readBody(ctx, deps);
  const id = reqString(b, 'user_id');
  const fields = readCustomerFields(b);
  const customer = await withStore(deps, async (store) => {
    await requireBudget(store, fields.budget_id);
    const c = await store.endUsers.update(id, fields);
    if (!c) throw notFound('customer', id, 'user_id');
    return c;
  });
  await invalidate(deps, { kind: 'end_user', id });
  reply(ctx, customer);
}

export async function customerList(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireReadAll(ctx.principal, 'list customers');
  reply(ctx, (await withStore(deps, (store) => store.endUsers.list({ size: 1000 }))).rows);
}

async function requireAll(store: Store, ids: readonly string[]): Promise<void> {
  for (const id of ids) if (!(await store.endUsers.get(id))) throw notFound('customer', id, 'user_ids');
}

export async function customerDelete(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'delete customers');
  const ids = idList(await readBody(ctx, deps), 'user_ids');
  const deleted = await withStore(deps, async (store) => {
    await requireAll(store, ids);
    return store.endUsers.delete(ids);
  });
  await invalidate(deps, ...ids.map((id) => ({ kind: 'end_user' as const, id })));
  reply(ctx, { deleted_customers: deleted });
}

async function setBlocked(ctx: RequestContext, deps: GatewayDeps, blocked: boolean): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, `${blocked ? 'block' : 'unblock'} customers`);
  const ids = idList(await readBody(ctx, deps), 'user_ids');
  await withStore(deps, async (store) => {
    await requireAll(store, ids);
    for (const id of ids) await store.endUsers.update(id, { blocked });
  });
  await invalidate(deps, ...ids.map((id) => ({ kind: 'end_user' as const, id })));
  reply(ctx, blocked ? { blocked_users: ids } : { unblocked_users: ids });
}

export const customerBlock = (ctx: RequestContext, deps: GatewayDeps): Promise<void> => setBlocked(ctx, deps, true);
export const customerUnblock = (ctx: RequestContext, deps: GatewayDeps): Promise<void> => setBlocked(ctx, deps, false);
