// /key/* — virtual keys (LiteLLM's paths, fields and responses). The `sk-…` key appears in exactly one
// response, the one that creates it; the store keeps only its SHA-256 (`token`), and logs never see it.
import { abbreviateKey, generateKey, hashKey, rbac, tokenOf, type Principal } from '../../auth/index.ts';
import { badRequest } from '../../canonical/index.ts';
import type { KeyPatch, KeyRecord, Store, TeamRecord } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { hasBody, invalidate, notFound, queryOf, readBody, reply, withStore } from './common.ts';
import { optStringList, qBool, qInt, qString, reqString, type Body } from './fields.ts';
import { customKey, readKeyFields } from './key-input.ts';

const nowOf = (deps: GatewayDeps): Date => new Date(deps.state.now());

async function loadKey(store: Store, keyOrToken: string, param: string): Promise<KeyRecord> {
  const key = await store.keys.get(tokenOf(keyOrToken));
  if (!key) throw notFound('key', keyOrToken.startsWith('sk-') ? abbreviateKey(keyOrToken) : keyOrToken, param);
  return key;
}

async function teamOf(store: Store, teamId: string | null | undefined, param = 'team_id'): Promise<TeamRecord | null> {
  if (!teamId) return null;
  const team = await store.teams.get(teamId);
  if (!team) throw notFound('team', teamId, param);
  return team;
}

async function requireUser(store: Store, userId: string | null | undefined): Promise<void> {
  if (userId && !(await store.users.get(userId))) throw notFound('user', userId, 'user_id');
}

async function requireOrganization(store: Store, orgId: string | null | undefined): Promise<void> {
  if (orgId && !(await store.organizations.get(orgId))) throw notFound('organization', orgId, 'organization_id');
}

/** The key as LiteLLM's /key/info and /key/list show it (everything but the key itself, which is never kept). */
export function keyView(k: KeyRecord): KeyRecord {
  return k;
}

/**
 * Who may create which key: proxy_admin any; the admin of a team (or org_admin of its organization) keys of
 * that team; an internal_user keys for itself, in a team it belongs to or in none. Viewers create nothing.
 */
function authorizeCreate(p: Principal, fields: KeyPatch, team: TeamRecord | null): KeyPatch {
  if (rbac.isProxyAdmin(p)) return fields;
  const me = rbac.selfId(p);
  if (!me || rbac.isViewer(p)) throw rbac.forbidden(`Creating keys is not allowed for ${rbac.describeCaller(p)}.`);
  if (team && rbac.canManageTeam(p, team)) return fields;
  if (fields.user_id && fields.user_id !== me) {
    throw rbac.forbidden(`An internal_user can only create keys for itself; '${fields.user_id}' is not the caller ('${me}').`);
  }
  if (team && rbac.teamRoleOf(p, team) === null) throw rbac.forbidden(`User '${me}' is not a member of team '${team.team_id}'.`);
  return { ...fields, user_id: me };
}

function authorizeManage(p: Principal, key: KeyRecord, team: TeamRecord | null, action: string): void {
  if (!rbac.canManageKey(p, key, team)) {
    throw rbac.forbidden(`${rbac.describeCaller(p)} may not ${action} key ${key.key_alias ? `'${key.key_alias}'` : key.key_name}: only a proxy_admin, the key's own internal_user, or an admin of its team can.`);
  }
}

/** Fields that bound what a key may do: set by whoever manages the key's team, not by the key's own user. */
const LIMIT_FIELDS = [
  'models',
  'max_budget',
  'soft_budget',
  'budget_duration',
  'budget_id',
  'rpm_limit',
  'tpm_limit',
  'max_parallel_requests',
  'model_max_budget',
  'model_rpm_limit',
  'model_tpm_limit',
  'blocked',
] as const;

/**
 * An internal_user may rename, re-tag, re-describe and expire its own keys, but not loosen or change the limits
 * an admin put on them (it would lift its own budget); proxy admins and the key's team admins may.
 */
