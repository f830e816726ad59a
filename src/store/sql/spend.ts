// Spend logs (one row per request) and the spend columns they add to, plus daily aggregates and resets.
import { nextBoundaryAfter } from '../duration.ts';
import { StoreError, type DailySpendQuery, type DailySpendRow, type NewSpendLog, type SpendEntity, type SpendGroupKey, type SpendLogQuery, type SpendLogRow, type SpendRepository } from '../types.ts';
import { SPEND_LOG_COLUMNS, Where, fromRow } from './columns.ts';
import type { RepoContext } from './context.ts';
import type { Columns, Dialect, InsertStatement } from './dialect.ts';
import type { Sql } from './driver.ts';

/** Table and id column of each entity that has a `spend` column, and the spend-log column naming it. */
const ENTITIES: Record<SpendEntity, { table: string; id: string; logColumn: keyof SpendLogRow }> = {
  key: { table: 'igw_keys', id: 'token', logColumn: 'api_key' },
  user: { table: 'igw_users', id: 'user_id', logColumn: 'user_id' },
  team: { table: 'igw_teams', id: 'team_id', logColumn: 'team_id' },
  organization: { table: 'igw_organizations', id: 'organization_id', logColumn: 'organization_id' },
  end_user: { table: 'igw_end_users', id: 'user_id', logColumn: 'end_user' },
};

const GROUP_COLUMNS: readonly SpendGroupKey[] = ['model', 'api_key', 'team_id', 'user_id', 'organization_id', 'end_user', 'tag'];

const DAY_MS = 86_400_000;

/** A spend-log row as a batch writes it: the batch's columns only (see batchColumns). */
type StoredRow = Pick<SpendLogRow, 'request_id'> & Partial<SpendLogRow>;

export class SqlSpend implements SpendRepository {
  private readonly ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.ctx = ctx;
  }

  private get d(): Dialect {
    return this.ctx.db.dialect;
  }

  async insertSpendLogs(rows: readonly NewSpendLog[]): Promise<number> {
    if (!rows.length) return 0;
    const columns = batchColumns(rows);
    const names = Object.keys(columns);
    const full = rows.map((r) => complete(r, names));
    const statements = this.d.insertMissing('igw_spend_logs', columns, 'request_id', full);
    return this.ctx.db.transaction(async (tx) => {
      const fresh = await freshKeys(tx, statements);
      const inserted = fresh.size;
      // A fresh id's row is the first of the batch with it (later ones hit its conflict): delete() takes only that one.
      const counted = full.filter((r) => fresh.delete(r.request_id) && r.spend !== undefined && r.spend !== 0);
      for (const entity of Object.keys(ENTITIES) as SpendEntity[]) await addSpend(tx, entity, counted);
      return inserted;
    });
  }

  async listSpendLogs(query: SpendLogQuery = {}): Promise<SpendLogRow[]> {
    const where = filters(this.d, query).eq('request_id', query.request_id);
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 10_000);
    const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
    const rows = await this.ctx.db.query(
      `SELECT * FROM igw_spend_logs ${where} ORDER BY start_time DESC, request_id LIMIT ${limit} OFFSET ${offset}`,
      where.params,
    );
    return rows.map((r) => fromRow<SpendLogRow>(SPEND_LOG_COLUMNS, r));
  }

  async dailySpend(query: DailySpendQuery): Promise<DailySpendRow[]> {
    const d = this.d;
    const groups = GROUP_COLUMNS.filter((g) => query.group_by.includes(g));
    const where = filters(d, query);
    // Grouping by tag expands each row into one per tag; `tag` is then a column of the query.
    const tags = groups.includes('tag') ? d.expand('tags') : null;
    const cols = groups.map((g) => (g === 'tag' && tags ? `, ${tags.element} AS tag` : `, ${g}`)).join('');
    // Sums and counts come back as numbers or (Postgres's bigint and numeric) as strings: Number() below.
    const rows = await this.ctx.db.query(
      `SELECT ${d.day('start_time')} AS date${cols},
              ${d.floatSum('spend')} AS spend,
              sum(prompt_tokens) AS prompt_tokens,
              sum(completion_tokens) AS completion_tokens,
              sum(total_tokens) AS total_tokens,
              count(*) AS requests,
              count(*) FILTER (WHERE status = 'success') AS successful_requests,
              count(*) FILTER (WHERE status <> 'success') AS failed_requests
       FROM igw_spend_logs${tags?.join ?? ''} ${where}
       GROUP BY 1${groups.map((_, i) => `, ${i + 2}`).join('')}
       ORDER BY 1${groups.map((g) => `, ${g}`).join('')}`,
      where.params,
    );
    return rows.map((r) => {
      const out: Record<string, unknown> = { date: r.date };
      for (const g of groups) out[g] = r[g] ?? null;
      for (const n of ['spend', 'prompt_tokens', 'completion_tokens', 'total_tokens', 'requests', 'successful_requests', 'failed_requests']) {
        out[n] = Number(r[n]);
      }
      return out as unknown as DailySpendRow;
    });
  }

  async totalSpend(query: Omit<SpendLogQuery, 'limit' | 'offset'> = {}): Promise<number> {
    const d = this.d;
    const where = filters(d, query).eq('request_id', query.request_id);
    const rows = await this.ctx.db.query<{ total: number | null }>(`SELECT ${d.floatSum('spend')} AS total FROM igw_spend_logs ${where}`, where.params);
    return Number(rows[0].total ?? 0);
  }

  async resetDueBudgets(entity: SpendEntity, now: Date): Promise<string[]> {
    const { table, id } = ENTITIES[entity];
    const d = this.d;
    const at = d.value('time', now.toISOString());
    return this.ctx.db.transaction(async (tx) => {
      const due = await tx.query<{ id: string; budget_duration: string | null; budget_reset_at: Date | string }>(
        `SELECT ${id} AS id, budget_duration, budget_reset_at FROM ${table}
         WHERE budget_reset_at IS NOT NULL AND budget_reset_at <= ${d.param(1, 'time')}${d.forUpdate}`,
        [at],
      );
      if (!due.length) return [];
      const next = due.map((r) => ({ id: r.id, next: r.budget_duration ? safeNext(new Date(r.budget_reset_at), r.budget_duration, now) : null }));
      await tx.query(
        `UPDATE ${table} AS t SET spend = 0, budget_reset_at = v.next, updated_at = ${d.param(2, 'time')}
         FROM ${d.recordset(1, 'v', { id: 'text', next: 'time' })} WHERE t.${id} = v.id`,
        [JSON.stringify(next), at],
      );
      return due.map((r) => r.id);
    });
  }
}

