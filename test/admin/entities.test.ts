// /user, /team, /organization, /customer, /budget, /spend end to end over HTTP, on PostgreSQL: valid input,
// LiteLLM response shapes, and every kind of bad input (400 missing/wrong type, 404 unknown id, 409 duplicate).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.ts';
import { chat, errorOf, startPostgres, TEST_DATABASE_URL, type Api } from './helpers.ts';

let api: Api;
let store: Store;

before(async () => {
  api = await startPostgres();
  store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema: api.schema });
});

after(async () => {
  await store?.close();
  await api?.close();
});

test('keys are stored as their SHA-256 only: no column of any row holds the key', async () => {
  const k = (await api.post('/key/generate', { key_alias: 'hashed' })).body;
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  const rows = await c.query(`SELECT * FROM ${api.schema}.igw_keys`);
  await c.end();
  const dump = JSON.stringify(rows.rows);
  assert.ok(dump.includes(k.token));
  assert.ok(!dump.includes(k.key));
  assert.ok(!dump.includes(k.key.slice(3)));
});

describe('/user/*', () => {
  test('new (with its key), info, update, list, delete', async () => {
    const r = await api.post('/user/new', { user_id: 'u-alice', user_email: 'alice@example.com', user_role: 'internal_user', max_budget: 20, models: ['mock-gpt'] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.user_id, 'u-alice');
    assert.equal(r.body.user_role, 'internal_user');
    assert.match(r.body.key, /^sk-/);
    assert.equal((await chat(api.gw, r.body.key)).status, 200);
    const noKey = await api.post('/user/new', { user_email: 'bob@example.com', auto_create_key: false });
    assert.equal(noKey.status, 200);
    assert.ok(noKey.body.user_id, 'a user_id is generated');
    assert.equal(noKey.body.key, undefined);
    const info = await api.get('/user/info?user_id=u-alice');
    assert.equal(info.status, 200);
    assert.equal(info.body.user_info.user_email, 'alice@example.com');
    assert.equal(info.body.keys.length, 1);
    assert.deepEqual(info.body.teams, []);
    const upd = await api.post('/user/update', { user_id: 'u-alice', max_budget: 30, user_role: 'internal_user_viewer' });
    assert.equal(upd.body.max_budget, 30);
    assert.equal(upd.body.user_role, 'internal_user_viewer');
    const list = await api.get('/user/list?role=internal_user_viewer');
    assert.deepEqual(list.body.users.map((u: { user_id: string }) => u.user_id), ['u-alice']);
    assert.equal(list.body.total, 1);
    assert.equal(list.body.page, 1);
    const del = await api.post('/user/delete', { user_ids: [noKey.body.user_id] });
    assert.deepEqual(del.body, { deleted_users: [noKey.body.user_id] });
  });

  test('bad input', async () => {
    assert.equal((await api.post('/user/new', { user_id: 'u-alice' })).status, 409);
    assert.equal(errorOf(await api.post('/user/new', { user_role: 'superuser' })).param, 'user_role');
    assert.equal(errorOf(await api.post('/user/new', { max_budget: 'x' })).param, 'max_budget');
    assert.equal((await api.post('/user/new', { teams: ['ghost'] })).status, 404);
    assert.equal((await api.get('/user/info?user_id=ghost')).status, 404);
    assert.equal((await api.post('/user/update', { max_budget: 1 })).status, 400);
    assert.equal((await api.post('/user/update', { user_id: 'ghost', max_budget: 1 })).status, 404);
    assert.equal((await api.post('/user/delete', {})).status, 400);
    assert.equal((await api.post('/user/delete', { user_ids: ['ghost'] })).status, 404);
    assert.equal((await api.get('/user/list?role=king')).status, 400);
    assert.equal((await api.get('/user/list?page=x')).status, 400);
  });
});

describe('/team/*', () => {
  test('new with members, info with keys and spend, update, list, member_add/delete, block/unblock, delete', async () => {
    await api.post('/user/new', { user_id: 'u-carol', auto_create_key: false });
    const t = await api.post('/team/new', {
      team_id: 't-search',
      team_alias: 'Search',
      members_with_roles: [{ role: 'admin', user_id: 'u-carol' }, { role: 'user', user_email: 'dave@example.com' }],
      max_budget: 50,
      budget_duration: '1mo',
      rpm_limit: 100,
      models: ['mock-gpt'],
    });
    assert.equal(t.status, 200, JSON.stringify(t.body));
    assert.equal(t.body.team_id, 't-search');
    assert.equal(t.body.members_with_roles.length, 2);
    assert.ok(t.body.members_with_roles.some((m: { role: string; user_email: string }) => m.role === 'user' && m.user_email === 'dave@example.com'));
    const key = (await api.post('/key/generate', { team_id: 't-search', key_alias: 'search-svc' })).body;
    assert.equal(key.team_id, 't-search');
    const info = await api.get('/team/info?team_id=t-search');
    assert.equal(info.status, 200);
    assert.equal(info.body.team_info.spend, 0);
    assert.equal(info.body.team_info.max_budget, 50);
    assert.deepEqual(info.body.keys.map((k: { key_alias: string }) => k.key_alias), ['search-svc']);
    const upd = await api.post('/team/update', { team_id: 't-search', tpm_limit: 5000, metadata: { cost_center: 42 } });
    assert.equal(upd.body.team_id, 't-search');
    assert.equal(upd.body.data.tpm_limit, 5000);
    assert.equal(upd.body.data.rpm_limit, 100);
    assert.ok((await api.get('/team/list')).body.some((x: { team_id: string }) => x.team_id === 't-search'));
    await api.post('/user/new', { user_id: 'u-erin', auto_create_key: false });
    const added = await api.post('/team/member_add', { team_id: 't-search', member: [{ role: 'user', user_id: 'u-erin' }] });
    assert.equal(added.status, 200);
    assert.equal(added.body.updated_users[0].user_id, 'u-erin');
    assert.ok(added.body.members_with_roles.some((m: { user_id: string }) => m.user_id === 'u-erin'));
    assert.deepEqual((await api.get('/user/info?user_id=u-erin')).body.user_info.teams, ['t-search']);
    const removed = await api.post('/team/member_delete', { team_id: 't-search', user_id: 'u-erin' });
    assert.ok(!removed.body.members_with_roles.some((m: { user_id: string }) => m.user_id === 'u-erin'));
    assert.equal((await api.post('/team/block', { team_id: 't-search' })).body.blocked, true);
    const refused = await chat(api.gw, key.key);
    assert.equal(refused.status, 401);
    assert.equal(errorOf(refused).code, 'team_blocked');
    assert.equal((await api.post('/team/unblock', { team_id: 't-search' })).body.blocked, false);
    assert.equal((await chat(api.gw, key.key)).status, 200);
    await api.post('/team/new', { team_id: 't-tmp' });
    const tmpKey = (await api.post('/key/generate', { team_id: 't-tmp' })).body;
    assert.deepEqual((await api.post('/team/delete', { team_ids: ['t-tmp'] })).body, { deleted_teams: ['t-tmp'] });
    assert.equal((await chat(api.gw, tmpKey.key)).status, 401, "a deleted team's keys stop working");
  });

  test('bad input', async () => {
    const dup = await api.post('/team/new', { team_alias: 'Search' });
    assert.equal(dup.status, 409);
    assert.equal(errorOf(dup).param, 'team_alias');
    assert.equal((await api.post('/team/new', { team_id: 't-search' })).status, 409);
    assert.equal(errorOf(await api.post('/team/new', { members_with_roles: [{ role: 'owner', user_id: 'x' }] })).param, 'members_with_roles[0].role');
    assert.equal(errorOf(await api.post('/team/new', { members_with_roles: [{ role: 'user' }] })).param, 'members_with_roles[0]');
    assert.equal((await api.post('/team/new', { organization_id: 'ghost-org' })).status, 404);
    assert.equal(errorOf(await api.post('/team/new', { rpm_limit: 'fast' })).param, 'rpm_limit');
    assert.equal((await api.get('/team/info')).status, 400);
    assert.equal((await api.get('/team/info?team_id=ghost')).status, 404);
    assert.equal((await api.post('/team/update', { team_id: 'ghost' })).status, 404);
    assert.equal((await api.post('/team/update', {})).status, 400);
    assert.equal((await api.post('/team/delete', { team_ids: [] })).status, 400);
    assert.equal((await api.post('/team/delete', { team_ids: ['ghost'] })).status, 404);
    assert.equal((await api.post('/team/member_add', { team_id: 't-search' })).status, 400);
    assert.equal((await api.post('/team/member_add', { team_id: 'ghost', member: { role: 'user', user_id: 'u-carol' } })).status, 404);
    assert.equal((await api.post('/team/member_delete', { team_id: 't-search' })).status, 400);
    assert.equal((await api.post('/team/member_delete', { team_id: 't-search', user_id: 'nobody' })).status, 404);
    assert.equal((await api.post('/team/block', { team_id: 'ghost' })).status, 404);
  });
});

describe('/organization/*', () => {
  test('new, info, update (PATCH), list, member_add, delete (DELETE)', async () => {
    const o = await api.post('/organization/new', { organization_id: 'o-acme', organization_alias: 'Acme', max_budget: 1000, models: ['mock-gpt'] });
    assert.equal(o.status, 200, JSON.stringify(o.body));
    assert.equal(o.body.organization_alias, 'Acme');
    const team = await api.post('/team/new', { team_id: 't-acme', organization_id: 'o-acme' });
    assert.equal(team.body.organization_id, 'o-acme');
    const info = await api.get('/organization/info?organization_id=o-acme');
    assert.deepEqual(info.body.teams, ['t-acme']);
    const upd = await api.call('PATCH', '/organization/update', { organization_id: 'o-acme', rpm_limit: 60 });
    assert.equal(upd.body.rpm_limit, 60);
    assert.ok((await api.get('/organization/list')).body.some((x: { organization_id: string }) => x.organization_id === 'o-acme'));
    const m = await api.post('/organization/member_add', { organization_id: 'o-acme', member: [{ role: 'org_admin', user_id: 'u-frank' }] });
    assert.equal(m.status, 200, JSON.stringify(m.body));
    assert.deepEqual(m.body.updated_organization_memberships, [{ organization_id: 'o-acme', user_id: 'u-frank', user_role: 'org_admin' }]);
    const busy = await api.call('DELETE', '/organization/delete', { organization_ids: ['o-acme'] });
    assert.equal(busy.status, 409);
    assert.match(errorOf(busy).message, /still has teams/);
    await api.post('/team/delete', { team_ids: ['t-acme'] });
    const del = await api.call('DELETE', '/organization/delete', { organization_ids: ['o-acme'] });
    assert.equal(del.status, 200);
    assert.equal(del.body[0].organization_id, 'o-acme');
  });

  test('member_delete (DELETE, LiteLLM\'s shape): by user_id or user_email; the removed membership is returned', async () => {
    await api.post('/organization/new', { organization_id: 'o-md', organization_alias: 'MD' });
    await api.post('/user/new', { user_id: 'u-gina', user_email: 'gina@example.com', auto_create_key: false });
    const added = await api.post('/organization/member_add', { organization_id: 'o-md', member: [{ role: 'internal_user', user_id: 'u-gina' }, { role: 'org_admin', user_id: 'u-hal' }] });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const byEmail = await api.call('DELETE', '/organization/member_delete', { organization_id: 'o-md', user_email: 'gina@example.com' });
    assert.equal(byEmail.status, 200, JSON.stringify(byEmail.body));
    assert.deepEqual(byEmail.body, { organization_id: 'o-md', user_id: 'u-gina', user_role: 'internal_user' });
    const byId = await api.post('/organization/member_delete', { organization_id: 'o-md', user_id: 'u-hal' });
    assert.deepEqual(byId.body, { organization_id: 'o-md', user_id: 'u-hal', user_role: 'org_admin' });
    assert.deepEqual((await api.get('/organization/info?organization_id=o-md')).body.members, []);
    assert.deepEqual((await api.get('/user/info?user_id=u-gina')).body.user_info.organization_memberships, [], 'the user is kept, without the membership');
    const again = await api.call('DELETE', '/organization/member_delete', { organization_id: 'o-md', user_id: 'u-hal' });
    assert.equal(again.status, 404);
    assert.deepEqual([errorOf(again).code, errorOf(again).param], ['organization_member_not_found', 'user_id']);
    assert.equal(errorOf(again).message, "User 'u-hal' is not a member of organization 'o-md'.");
  });

  test('member_delete: bad input', async () => {
    await api.post('/organization/new', { organization_id: 'o-mdx', organization_alias: 'MDX' });
    const noOrg = await api.call('DELETE', '/organization/member_delete', { user_id: 'u-x' });
    assert.deepEqual([noOrg.status, errorOf(noOrg).param], [400, 'organization_id']);
    const noMember = await api.call('DELETE', '/organization/member_delete', { organization_id: 'o-mdx' });
    assert.deepEqual([noMember.status, errorOf(noMember).param], [400, 'user_id']);
    assert.match(errorOf(noMember).message, /'user_id' or 'user_email'/);
    const wrongType = await api.call('DELETE', '/organization/member_delete', { organization_id: 'o-mdx', user_id: 42 });
    assert.deepEqual([wrongType.status, errorOf(wrongType).param], [400, 'user_id']);
    const unknownOrg = await api.call('DELETE', '/organization/member_delete', { organization_id: 'ghost', user_id: 'u-x' });
    assert.deepEqual([unknownOrg.status, errorOf(unknownOrg).code], [404, 'organization_not_found']);
    const unknownEmail = await api.call('DELETE', '/organization/member_delete', { organization_id: 'o-mdx', user_email: 'nobody@example.com' });
    assert.deepEqual([unknownEmail.status, errorOf(unknownEmail).param], [404, 'user_email']);
    assert.equal((await api.call('DELETE', '/organization/member_delete', 'not json')).status, 400);
  });

  test('bad input', async () => {
    assert.equal(errorOf(await api.post('/organization/new', {})).param, 'organization_alias');
    assert.equal(errorOf(await api.post('/organization/new', { organization_alias: 5 })).param, 'organization_alias');
    await api.post('/organization/new', { organization_id: 'o-dup', organization_alias: 'D' });
    assert.equal((await api.post('/organization/new', { organization_id: 'o-dup', organization_alias: 'D' })).status, 409);
    assert.equal((await api.post('/organization/new', { organization_alias: 'B', budget_id: 'ghost' })).status, 404);
    assert.equal((await api.get('/organization/info')).status, 400);
    assert.equal((await api.get('/organization/info?organization_id=ghost')).status, 404);
    assert.equal((await api.call('PATCH', '/organization/update', { organization_id: 'ghost', max_budget: 1 })).status, 404);
    assert.equal((await api.call('DELETE', '/organization/delete', { organization_ids: ['ghost'] })).status, 404);
    assert.equal((await api.post('/organization/member_add', { organization_id: 'o-dup', member: { role: 'boss', user_id: 'x' } })).status, 400);
    assert.equal((await api.post('/organization/member_add', { organization_id: 'ghost', member: { role: 'internal_user', user_id: 'x' } })).status, 404);
  });
});

describe('/customer/* and /budget/*', () => {
  test('budgets: new, info (POST and GET), update, list, delete; refused while in use', async () => {
    const b = await api.post('/budget/new', { budget_id: 'b-small', max_budget: 5, rpm_limit: 10, budget_duration: '7d' });
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.equal(b.body.max_budget, 5);
    assert.ok(b.body.budget_reset_at);
    assert.equal((await api.post('/budget/info', { budgets: ['b-small'] })).body[0].budget_id, 'b-small');
    assert.equal((await api.get('/budget/info?budget_id=b-small')).body[0].rpm_limit, 10);
    assert.equal((await api.post('/budget/update', { budget_id: 'b-small', max_budget: 6 })).body.max_budget, 6);
    assert.ok((await api.get('/budget/list')).body.some((x: { budget_id: string }) => x.budget_id === 'b-small'));
    const c = await api.post('/customer/new', { user_id: 'cust-1', alias: 'Customer One', budget_id: 'b-small' });
    assert.equal(c.status, 200);
    assert.equal(c.body.budget_id, 'b-small');
    assert.equal((await api.post('/budget/delete', { id: 'b-small' })).status, 409);
    await api.post('/customer/delete', { user_ids: ['cust-1'] });
    assert.equal((await api.post('/budget/delete', { id: 'b-small' })).body.budget_id, 'b-small');
  });

  test('customers: new, info, update, list, block/unblock, delete', async () => {
    const c = await api.post('/customer/new', { user_id: 'cust-2', max_budget: 3, budget_duration: '1d', default_model: 'mock-gpt' });
    assert.equal(c.body.max_budget, 3);
    assert.equal((await api.get('/customer/info?end_user_id=cust-2')).body.default_model, 'mock-gpt');
    assert.equal((await api.post('/customer/update', { user_id: 'cust-2', alias: 'Two' })).body.alias, 'Two');
    assert.ok((await api.get('/customer/list')).body.some((x: { user_id: string }) => x.user_id === 'cust-2'));
    assert.deepEqual((await api.post('/customer/block', { user_ids: ['cust-2'] })).body, { blocked_users: ['cust-2'] });
    assert.equal((await api.get('/customer/info?end_user_id=cust-2')).body.blocked, true);
    assert.deepEqual((await api.post('/customer/unblock', { user_ids: ['cust-2'] })).body, { unblocked_users: ['cust-2'] });
    assert.deepEqual((await api.post('/customer/delete', { user_ids: ['cust-2'] })).body, { deleted_customers: ['cust-2'] });
  });

  test('bad input', async () => {
    assert.equal(errorOf(await api.post('/budget/new', { max_budget: 'a lot' })).param, 'max_budget');
    await api.post('/budget/new', { budget_id: 'b-dup' });
    assert.equal((await api.post('/budget/new', { budget_id: 'b-dup' })).status, 409);
    assert.equal((await api.post('/budget/info', { budgets: [] })).status, 400);
    assert.equal((await api.post('/budget/info', { budgets: ['ghost'] })).status, 404);
    assert.equal((await api.post('/budget/update', { budget_id: 'ghost' })).status, 404);
    assert.equal((await api.post('/budget/delete', {})).status, 400);
    assert.equal((await api.post('/budget/delete', { id: 'ghost' })).status, 404);
    assert.equal(errorOf(await api.post('/customer/new', {})).param, 'user_id');
    assert.equal(errorOf(await api.post('/customer/new', { user_id: 'c', blocked: 'yes' })).param, 'blocked');
    assert.equal((await api.post('/customer/new', { user_id: 'c', budget_id: 'ghost' })).status, 404);
    await api.post('/customer/new', { user_id: 'c-dup' });
    assert.equal((await api.post('/customer/new', { user_id: 'c-dup' })).status, 409);
    assert.equal((await api.get('/customer/info')).status, 400);
    assert.equal((await api.get('/customer/info?end_user_id=ghost')).status, 404);
    assert.equal((await api.post('/customer/update', { user_id: 'ghost' })).status, 404);
    assert.equal((await api.post('/customer/block', { user_ids: ['ghost'] })).status, 404);
    assert.equal((await api.post('/customer/delete', { user_ids: 'c-dup' })).status, 400);
  });
});

describe('/spend/logs and /global/spend/report', () => {
  test('filters by key, user, team and dates; daily totals grouped by team, key, model, customer', async () => {
    const key = (await api.post('/key/generate', { team_id: 't-search', user_id: 'u-carol', key_alias: 'spender' })).body;
    const base = { api_key: key.token, user_id: 'u-carol', team_id: 't-search' };
    await store.spend.insertSpendLogs([
      { request_id: 'sp-1', model: 'mock-gpt', start_time: '2026-02-01T10:00:00Z', end_time: '2026-02-01T10:00:01Z', spend: 0.5, prompt_tokens: 10, completion_tokens: 10, end_user: 'cust-x', ...base },
      { request_id: 'sp-2', model: 'mock-other', start_time: '2026-02-01T12:00:00Z', end_time: '2026-02-01T12:00:01Z', spend: 0.25, prompt_tokens: 5, completion_tokens: 5, ...base },
      { request_id: 'sp-3', model: 'mock-gpt', start_time: '2026-02-02T09:00:00Z', end_time: '2026-02-02T09:00:01Z', spend: 1, prompt_tokens: 1, completion_tokens: 1, ...base },
      { request_id: 'sp-4', model: 'mock-gpt', start_time: '2026-02-02T09:00:00Z', end_time: '2026-02-02T09:00:01Z', spend: 2, user_id: 'someone-else' },
    ]);
    const byKey = await api.get(`/spend/logs?api_key=${key.key}`);
    assert.equal(byKey.status, 200);
    assert.deepEqual(byKey.body.map((r: { request_id: string }) => r.request_id).sort(), ['sp-1', 'sp-2', 'sp-3']);
    const row = byKey.body.find((r: { request_id: string }) => r.request_id === 'sp-1');
    assert.equal(row.startTime, '2026-02-01T10:00:00.000Z');
    assert.equal(row.user, 'u-carol');
    assert.equal(row.total_tokens, 20);
    assert.equal(row.end_user, 'cust-x');
    assert.equal((await api.get('/spend/logs?user_id=someone-else')).body.length, 1);
    const day = await api.get('/spend/logs?team_id=t-search&start_date=2026-02-02&end_date=2026-02-02');
    assert.deepEqual(day.body.map((r: { request_id: string }) => r.request_id), ['sp-3']);
    const info = await api.get(`/key/info?key=${key.key}`);
    assert.equal(info.body.info.spend, 1.75, '/key/info shows the spend recorded so far');
    assert.equal((await api.get('/team/info?team_id=t-search')).body.team_info.spend, 1.75);

    const report = await api.get('/global/spend/report?start_date=2026-02-01&end_date=2026-02-02&group_by=team');
    assert.equal(report.status, 200);
    assert.deepEqual(report.body[0].group_by_day, '2026-02-01');
    const search = report.body[0].teams.find((t: { team_id: string }) => t.team_id === 't-search');
    assert.equal(search.team_name, 'Search');
    assert.equal(search.total_spend, 0.75);
    assert.deepEqual(search.metadata.map((m: { model: string }) => m.model).sort(), ['mock-gpt', 'mock-other']);
    const second = report.body.find((d: { group_by_day: string }) => d.group_by_day === '2026-02-02');
    assert.ok(second.teams.some((t: { team_name: string }) => t.team_name === 'Unassigned Team'));
    const keys = await api.get('/global/spend/report?start_date=2026-02-01&end_date=2026-02-01&group_by=api_key');
    assert.equal(keys.body[0].api_keys[0].api_key, key.token);
    const models = await api.get('/global/spend/report?start_date=2026-02-01&end_date=2026-02-01&group_by=model');
    assert.deepEqual(models.body[0].models.map((m: { model: string; total_spend: number }) => [m.model, m.total_spend]), [['mock-gpt', 0.5], ['mock-other', 0.25]]);
    const customers = await api.get('/global/spend/report?start_date=2026-02-01&end_date=2026-02-01&group_by=customer');
    assert.ok(customers.body[0].customers.some((c: { customer: string }) => c.customer === 'cust-x'));
  });

  test('bad input', async () => {
    assert.equal(errorOf(await api.get('/spend/logs?start_date=last-week')).param, 'start_date');
    assert.equal(errorOf(await api.get('/spend/logs?end_date=2026-13-45')).param, 'end_date');
    assert.equal(errorOf(await api.get('/spend/logs?limit=0')).param, 'limit');
    assert.equal(errorOf(await api.get('/global/spend/report?group_by=planet')).param, 'group_by');
  });
});