function authorizeLimitChange(p: Principal, fields: KeyPatch, team: TeamRecord | null): void {
  if (rbac.isProxyAdmin(p) || (team && rbac.canManageTeam(p, team))) return;
  const touched = LIMIT_FIELDS.find((f) => fields[f] !== undefined);
  if (touched) {
    throw rbac.forbidden(`${rbac.describeCaller(p)} may not change '${touched}' of a key: limits are set by a proxy_admin or the key's team admin.`);
  }
}

function created(key: string, k: KeyRecord): Record<string, unknown> {
  return { ...keyView(k), key, key_name: k.key_name, expires: k.expires, token: k.token, token_id: k.token };
}

export async function keyGenerate(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const now = nowOf(deps);
  const fields = readKeyFields(b, now);
  const key = customKey(b, 'key') ?? generateKey();
  const record = await withStore(
    deps,
    async (store) => {
      const team = await teamOf(store, fields.team_id);
      await requireUser(store, fields.user_id);
      await requireOrganization(store, fields.organization_id);
      const allowed = authorizeCreate(ctx.principal, fields, team);
      return store.keys.create({
        ...allowed,
        organization_id: allowed.organization_id ?? team?.organization_id ?? null,
        token: hashKey(key),
        key_name: abbreviateKey(key),
        created_by: rbac.selfId(ctx.principal) ?? (ctx.principal.kind === 'master' ? 'master_key' : null),
      });
    },
    b,
  );
  // A custom key tried before it existed may be cached as unknown; it works from the next request.
  await invalidate(deps, { kind: 'key', id: record.token });
  reply(ctx, created(key, record));
}

export async function keyUpdate(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const given = reqString(b, 'key');
  const fields = readKeyFields(b, nowOf(deps));
  const record = await withStore(
    deps,
    async (store) => {
      const key = await loadKey(store, given, 'key');
      const team = key.team_id ? await store.teams.get(key.team_id) : null;
      authorizeManage(ctx.principal, key, team, 'update');
      authorizeLimitChange(ctx.principal, fields, team);
      if (fields.team_id !== undefined && fields.team_id !== key.team_id) {
        const target = await teamOf(store, fields.team_id);
        if (target && !rbac.isProxyAdmin(ctx.principal) && !rbac.canManageTeam(ctx.principal, target)) {
          throw rbac.forbidden(`${rbac.describeCaller(ctx.principal)} may not move a key into team '${target.team_id}'.`);
        }
      }
      if (fields.user_id !== undefined && fields.user_id !== key.user_id) {
        if (!rbac.isProxyAdmin(ctx.principal)) throw rbac.forbidden('Only a proxy_admin can give a key to another user.');
        await requireUser(store, fields.user_id);
      }
      await requireOrganization(store, fields.organization_id);
      return (await store.keys.update(key.token, fields))!;
    },
    b,
  );
  await invalidate(deps, { kind: 'key', id: record.token });
  reply(ctx, { ...keyView(record), key: given });
}

export async function keyDelete(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const b = await readBody(ctx, deps);
  const keys = optStringList(b, 'keys') ?? [];
  const aliases = optStringList(b, 'key_aliases') ?? [];
  if (!keys.length && !aliases.length) throw badRequest("Give the keys to delete in 'keys' (or their aliases in 'key_aliases').", 'keys', 'missing_field');
  const tokens = await withStore(deps, async (store) => {
    const records: KeyRecord[] = [];
    for (const k of keys) records.push(await loadKey(store, k, 'keys'));
    for (const alias of aliases) {
      const r = await store.keys.getByAlias(alias);
      if (!r) throw notFound('key alias', alias, 'key_aliases');
      records.push(r);
    }
    for (const r of records) authorizeManage(ctx.principal, r, await store.teams.get(r.team_id ?? ''), 'delete');
    return store.keys.delete(records.map((r) => r.token));
  });
  await invalidate(deps, ...tokens.map((id) => ({ kind: 'key' as const, id })));
  reply(ctx, { deleted_keys: [...keys, ...aliases] });
}

