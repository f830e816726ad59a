// One contract for every store engine: run by embedded.test.ts (SQLite) and postgres.test.ts (PostgreSQL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError, type Store } from '../../src/store/index.ts';

export interface Clock {
  now: () => Date;
  set(iso: string): void;
}

export function fixedClock(iso = '2026-03-10T12:00:00.000Z'): Clock {
  let t = new Date(iso);
  return { now: () => new Date(t.getTime()), set: (s) => void (t = new Date(s)) };
}

async function rejectsWith(p: Promise<unknown>, code: StoreError['code'], field?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected StoreError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (field) assert.equal(err.field, field);
    return true;
  });
}

/** The stored `spend` of the key, user, team, organization and end-user a spend-log row names. */
export async function ownerSpends(
  store: Store,
  o: { api_key: string; user_id: string; team_id: string; organization_id: string; end_user: string },
): Promise<(number | undefined)[]> {
  return [
    (await store.keys.get(o.api_key))?.spend,
    (await store.users.get(o.user_id))?.spend,
    (await store.teams.get(o.team_id))?.spend,
    (await store.organizations.get(o.organization_id))?.spend,
    (await store.endUsers.get(o.end_user))?.spend,
  ];
}

export function storeContract(name: string, open: (clock: Clock) => Promise<Store>, cleanup: () => Promise<void> = async () => {}): void {
  describe(`store contract: ${name}`, () => {
    const clock = fixedClock();
    let store: Store;
    before(async () => {
      store = await open(clock);
    });
    after(async () => {
      await store?.close();
      await cleanup();
    });

    test('ping', async () => {
      await store.ping();
    });

    test('keys: create, get by token and alias, duplicate alias is a conflict', async () => {
      const k = await store.keys.create({ token: 'h-1', key_name: 'sk-...0001', key_alias: 'app-1', models: ['gpt-4o'], max_budget: 5, metadata: { env: 'prod' }, tags: ['a'] });
      assert.equal(k.token, 'h-1');
      assert.deepEqual(k.models, ['gpt-4o']);
      assert.equal(k.max_budget, 5);
      assert.equal(k.spend, 0);
      assert.equal(k.blocked, false);
      assert.deepEqual(k.metadata, { env: 'prod' });
      assert.deepEqual(k.tags, ['a']);
      assert.deepEqual(k.model_rpm_limit, {});
      assert.equal(k.created_at, clock.now().toISOString());
      assert.deepEqual(await store.keys.get('h-1'), k);
      assert.deepEqual(await store.keys.getByAlias('app-1'), k);
      assert.equal(await store.keys.get('nope'), null);
      await rejectsWith(store.keys.create({ token: 'h-2', key_name: 'x', key_alias: 'app-1' }), 'conflict', 'key_alias');
      await rejectsWith(store.keys.create({ token: 'h-1', key_name: 'x' }), 'conflict', 'token');
    });

    test('keys: update patches only given fields; null clears; alias conflict; unknown is null', async () => {
      await store.keys.create({ token: 'u-1', key_name: 'sk-...u001', key_alias: 'upd-1', rpm_limit: 10, tpm_limit: 1000 });
      await store.keys.create({ token: 'u-2', key_name: 'sk-...u002', key_alias: 'upd-2' });
      const k = await store.keys.update('u-1', { rpm_limit: 20, tpm_limit: null, blocked: true, model_tpm_limit: { m: 5 } });
      assert.equal(k?.rpm_limit, 20);
      assert.equal(k?.tpm_limit, null);
      assert.equal(k?.blocked, true);
      assert.equal(k?.key_alias, 'upd-1');
      assert.deepEqual(k?.model_tpm_limit, { m: 5 });
      await rejectsWith(store.keys.update('u-1', { key_alias: 'upd-2' }), 'conflict', 'key_alias');
      assert.equal(await store.keys.update('missing', { rpm_limit: 1 }), null);
    });

    test('keys: budget_duration sets budget_reset_at; expires round-trips', async () => {
      const k = await store.keys.create({ token: 'b-1', key_name: 'x', budget_duration: '1d', expires: '2030-01-01T00:00:00.000Z' });
      assert.equal(k.budget_reset_at, '2026-03-11T12:00:00.000Z');
      assert.equal(k.expires, '2030-01-01T00:00:00.000Z');
      const m = await store.keys.update('b-1', { budget_duration: '1mo' });
      assert.equal(m?.budget_reset_at, '2026-04-10T12:00:00.000Z');
      const n = await store.keys.update('b-1', { budget_duration: null });
      assert.equal(n?.budget_reset_at, null);
    });

    test('keys: list with filters and pages; delete returns what existed; rotate moves the record', async () => {
      for (let i = 0; i < 5; i++) await store.keys.create({ token: `l-${i}`, key_name: 'x', team_id: i < 3 ? 'tl-a' : 'tl-b', user_id: 'ul' });
      const a = await store.keys.list({ team_id: 'tl-a' });
      assert.equal(a.total, 3);
      const page = await store.keys.list({ user_id: 'ul', page: 2, size: 2 });
      assert.equal(page.total, 5);
      assert.equal(page.rows.length, 2);
      const both = await store.keys.list({ team_ids: ['tl-a', 'tl-b'], size: 100 });
      assert.equal(both.total, 5);
      assert.deepEqual((await store.keys.delete(['l-0', 'l-1', 'never'])).sort(), ['l-0', 'l-1']);
      const rotated = await store.keys.rotate('l-2', 'l-2b', 'sk-...new', { max_budget: 9 });
      assert.equal(rotated?.token, 'l-2b');
      assert.equal(rotated?.key_name, 'sk-...new');
      assert.equal(rotated?.team_id, 'tl-a');
      assert.equal(rotated?.max_budget, 9);
      assert.equal(await store.keys.get('l-2'), null);
      assert.equal(await store.keys.rotate('l-2', 'l-2c', 'x'), null);
    });

    test('users: create, duplicate, update, list by role, delete removes their keys', async () => {
      const u = await store.users.create({ user_id: 'alice', user_email: 'alice@example.com', user_role: 'internal_user', max_budget: 10 });
      assert.equal(u.user_role, 'internal_user');
      assert.deepEqual(u.teams, []);
      await rejectsWith(store.users.create({ user_id: 'alice' }), 'conflict', 'user_id');
      await store.users.create({ user_id: 'root', user_role: 'proxy_admin' });
      const upd = await store.users.update('alice', { user_alias: 'Alice' });
      assert.equal(upd?.user_alias, 'Alice');
      assert.equal(upd?.user_email, 'alice@example.com');
      assert.equal(await store.users.update('ghost', { user_alias: 'x' }), null);
      const admins = await store.users.list({ user_role: 'proxy_admin' });
      assert.deepEqual(
        admins.rows.map((r) => r.user_id),
        ['root'],
      );
      await store.users.create({ user_id: 'temp' });
      await store.keys.create({ token: 'temp-key', key_name: 'x', user_id: 'temp' });
      assert.deepEqual(await store.users.delete(['temp']), ['temp']);
      assert.equal(await store.keys.get('temp-key'), null);
    });

    test('teams: members with roles, alias conflict, unknown org and member users, delete removes keys', async () => {
      await store.users.create({ user_id: 'tm-1', user_email: 'tm1@example.com' });
      await store.users.create({ user_id: 'tm-2' });
      const t = await store.teams.create({ team_id: 'team-a', team_alias: 'Team A', members_with_roles: [{ user_id: 'tm-1', user_email: null, role: 'admin' }], max_budget: 100 });
      assert.deepEqual(t.members_with_roles, [{ user_id: 'tm-1', user_email: 'tm1@example.com', role: 'admin' }]);
      await rejectsWith(store.teams.create({ team_id: 'team-b', team_alias: 'Team A' }), 'conflict', 'team_alias');
      await rejectsWith(store.teams.create({ team_id: 'team-a' }), 'conflict', 'team_id');
      await rejectsWith(store.teams.create({ team_id: 'team-c', organization_id: 'no-org' }), 'not_found', 'organization_id');
      await rejectsWith(store.teams.create({ team_id: 'team-d', members_with_roles: [{ user_id: 'ghost', user_email: null, role: 'user' }] }), 'not_found', 'user_id');
      assert.equal(await store.teams.get('team-d'), null, 'a failed create leaves nothing behind');
      const added = await store.teams.addMembers('team-a', [{ user_id: 'tm-2', user_email: null, role: 'user' }]);
      assert.deepEqual(
        added?.members_with_roles.map((m) => `${m.user_id}:${m.role}`),
        ['tm-1:admin', 'tm-2:user'],
      );
      const promoted = await store.teams.addMembers('team-a', [{ user_id: 'tm-2', user_email: null, role: 'admin' }]);
      assert.equal(promoted?.members_with_roles.find((m) => m.user_id === 'tm-2')?.role, 'admin');
      assert.deepEqual((await store.users.get('tm-2'))?.teams, ['team-a']);
      assert.equal(await store.teams.addMembers('nope', []), null);
      const removed = await store.teams.removeMembers('team-a', ['tm-2']);
      assert.deepEqual(
        removed?.members_with_roles.map((m) => m.user_id),
        ['tm-1'],
      );
      const mine = await store.teams.list({ user_id: 'tm-1' });
      assert.deepEqual(
        mine.rows.map((r) => r.team_id),
        ['team-a'],
      );
      const blocked = await store.teams.update('team-a', { blocked: true, tpm_limit: 5 });
      assert.equal(blocked?.blocked, true);
      await store.keys.create({ token: 'team-a-key', key_name: 'x', team_id: 'team-a' });
      assert.deepEqual(await store.teams.delete(['team-a']), ['team-a']);
      assert.equal(await store.keys.get('team-a-key'), null);
      assert.deepEqual((await store.users.get('tm-1'))?.teams, []);
    });

    test('organizations: members, teams derived, delete refused while teams remain', async () => {
      await store.users.create({ user_id: 'om-1' });
      const o = await store.organizations.create({ organization_id: 'org-1', organization_alias: 'Org One', max_budget: 1000, models: ['a'] });
      assert.equal(o.organization_alias, 'Org One');
      await rejectsWith(store.organizations.create({ organization_id: 'org-1', organization_alias: 'x' }), 'conflict', 'organization_id');
      const withMember = await store.organizations.addMembers('org-1', [{ user_id: 'om-1', user_role: 'org_admin' }]);
      assert.deepEqual(withMember?.members, [{ organization_id: 'org-1', user_id: 'om-1', user_role: 'org_admin' }]);
      assert.deepEqual((await store.users.get('om-1'))?.organization_memberships, [{ organization_id: 'org-1', user_id: 'om-1', user_role: 'org_admin' }]);
      await rejectsWith(store.organizations.addMembers('org-1', [{ user_id: 'ghost', user_role: 'internal_user' }]), 'not_found', 'user_id');
      await store.teams.create({ team_id: 'org-1-team', organization_id: 'org-1' });
      assert.deepEqual((await store.organizations.get('org-1'))?.teams, ['org-1-team']);
      assert.equal((await store.organizations.list({ user_id: 'om-1' })).total, 1);
      await rejectsWith(store.organizations.delete(['org-1']), 'conflict');
      await store.teams.delete(['org-1-team']);
      assert.deepEqual(await store.organizations.delete(['org-1']), ['org-1']);
      assert.equal(await store.organizations.get('org-1'), null);
    });

    test('end-users and budgets: CRUD; a budget in use cannot be deleted', async () => {
      const b = await store.budgets.create({ budget_id: 'bud-1', max_budget: 3, rpm_limit: 5, budget_duration: '30d' });
      assert.equal(b.budget_reset_at, '2026-04-09T12:00:00.000Z');
      await rejectsWith(store.budgets.create({ budget_id: 'bud-1' }), 'conflict', 'budget_id');
      const c = await store.endUsers.create({ user_id: 'cust-1', alias: 'Customer', budget_id: 'bud-1' });
      assert.equal(c.blocked, false);
      assert.equal((await store.endUsers.update('cust-1', { blocked: true }))?.blocked, true);
      assert.equal((await store.budgets.update('bud-1', { max_budget: 4 }))?.max_budget, 4);
      assert.deepEqual(
        (await store.budgets.getMany(['bud-1', 'nope'])).map((x) => x.budget_id),
        ['bud-1'],
      );
      await rejectsWith(store.budgets.delete(['bud-1']), 'conflict', 'budget_id');
      assert.deepEqual(await store.endUsers.delete(['cust-1']), ['cust-1']);
      assert.deepEqual(await store.budgets.delete(['bud-1']), ['bud-1']);
      assert.equal((await store.endUsers.list()).total, 0);
    });

    test('spend: a batch whose rows give different fields stores the defaults for the ones a row left out', async () => {
      await store.keys.create({ token: 'shape-key', key_name: 'x' });
      const bare = { model: 'm', start_time: '2026-04-01T10:00:00.000Z', end_time: '2026-04-01T10:00:00.250Z' };
      const full = {
        ...bare,
        request_id: 'shape-full',
        api_key: 'shape-key',
        deployment: 'd1',
        call_type: 'chat.completions',
        prompt_tokens: 3,
        completion_tokens: 4,
        total_tokens: 9,
        cached_read_tokens: 1,
        spend: 0.5,
        status: 'failure' as const,
        error_code: 'x',
        cache_hit: true,
        latency_ms: 7,
        tags: ['t'],
        metadata: { a: 1 },
      };
      assert.equal(await store.spend.insertSpendLogs([{ ...bare, request_id: 'shape-bare' }, full, { ...bare, request_id: 'shape-tokens', prompt_tokens: 2, completion_tokens: 5 }]), 3);
      const byId = new Map((await store.spend.listSpendLogs({ start: '2026-04-01', end: '2026-04-01' })).map((l) => [l.request_id, l]));
      assert.deepEqual(byId.get('shape-bare'), {
        ...bare,
        request_id: 'shape-bare',
        api_key: '',
        user_id: null,
        team_id: null,
        organization_id: null,
        end_user: null,
        deployment: null,
        call_type: '',
        prompt_tokens: 0,
        completion_tokens: 0,
        total_tokens: 0,
        cached_read_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
        spend: 0,
        latency_ms: 250,
        status: 'success',
        error_code: null,
        cache_hit: false,
        tags: [],
        metadata: {},
      });
      assert.deepEqual(byId.get('shape-full'), { ...full, user_id: null, team_id: null, organization_id: null, end_user: null, cache_write_tokens: 0, reasoning_tokens: 0 });
      assert.equal(byId.get('shape-tokens')?.total_tokens, 7, 'total_tokens adds up the counts when not given');
      assert.equal((await store.keys.get('shape-key'))?.spend, 0.5, "only the row with a spend adds to its key's");
    });

    test('spend: batched insert adds to every owner exactly once; queries and daily totals', async () => {
      await store.users.create({ user_id: 'sp-user' });
      await store.teams.create({ team_id: 'sp-team' });
      await store.organizations.create({ organization_id: 'sp-org', organization_alias: 'SP' });
      await store.endUsers.create({ user_id: 'sp-cust' });
      await store.keys.create({ token: 'sp-key', key_name: 'x', user_id: 'sp-user', team_id: 'sp-team' });
      const owners = { api_key: 'sp-key', user_id: 'sp-user', team_id: 'sp-team', organization_id: 'sp-org', end_user: 'sp-cust' };
      const rows = [
        { request_id: 'r1', model: 'gpt-4o', start_time: '2026-03-01T10:00:00Z', end_time: '2026-03-01T10:00:01Z', spend: 0.1, prompt_tokens: 10, completion_tokens: 5, tags: ['x'], ...owners },
        { request_id: 'r2', model: 'gpt-4o', start_time: '2026-03-01T11:00:00Z', end_time: '2026-03-01T11:00:02Z', spend: 0.2, prompt_tokens: 20, completion_tokens: 5, ...owners },
        { request_id: 'r3', model: 'claude', start_time: '2026-03-02T09:00:00Z', end_time: '2026-03-02T09:00:01Z', spend: 0.3, status: 'failure' as const, error_code: 'timeout', ...owners },
      ];
      assert.equal(await store.spend.insertSpendLogs(rows), 3);
      assert.equal(await store.spend.insertSpendLogs(rows.slice(0, 1)), 0, 'a retried row is skipped');
      for (const spend of await ownerSpends(store, owners)) {
        assert.equal(spend, 0.1 + 0.2 + 0.3);
      }
      assert.equal(await store.spend.totalSpend({ api_key: 'sp-key' }), 0.1 + 0.2 + 0.3);
      const logs = await store.spend.listSpendLogs({ api_key: 'sp-key' });
      assert.deepEqual(
        logs.map((l) => l.request_id),
        ['r3', 'r2', 'r1'],
      );
      assert.equal(logs[2].total_tokens, 15);
      assert.equal(logs[2].latency_ms, 1000);
      assert.deepEqual(logs[2].tags, ['x']);
      assert.equal(logs[0].status, 'failure');
      const day1 = await store.spend.listSpendLogs({ team_id: 'sp-team', start: '2026-03-01', end: '2026-03-01' });
      assert.equal(day1.length, 2);
      assert.equal((await store.spend.listSpendLogs({ tag: 'x' })).length, 1);
      const daily = await store.spend.dailySpend({ group_by: ['model'], team_id: 'sp-team' });
      assert.deepEqual(daily, [
        { date: '2026-03-01', model: 'gpt-4o', spend: 0.1 + 0.2, prompt_tokens: 30, completion_tokens: 10, total_tokens: 40, requests: 2, successful_requests: 2, failed_requests: 0 },
        { date: '2026-03-02', model: 'claude', spend: 0.3, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, requests: 1, successful_requests: 0, failed_requests: 1 },
      ]);
      const byKey = await store.spend.dailySpend({ group_by: ['api_key', 'team_id'], start: '2026-03-02', api_key: 'sp-key' });
      assert.deepEqual(byKey.map((r) => [r.date, r.api_key, r.team_id, r.requests]), [['2026-03-02', 'sp-key', 'sp-team', 1]]);
      await rejectsWith(store.spend.listSpendLogs({ start: 'yesterday' }), 'invalid');
    });

    test('spend: 500 rows in one batch', async () => {
      await store.keys.create({ token: 'bulk-key', key_name: 'x' });
      const rows = Array.from({ length: 500 }, (_, i) => ({
        request_id: `bulk-${i}`,
        api_key: 'bulk-key',
        model: 'm',
        start_time: '2026-03-05T00:00:00Z',
        end_time: '2026-03-05T00:00:00Z',
        spend: 0.001,
      }));
      assert.equal(await store.spend.insertSpendLogs(rows), 500);
      const key = await store.keys.get('bulk-key');
      assert.ok(Math.abs((key?.spend ?? 0) - 0.5) < 1e-9);
      assert.ok(Math.abs((key?.spend ?? 0) - (await store.spend.totalSpend({ api_key: 'bulk-key' }))) < 1e-9);
    });

    test('spend: an id already stored, or repeated in the batch, is inserted once and adds its spend once', async () => {
      await store.keys.create({ token: 'dup-key', key_name: 'x' });
      await store.teams.create({ team_id: 'dup-team' });
      const row = (request_id: string, spend: number) => ({
        request_id,
        api_key: 'dup-key',
        team_id: 'dup-team',
        model: 'm',
        start_time: '2026-03-06T00:00:00Z',
        end_time: '2026-03-06T00:00:01Z',
        spend,
      });
      assert.equal(await store.spend.insertSpendLogs([row('dup-1', 1)]), 1);
      assert.equal(await store.spend.insertSpendLogs([row('dup-2', 2), row('dup-1', 4), row('dup-2', 8), row('dup-3', 16), row('dup-3', 32)]), 2);
      const logs = await store.spend.listSpendLogs({ api_key: 'dup-key' });
      assert.deepEqual(logs.map((l) => [l.request_id, l.spend]).sort(), [
        ['dup-1', 1],
        ['dup-2', 2],
        ['dup-3', 16],
      ]);
      assert.equal((await store.keys.get('dup-key'))?.spend, 1 + 2 + 16, 'each stored row once: the first of its id');
      assert.equal((await store.teams.get('dup-team'))?.spend, 1 + 2 + 16);
      // Batches large enough for the embedded store's multi-row INSERTs (10 and 100 rows): a repeat inside one.
      for (const size of [10, 100]) {
        const rows = Array.from({ length: size }, (_, i) => row(`dup-${size}-${i}`, 1));
        rows[size - 1] = row(`dup-${size}-0`, 64);
        assert.equal(await store.spend.insertSpendLogs(rows), size - 1, `a batch of ${size}`);
      }
      assert.equal((await store.keys.get('dup-key'))?.spend, 1 + 2 + 16 + 9 + 99, 'a repeat in a multi-row batch counts once, as its first row');
    });

    test('spend: batches of many sizes, each partly stored before, add each of their rows once', async () => {
      await store.keys.create({ token: 'mix-key', key_name: 'x' });
      let total = 0;
      for (const size of [1, 2, 3, 7, 31, 63, 64, 65, 100, 127, 129]) {
        const rows = Array.from({ length: size }, (_, i) => ({
          request_id: `mix-${size}-${i}`,
          api_key: 'mix-key',
          model: 'm',
          start_time: '2026-03-07T00:00:00Z',
          end_time: '2026-03-07T00:00:01Z',
          spend: 1,
        }));
        const early = rows.filter((_, i) => i % 3 === 1);
        if (early.length) assert.equal(await store.spend.insertSpendLogs(early), early.length);
        assert.equal(await store.spend.insertSpendLogs(rows), size - early.length, `a batch of ${size}`);
        total += size;
      }
      assert.equal((await store.keys.get('mix-key'))?.spend, total);
      assert.equal(await store.spend.totalSpend({ api_key: 'mix-key' }), total);
      assert.equal((await store.spend.listSpendLogs({ api_key: 'mix-key', limit: 10_000 })).length, total);
    });

    test('spend: due budgets reset to 0 and move their reset time', async () => {
      await store.keys.create({ token: 'reset-key', key_name: 'x', budget_duration: '1h' });
      await store.keys.create({ token: 'keep-key', key_name: 'x', budget_duration: '7d' });
      await store.spend.insertSpendLogs([
        { request_id: 'rs1', api_key: 'reset-key', model: 'm', start_time: '2026-03-10T12:00:00Z', end_time: '2026-03-10T12:00:00Z', spend: 1 },
        { request_id: 'rs2', api_key: 'keep-key', model: 'm', start_time: '2026-03-10T12:00:00Z', end_time: '2026-03-10T12:00:00Z', spend: 1 },
      ]);
      const later = new Date('2026-03-10T13:30:00.000Z');
      const reset = await store.spend.resetDueBudgets('key', later);
      assert.deepEqual(reset, ['reset-key']);
      const k = await store.keys.get('reset-key');
      assert.equal(k?.spend, 0);
      assert.equal(k?.budget_reset_at, '2026-03-10T14:00:00.000Z', 'the next boundary of the 13:00 + k·1h grid');
      assert.equal((await store.keys.get('keep-key'))?.spend, 1);
      assert.deepEqual(await store.spend.resetDueBudgets('key', later), []);
    });
  });
}