function safeNext(anchor: Date, duration: string, now: Date): string | null {
  try {
    return nextBoundaryAfter(anchor, duration, now).toISOString();
  } catch {
    return null;
  }
}

/** What a column holds when a row leaves it out: the table's DEFAULT (migrations.ts), or null. */
const SPEND_LOG_DEFAULTS: Readonly<Record<string, unknown>> = {
  api_key: '',
  user_id: null,
  team_id: null,
  organization_id: null,
  end_user: null,
  deployment: null,
  call_type: '',
  prompt_tokens: 0,
  completion_tokens: 0,
  cached_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  spend: 0,
  status: 'success',
  error_code: null,
  cache_hit: false,
  tags: [],
  metadata: {},
};

/** The columns every row is written with: its identity and times, and the two worked out when not given. */
const ALWAYS_WRITTEN = ['request_id', 'model', 'start_time', 'end_time', 'total_tokens', 'latency_ms'];

/** A bit per spend-log column, in the table's order: a batch's set of columns is a number. */
const COLUMN_BIT = new Map(Object.keys(SPEND_LOG_COLUMNS).map((name, i) => [name, 2 ** i]));
const ALWAYS_MASK = ALWAYS_WRITTEN.reduce((mask, name) => mask | COLUMN_BIT.get(name)!, 0);
const batchShapes = new Map<number, Columns>();
/** igw's own rows come in a few dozen shapes; past this many the cache starts over. */
const MAX_BATCH_SHAPES = 1_000;

/**
 * The columns a batch writes: those its rows give, and the ones every row is written with. The others are left
 * to the table's defaults. Most rows give a third of the columns, and each value written costs CPU on the
 * embedded store's thread (conversion, binding, the record): a full 24-column row cost twice as much.
 */