export async function keyInfo(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  await deps.governance.flushSpendLogs(); // the spend shown includes every request answered before this one
  const p = ctx.principal;
  const given = qString(queryOf(ctx), 'key');
  if (!given && !p.key) throw badRequest("'key' is required (as a query parameter: /key/info?key=sk-...).", 'key', 'missing_field');
  const record = await withStore(deps, async (store) => {
    const key = await loadKey(store, given ?? p.key!.token, 'key');
    const team = key.team_id ? await store.teams.get(key.team_id) : null;
    if (!rbac.canReadKey(p, key, team)) throw rbac.forbidden(`${rbac.describeCaller(p)} may not read key ${key.key_name}: only its user, its team's admin or an admin can.`);
    return key;
  });
  reply(ctx, { key: given ?? record.token, info: keyView(record) });
}

export async function keyList(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const q = queryOf(ctx);
  const p = ctx.principal;
  const page = qInt(q, 'page') ?? 1;
  const size = Math.min(qInt(q, 'size') ?? 50, 1000);
  const filter = {
    user_id: qString(q, 'user_id'),
    team_id: qString(q, 'team_id'),
    organization_id: qString(q, 'organization_id'),
    key_alias: qString(q, 'key_alias'),
    page,
    size,
  };
  const result = await withStore(deps, async (store) => {
    if (!rbac.canReadAll(p)) {
      const me = rbac.selfId(p);
      if (!me) throw rbac.forbidden('A key with no user can only read itself, with /key/info.');
      if (filter.team_id) {
        const team = await teamOf(store, filter.team_id);
        if (!team || !rbac.canManageTeam(p, team)) throw rbac.forbidden(`Only an admin of team '${filter.team_id}' can list its keys.`);
      } else if (filter.user_id && filter.user_id !== me) {
        throw rbac.forbidden(`${rbac.describeCaller(p)} can only list its own keys, not those of '${filter.user_id}'.`);
      } else {
        filter.user_id = me;
      }
    }
    return store.keys.list(filter);
  });
  const full = qBool(q, 'return_full_object');
  reply(ctx, {
    keys: full ? result.rows.map(keyView) : result.rows.map((r) => r.token),
    total_count: result.total,
    current_page: page,
    total_pages: Math.max(1, Math.ceil(result.total / size)),
  });
}

/** POST /key/regenerate {key} or POST /key/{key}/regenerate: a new key for the same record; the old one stops working. */
export async function keyRegenerate(ctx: RequestContext, deps: GatewayDeps, pathKey?: string): Promise<void> {
  const b: Body = pathKey && !hasBody(ctx) ? {} : await readBody(ctx, deps);
  const given = pathKey ?? reqString(b, 'key');
  const fields = readKeyFields({ ...b, key: undefined }, nowOf(deps));
  const newKey = customKey(b, 'new_key') ?? generateKey();
  const { record, old } = await withStore(
    deps,
    async (store) => {
      const key = await loadKey(store, given, 'key');
      const team = key.team_id ? await store.teams.get(key.team_id) : null;
      authorizeManage(ctx.principal, key, team, 'regenerate');
      authorizeLimitChange(ctx.principal, fields, team);
      const rotated = await store.keys.rotate(key.token, hashKey(newKey), abbreviateKey(newKey), fields);
      return { record: rotated!, old: key.token };
    },
    b,
  );
  await invalidate(deps, { kind: 'key', id: old });
  reply(ctx, created(newKey, record));
}

async function setBlocked(ctx: RequestContext, deps: GatewayDeps, blocked: boolean): Promise<void> {
  const b = await readBody(ctx, deps);
  const given = reqString(b, 'key');
  const record = await withStore(deps, async (store) => {
    const key = await loadKey(store, given, 'key');
    const team = key.team_id ? await store.teams.get(key.team_id) : null;
    if (!rbac.isProxyAdmin(ctx.principal) && !(team && rbac.canManageTeam(ctx.principal, team))) {
      throw rbac.forbidden(`Only a proxy_admin or an admin of the key's team can ${blocked ? 'block' : 'unblock'} a key; the caller is ${rbac.describeCaller(ctx.principal)}.`);
    }
    return (await store.keys.update(key.token, { blocked }))!;
  });
  await invalidate(deps, { kind: 'key', id: record.token });
  reply(ctx, keyView(record));
}

export const keyBlock = (ctx: RequestContext, deps: GatewayDeps): Promise<void> => setBlocked(ctx, deps, true);
export const keyUnblock = (ctx: RequestContext, deps: GatewayDeps): Promise<void> => setBlocked(ctx, deps, false);
