// /spend/logs, /global/spend/report and /spend/tags: spend-log rows and totals, in LiteLLM's response shapes.
// Each first writes the queued spend-log rows, so a report includes every request answered before it.
// Scope: admins and admin viewers see everything; a team admin its teams; anyone else only its own spend.
import { rbac, tokenOf, type Principal } from '../../auth/index.ts';
import { badRequest } from '../../canonical/index.ts';
import type { DailySpendRow, SpendGroupKey, SpendLogQuery, SpendLogRow, Store } from '../../store/index.ts';
import type { GatewayDeps, RequestContext } from '../context.ts';
import { queryOf, reply, withStore } from './common.ts';
import { qDate, qInt, qString } from './fields.ts';

/** A spend-log row as LiteLLM's /spend/logs returns it. */
function logView(r: SpendLogRow): Record<string, unknown> {
  return {
    request_id: r.request_id,
    call_type: r.call_type,
    api_key: r.api_key,
    spend: r.spend,
    total_tokens: r.total_tokens,
    prompt_tokens: r.prompt_tokens,
    completion_tokens: r.completion_tokens,
    cached_read_tokens: r.cached_read_tokens,
    cache_write_tokens: r.cache_write_tokens,
    reasoning_tokens: r.reasoning_tokens,
    startTime: r.start_time,
    endTime: r.end_time,
    latency_ms: r.latency_ms,
    model: r.model,
    model_group: r.model,
    model_id: r.deployment,
    user: r.user_id,
    team_id: r.team_id,
    organization_id: r.organization_id,
    end_user: r.end_user,
    status: r.status,
    error_code: r.error_code,
    cache_hit: String(r.cache_hit),
    request_tags: r.tags,
    metadata: r.metadata,
  };
}

/** Narrows a query to what the caller may see; 403 when it asks for more. */
async function scope(store: Store, p: Principal, q: SpendLogQuery): Promise<SpendLogQuery> {
  if (rbac.canReadAll(p)) return q;
  const me = rbac.selfId(p);
  if (!me) {
    if (!p.key) throw rbac.forbidden('Reading spend requires a key.');
    if (q.api_key && q.api_key !== p.key.token) throw rbac.forbidden('A key with no user can only read its own spend.');
    return { ...q, api_key: p.key.token };
  }
  if (q.team_id) {
    const team = await store.teams.get(q.team_id);
    if (team && rbac.canManageTeam(p, team)) return q;
    throw rbac.forbidden(`Only an admin of team '${q.team_id}' can read its spend; the caller is ${rbac.describeCaller(p)}.`);
  }
  if (q.user_id && q.user_id !== me) throw rbac.forbidden(`${rbac.describeCaller(p)} can only read its own spend, not that of '${q.user_id}'.`);
  if (q.api_key) {
    const key = await store.keys.get(q.api_key);
    const team = key?.team_id ? await store.teams.get(key.team_id) : null;
    if (key && rbac.canReadKey(p, key, team)) return q;
    throw rbac.forbidden(`${rbac.describeCaller(p)} may not read the spend of that key.`);
  }
  return { ...q, user_id: me };
}

function readFilters(q: URLSearchParams): SpendLogQuery {
  const apiKey = qString(q, 'api_key');
  return {
    api_key: apiKey ? tokenOf(apiKey) : undefined,
    user_id: qString(q, 'user_id'),
    team_id: qString(q, 'team_id'),
    organization_id: qString(q, 'organization_id'),
    end_user: qString(q, 'end_user') ?? qString(q, 'customer_id'),
    request_id: qString(q, 'request_id'),
    model: qString(q, 'model'),
    tag: qString(q, 'tag'),
    start: qDate(q, 'start_date'),
    end: qDate(q, 'end_date'),
  };
}

export async function spendLogs(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  await deps.governance.flushSpendLogs();
  const q = queryOf(ctx);
  const filters = readFilters(q);
  const limit = qInt(q, 'limit') ?? 100;
  const offset = qInt(q, 'offset', 0) ?? 0;
  const rows = await withStore(deps, async (store) => store.spend.listSpendLogs({ ...(await scope(store, ctx.principal, filters)), limit, offset }));
  reply(ctx, rows.map(logView));
}

