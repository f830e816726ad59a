// /user/* — internal users. /user/new also creates a key for the user (LiteLLM's auto_create_key, default on).
import { randomUUID } from 'node:crypto';
import { abbreviateKey, generateKey, hashKey, rbac } from '../../auth/index.ts';
import { badRequest } from '../../canonical/index.ts';
import { USER_ROLES, type UserPatch, type UserRecord, type UserRole } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { invalidate, notFound, queryOf, readBody, reply, withStore } from './common.ts';
import { idList, limitFields, optBool, optObject, optOneOf, optString, optStringList, qInt, qString, reqString, stripUndefined, type Body } from './fields.ts';
import { keyView } from './keys.ts';

function readUserFields(b: Body): UserPatch {
  return stripUndefined({
    ...limitFields(b),
    user_alias: optString(b, 'user_alias'),
    user_email: optString(b, 'user_email'),
    user_role: optOneOf<UserRole>(b, 'user_role', USER_ROLES),
    models: optStringList(b, 'models'),
    metadata: optObject(b, 'metadata'),
  });
}

export async function userNew(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'create users');
  const b = await readBody(ctx, deps);
  const fields = readUserFields(b);
  const userId = optString(b, 'user_id') || randomUUID();
  const teams = optStringList(b, 'teams') ?? [];
  const autoKey = optBool(b, 'auto_create_key') ?? true;
  const key = autoKey ? generateKey() : undefined;
  const user = await withStore(
    deps,
    async (store) => {
      for (const t of teams) if (!(await store.teams.get(t))) throw notFound('team', t, 'teams');
      await store.users.create({ user_role: 'internal_user', ...fields, user_id: userId });
      for (const t of teams) await store.teams.addMembers(t, [{ user_id: userId, user_email: fields.user_email ?? null, role: 'user' }]);
      if (key) {
        await store.keys.create({ token: hashKey(key), key_name: abbreviateKey(key), user_id: userId, models: fields.models ?? [], created_by: rbac.selfId(ctx.principal) ?? 'master_key' });
      }
      return (await store.users.get(userId))!;
    },
    { ...b, user_id: userId },
  );
  await invalidate(deps, { kind: 'user', id: userId }, ...teams.map((id) => ({ kind: 'team' as const, id })));
  const keyFields = key ? { key, key_name: abbreviateKey(key), token: hashKey(key), expires: null } : {};
  reply(ctx, { ...user, ...keyFields });
}

export async function userInfo(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const p = ctx.principal;
  const userId = qString(queryOf(ctx), 'user_id') ?? rbac.selfId(p);
  if (!userId) throw badRequest("'user_id' is required (/user/info?user_id=...).", 'user_id', 'missing_field');
  if (!rbac.canReadAll(p) && userId !== rbac.selfId(p)) {
    throw rbac.forbidden(`${rbac.describeCaller(p)} may only read its own user record, not '${userId}'.`);
  }
  const out = await withStore(deps, async (store) => {
    const user = await store.users.get(userId);
    if (!user) throw notFound('user', userId, 'user_id');
    const keys = await store.keys.list({ user_id: userId, size: 1000 });
    const teams = [];
    for (const t of user.teams) {
      const team = await store.teams.get(t);
      if (team) teams.push(team);
    }
    return { user_id: userId, user_info: user, keys: keys.rows.map(keyView), teams };
  });
  reply(ctx, out);
}

export async function userUpdate(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'update users');
  const b = await readBody(ctx, deps);
  const userId = reqString(b, 'user_id');
  const fields = readUserFields(b);
  const user = await withStore(deps, async (store) => {
    const u = await store.users.update(userId, fields);
    if (!u) throw notFound('user', userId, 'user_id');
    return u;
  });
  await invalidate(deps, { kind: 'user', id: userId });
  reply(ctx, user);
}

export async function userDelete(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireProxyAdmin(ctx.principal, 'delete users');
  const b = await readBody(ctx, deps);
  const ids = idList(b, 'user_ids');
  const deleted = await withStore(deps, async (store) => {
    for (const id of ids) if (!(await store.users.get(id))) throw notFound('user', id, 'user_ids');
    return store.users.delete(ids);
  });
  // Their keys went with them; no cheap way to name each, so every cached key is dropped.
  await invalidate(deps, { kind: 'all' });
  reply(ctx, { deleted_users: deleted });
}

export async function userList(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  rbac.requireReadAll(ctx.principal, 'list users');
  const q = queryOf(ctx);
  const page = qInt(q, 'page') ?? 1;
  const size = Math.min(qInt(q, 'page_size') ?? 25, 1000);
  const role = qString(q, 'role');
  if (role !== undefined && !USER_ROLES.includes(role as UserRole)) {
    throw badRequest(`'role' must be one of ${USER_ROLES.join(', ')}, got '${role}'.`, 'role', 'invalid_field');
  }
  const ids = qString(q, 'user_ids')?.split(',').filter(Boolean);
  const result = await withStore(deps, (store) =>
    store.users.list({ user_role: role as UserRole | undefined, user_ids: ids, team_id: qString(q, 'team_id'), organization_id: qString(q, 'organization_id'), page, size }),
  );
  reply(ctx, { users: result.rows satisfies UserRecord[], total: result.total, page, page_size: size, total_pages: Math.max(1, Math.ceil(result.total / size)) });
}
