// /budget/* — reusable budgets that keys, users, teams, organizations and customers reference by budget_id.
import { randomUUID } from 'node:crypto';
import { rbac } from '../../auth/index.ts';
import { badRequest } from '../../canonical/index.ts';
import type { BudgetPatch } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { hasBody, invalidate, notFound, queryOf, readBody, reply, withStore } from './common.ts';
import { limitFields, optString, optStringList, qString, reqString, type Body } from './fields.ts';

function readBudgetFields(b: Body): BudgetPatch {
  const { budget_id: _ignored, ...fields } = limitFields({ ...b, budget_id: undefined });
  return fields;
}

export async function budgetNew(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'create budgets');
  const b = await readBody(ctx, deps);
  const id = optString(b, 'budget_id') || randomUUID();
  const fields = readBudgetFields(b);
  const budget = await withStore(deps, (store) => store.budgets.create({ ...fields, budget_id: id }), { ...b, budget_id: id });
  reply(ctx, budget);
}

/** POST {"budgets": [ids]} as LiteLLM, or GET ?budget_id=. */
export async function budgetInfo(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireReadAll(ctx.principal, 'read budgets');
  let ids: string[];
  if (ctx.req.method === 'GET' || !hasBody(ctx)) {
    const one = qString(queryOf(ctx), 'budget_id');
    if (!one) throw badRequest("'budget_id' is required (/budget/info?budget_id=...), or POST {\"budgets\": [...]}.", 'budget_id', 'missing_field');
    ids = [one];
  } else {
    ids = optStringList(await readBody(ctx, deps), 'budgets') ?? [];
    if (!ids.length) throw badRequest("'budgets' is required: a non-empty list of budget ids.", 'budgets', 'missing_field');
  }
  const budgets = await withStore(deps, async (store) => {
    const found = await store.budgets.getMany(ids);
    const missing = ids.find((id) => !found.some((f) => f.budget_id === id));
    if (missing) throw notFound('budget', missing, 'budgets');
    return found;
  });
  reply(ctx, budgets);
}

export async function budgetUpdate(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'update budgets');
  const b = await readBody(ctx, deps);
  const id = reqString(b, 'budget_id');
  const fields = readBudgetFields(b);
  const budget = await withStore(deps, async (store) => {
    const u = await store.budgets.update(id, fields);
    if (!u) throw notFound('budget', id, 'budget_id');
    return u;
  });
  await invalidate(deps, { kind: 'budget', id });
  reply(ctx, budget);
}

/** LiteLLM's body is {"id": "..."}; {"budget_id": "..."} is accepted too. */
export async function budgetDelete(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'delete budgets');
  const b = await readBody(ctx, deps);
  const id = optString(b, 'id') ?? optString(b, 'budget_id');
  if (!id) throw badRequest("'id' is required: the budget_id to delete.", 'id', 'missing_field');
  const deleted = await withStore(deps, async (store) => {
    const existing = await store.budgets.get(id);
    if (!existing) throw notFound('budget', id, 'id');
    await store.budgets.delete([id]);
    return existing;
  });
  await invalidate(deps, { kind: 'budget', id });
  reply(ctx, deleted);
}

export async function budgetList(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireReadAll(ctx.principal, 'list budgets');
  reply(ctx, (await withStore(deps, (store) => store.budgets.list({ size: 1000 }))).rows);
}