const GROUPS = {
  team: { column: 'team_id', list: 'teams', name: 'team_name' },
  customer: { column: 'end_user', list: 'customers', name: 'customer' },
  api_key: { column: 'api_key', list: 'api_keys', name: 'api_key' },
  user: { column: 'user_id', list: 'users', name: 'user_id' },
  model: { column: 'model', list: 'models', name: 'model' },
  tag: { column: 'tag', list: 'tags', name: 'tag' },
} as const satisfies Record<string, { column: SpendGroupKey; list: string; name: string }>;

type GroupName = keyof typeof GROUPS;

/**
 * GET /global/spend/report?start_date&end_date&group_by=team|customer|api_key|user|model|tag — per day, per group,
 * with a per-model breakdown in `metadata`, as LiteLLM's report.
 */
export async function globalSpendReport(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  await deps.governance.flushSpendLogs();
  const q = queryOf(ctx);
  const groupBy = (qString(q, 'group_by') ?? 'team') as GroupName;
  if (!(groupBy in GROUPS)) throw badRequest(`'group_by' must be one of ${Object.keys(GROUPS).join(', ')}, got '${groupBy}'.`, 'group_by', 'invalid_field');
  const g = GROUPS[groupBy];
  const filters = readFilters(q);
  const { rows, names } = await withStore(deps, async (store) => {
    const scoped = await scope(store, ctx.principal, filters);
    const rows = await store.spend.dailySpend({ ...scoped, group_by: groupBy === 'model' ? ['model'] : [g.column, 'model'] });
    const names = new Map<string, string>();
    if (groupBy === 'team') {
      for (const id of new Set(rows.map((r) => r.team_id).filter((x): x is string => !!x))) {
        const team = await store.teams.get(id);
        if (team?.team_alias) names.set(id, team.team_alias);
      }
    }
    return { rows, names };
  });
  reply(ctx, nest(rows, groupBy, names));
}

function nest(rows: readonly DailySpendRow[], groupBy: GroupName, names: Map<string, string>): unknown[] {
  const g = GROUPS[groupBy];
  const days = new Map<string, Map<string, { total_spend: number; total_tokens: number; metadata: { model: string; spend: number; total_tokens: number }[] }>>();
  for (const r of rows) {
    const day = days.get(r.date) ?? new Map();
    days.set(r.date, day);
    const id = (r[g.column] as string | null) ?? '';
    const entry = day.get(id) ?? { total_spend: 0, total_tokens: 0, metadata: [] };
    day.set(id, entry);
    entry.total_spend += r.spend;
    entry.total_tokens += r.total_tokens;
    if (groupBy !== 'model') entry.metadata.push({ model: r.model ?? '', spend: r.spend, total_tokens: r.total_tokens });
  }
  return [...days].map(([day, groups]) => ({
    group_by_day: day,
    [g.list]: [...groups].map(([id, e]) => ({
      [g.name]: groupBy === 'team' ? (names.get(id) ?? (id || 'Unassigned Team')) : id || null,
      ...(groupBy === 'team' ? { team_id: id || null } : {}),
      total_spend: e.total_spend,
      total_tokens: e.total_tokens,
      ...(groupBy === 'model' ? {} : { metadata: e.metadata }),
    })),
  }));
}

/**
 * GET /spend/tags?start_date&end_date — LiteLLM's tag report: requests and spend per request tag, most spent
 * first (a request with two tags counts under both).
 */
export async function spendTags(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  await deps.governance.flushSpendLogs();
  const filters = readFilters(queryOf(ctx));
  const rows = await withStore(deps, async (store) => store.spend.dailySpend({ ...(await scope(store, ctx.principal, filters)), group_by: ['tag'] }));
  const byTag = new Map<string, { log_count: number; total_spend: number }>();
  for (const r of rows) {
    if (!r.tag) continue;
    const t = byTag.get(r.tag) ?? { log_count: 0, total_spend: 0 };
    t.log_count += r.requests;
    t.total_spend += r.spend;
    byTag.set(r.tag, t);
  }
  const out = [...byTag].map(([tag, t]) => ({ individual_request_tag: tag, ...t })).sort((a, b) => b.total_spend - a.total_spend);
  reply(ctx, out);
}