function batchColumns(rows: readonly NewSpendLog[]): Columns {
  let mask = ALWAYS_MASK;
  for (const r of rows) {
    const given: Readonly<Record<string, unknown>> = r;
    for (const k in given) if (given[k] !== undefined) mask |= COLUMN_BIT.get(k) ?? 0;
  }
  let columns = batchShapes.get(mask);
  if (!columns) {
    columns = Object.fromEntries(Object.entries(SPEND_LOG_COLUMNS).filter(([name]) => mask & COLUMN_BIT.get(name)!));
    if (batchShapes.size >= MAX_BATCH_SHAPES) batchShapes.clear();
    batchShapes.set(mask, columns);
  }
  return columns;
}

/** The row as written: each of `names`, as given or else its default (counts add up, latency from the times). */
function complete(r: NewSpendLog, names: readonly string[]): StoredRow {
  const given: Readonly<Record<string, unknown>> = r;
  const row: Record<string, unknown> = {};
  for (const name of names) {
    const v = given[name];
    row[name] = v !== undefined ? v : name in SPEND_LOG_DEFAULTS ? SPEND_LOG_DEFAULTS[name] : derived(r, name);
  }
  return row as StoredRow;
}

function derived(r: NewSpendLog, name: string): unknown {
  if (name === 'total_tokens') return (r.prompt_tokens ?? 0) + (r.completion_tokens ?? 0);
  if (name === 'latency_ms') return new Date(r.end_time).getTime() - new Date(r.start_time).getTime();
  return null;
}

/** Runs the statements of Dialect.insertMissing; returns the request ids of the rows they inserted. */
async function freshKeys(tx: Sql, statements: readonly InsertStatement[], fresh = new Set<unknown>()): Promise<Set<unknown>> {
  for (const s of statements) {
    if (s.freshBy === 'changes') {
      if ((await tx.run(s.text, s.params)) > 0) fresh.add(s.key);
    } else if (s.freshBy === 'all') {
      await tx.run('SAVEPOINT igw_insert_all');
      const allFresh = (await tx.run(s.text, s.params)) === s.keys.length;
      if (allFresh) for (const k of s.keys) fresh.add(k);
      else await tx.run('ROLLBACK TO igw_insert_all');
      await tx.run('RELEASE igw_insert_all');
      if (!allFresh) await freshKeys(tx, s.each(), fresh);
    } else {
      for (const r of await tx.query(s.text, s.params)) fresh.add(r.request_id);
    }
  }
  return fresh;
}

/** Adds the batch's spend to each entity row it names: one UPDATE per entity kind. */
async function addSpend(tx: Sql, entity: SpendEntity, rows: readonly StoredRow[]): Promise<void> {
  const { table, id, logColumn } = ENTITIES[entity];
  const sums = new Map<string, number>();
  for (const r of rows) {
    const owner = r[logColumn] as string | null | undefined;
    if (owner) sums.set(owner, (sums.get(owner) ?? 0) + r.spend!);
  }
  if (!sums.size) return;
  await tx.query(
    `UPDATE ${table} AS t SET spend = t.spend + v.amount FROM ${tx.dialect.recordset(1, 'v', { id: 'text', amount: 'float' })} WHERE t.${id} = v.id`,
    [JSON.stringify([...sums].map(([owner, amount]) => ({ id: owner, amount })))],
  );
}

function filters(d: Dialect, q: Omit<SpendLogQuery, 'limit' | 'offset' | 'request_id'>): Where {
  const where = new Where(d);
  // The key index leaves out the master key's rows (api_key ''): repeating its condition lets the planner use it.
  if (q.api_key) where.raw(`api_key = ? AND api_key <> ''`, q.api_key);
  else where.eq('api_key', q.api_key);
  where
    .eq('user_id', q.user_id)
    .eq('team_id', q.team_id)
    .anyOf('team_id', q.team_ids)
    .eq('organization_id', q.organization_id)
    .eq('end_user', q.end_user)
    .eq('model', q.model)
    .has('tags', q.tag);
  if (q.start !== undefined) where.compare('start_time', '>=', 'time', boundary(q.start, false));
  if (q.end !== undefined) where.compare('start_time', '<', 'time', boundary(q.end, true));
  return where;
}

/** A bare date is UTC midnight; as an end bound it means the end of that day. */
function boundary(value: string, isEnd: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const t = Date.parse(`${value}T00:00:00Z`);
    return new Date(isEnd ? t + DAY_MS : t).toISOString();
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new StoreError('invalid', `'${value}' is not a date (use YYYY-MM-DD or an ISO time)`, isEnd ? 'end_date' : 'start_date');
  return new Date(t).toISOString();
}
