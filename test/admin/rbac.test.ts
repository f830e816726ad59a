// RBAC over HTTP (PostgreSQL store): each role and scope rule, with the 403 and its message for every denial.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, startPostgres, type Api, type Reply } from './helpers.ts';

let api: Api;
/** user_id → a key of that user. */
const keyOf: Record<string, string> = {};
let noUserKey: string;
let teamAKey: { key: string; token: string };
let teamBKey: { key: string; token: string };

function denied(r: Reply, message: RegExp): void {
  assert.equal(r.status, 403, JSON.stringify(r.body));
  const err = errorOf(r);
  assert.equal(err.type, 'permission_error');
  assert.equal(err.code, 'insufficient_permissions');
  assert.match(err.message, message);
}

function ok(r: Reply): void {
  assert.ok(r.status === 200, `expected 200, got ${r.status}: ${JSON.stringify(r.body)}`);
}

before(async () => {
  api = await startPostgres();
  const users: [string, string][] = [
    ['u-padmin', 'proxy_admin'],
    ['u-viewer', 'proxy_admin_viewer'],
    ['u-int', 'internal_user'],
    ['u-intview', 'internal_user_viewer'],
    ['u-ta-admin', 'internal_user'],
    ['u-ta-member', 'internal_user'],
    ['u-tb-admin', 'internal_user'],
    ['u-orgadmin', 'internal_user'],
  ];
  for (const [id, role] of users) {
    const r = await api.post('/user/new', { user_id: id, user_role: role });
    ok(r);
    keyOf[id] = r.body.key;
  }
  ok(await api.post('/organization/new', { organization_id: 'o1', organization_alias: 'Org One' }));
  ok(await api.post('/organization/member_add', { organization_id: 'o1', member: { role: 'org_admin', user_id: 'u-orgadmin' } }));
  ok(await api.post('/team/new', { team_id: 'tA', organization_id: 'o1', members_with_roles: [{ role: 'admin', user_id: 'u-ta-admin' }, { role: 'user', user_id: 'u-ta-member' }] }));
  ok(await api.post('/team/new', { team_id: 'tB', members_with_roles: [{ role: 'admin', user_id: 'u-tb-admin' }] }));
  teamAKey = (await api.post('/key/generate', { team_id: 'tA', key_alias: 'ta-service' })).body;
  teamBKey = (await api.post('/key/generate', { team_id: 'tB', key_alias: 'tb-service' })).body;
  noUserKey = (await api.post('/key/generate', { key_alias: 'lonely' })).body.key;
});

after(async () => {
  await api?.close();
});

describe('proxy_admin and proxy_admin_viewer', () => {
  test('a proxy_admin key manages everything', async () => {
    const k = keyOf['u-padmin'];
    ok(await api.post('/user/new', { user_id: 'made-by-padmin', auto_create_key: false }, k));
    ok(await api.post('/team/new', { team_id: 'tP' }, k));
    ok(await api.post('/key/update', { key: teamBKey.key, rpm_limit: 9 }, k));
    ok(await api.post('/team/block', { team_id: 'tP' }, k));
  });

  test('a proxy_admin_viewer reads everything and changes nothing', async () => {
    const k = keyOf['u-viewer'];
    ok(await api.get('/key/list', k));
    ok(await api.get(`/key/info?key=${teamAKey.token}`, k));
    ok(await api.get('/user/list', k));
    ok(await api.get('/team/info?team_id=tB', k));
    ok(await api.get('/spend/logs', k));
    ok(await api.get('/global/spend/report', k));
    denied(await api.post('/key/generate', {}, k), /Creating keys is not allowed for user 'u-viewer' \(role proxy_admin_viewer\)/);
    denied(await api.post('/key/update', { key: teamAKey.key, rpm_limit: 1 }, k), /may not update key 'ta-service'/);
    denied(await api.post('/key/delete', { keys: [teamAKey.key] }, k), /may not delete key/);
    denied(await api.post('/user/new', {}, k), /Only a proxy_admin can create users/);
    denied(await api.post('/team/new', {}, k), /Only a proxy_admin, or an org_admin .* can create teams/);
    denied(await api.post('/team/update', { team_id: 'tA', rpm_limit: 1 }, k), /may not update team 'tA'/);
    denied(await api.post('/customer/new', { user_id: 'c' }, k), /Only a proxy_admin can create customers/);
    denied(await api.post('/budget/new', {}, k), /Only a proxy_admin can create budgets/);
    denied(await api.post('/organization/new', { organization_alias: 'x' }, k), /Only a proxy_admin can create organizations/);
  });
});

describe('internal_user and internal_user_viewer: only their own keys and spend', () => {
  test('an internal_user creates and manages its own keys only', async () => {
    const k = keyOf['u-int'];
    const mine = await api.post('/key/generate', { key_alias: 'int-own' }, k);
    ok(mine);
    assert.equal(mine.body.user_id, 'u-int', 'a key an internal_user creates is its own');
    denied(await api.post('/key/generate', { user_id: 'u-viewer' }, k), /An internal_user can only create keys for itself; 'u-viewer' is not the caller \('u-int'\)/);
    denied(await api.post('/key/generate', { team_id: 'tB' }, k), /User 'u-int' is not a member of team 'tB'/);
    ok(await api.post('/key/update', { key: mine.body.key, key_alias: 'int-own-renamed', metadata: { app: 'cli' } }, k));
    denied(await api.post('/key/update', { key: mine.body.key, max_budget: 1000 }, k), /may not change 'max_budget' of a key: limits are set by a proxy_admin or the key's team admin/);
    denied(await api.post('/key/update', { key: mine.body.key, rpm_limit: 3 }, k), /may not change 'rpm_limit'/);
    denied(await api.post('/key/regenerate', { key: mine.body.key, tpm_limit: 3 }, k), /may not change 'tpm_limit'/);
    const rotated = await api.post('/key/regenerate', { key: mine.body.key }, k);
    ok(rotated);
    mine.body.key = rotated.body.key;
    denied(await api.post('/key/update', { key: keyOf['u-viewer'], rpm_limit: 3 }, k), /may not update key/);
    denied(await api.post('/key/update', { key: mine.body.key, user_id: 'u-viewer' }, k), /Only a proxy_admin can give a key to another user/);
    denied(await api.get(`/key/info?key=${keyOf['u-viewer']}`, k), /may not read key/);
    denied(await api.post('/key/block', { key: mine.body.key }, k), /Only a proxy_admin or an admin of the key's team can block a key/);
    const list = await api.get('/key/list?return_full_object=true', k);
    ok(list);
    assert.ok(list.body.keys.length >= 2);
    assert.ok(list.body.keys.every((x: { user_id: string }) => x.user_id === 'u-int'), 'an internal_user lists only its own keys');
    denied(await api.get('/key/list?user_id=u-viewer', k), /can only list its own keys, not those of 'u-viewer'/);
    denied(await api.get('/key/list?team_id=tA', k), /Only an admin of team 'tA' can list its keys/);
    ok(await api.post('/key/delete', { keys: [mine.body.key] }, k));
  });

  test('an internal_user reads only its own user record and spend', async () => {
    const k = keyOf['u-int'];
    ok(await api.get('/user/info', k));
    ok(await api.get('/user/info?user_id=u-int', k));
    denied(await api.get('/user/info?user_id=u-viewer', k), /may only read its own user record, not 'u-viewer'/);
    denied(await api.get('/user/list', k), /Only a proxy_admin or proxy_admin_viewer can list users/);
    denied(await api.post('/user/update', { user_id: 'u-int', user_role: 'proxy_admin' }, k), /Only a proxy_admin can update users/);
    ok(await api.get('/spend/logs', k));
    denied(await api.get('/spend/logs?user_id=u-viewer', k), /can only read its own spend, not that of 'u-viewer'/);
    denied(await api.get('/spend/logs?team_id=tB', k), /Only an admin of team 'tB' can read its spend/);
    denied(await api.get(`/spend/logs?api_key=${teamBKey.key}`, k), /may not read the spend of that key/);
    denied(await api.get('/team/info?team_id=tB', k), /may not read team 'tB': only its members and admins can/);
    denied(await api.get('/customer/list', k), /Only a proxy_admin or proxy_admin_viewer can list customers/);
    denied(await api.get('/budget/list', k), /Only a proxy_admin or proxy_admin_viewer can list budgets/);
  });

  test('an internal_user_viewer reads its own keys and changes nothing', async () => {
    const k = keyOf['u-intview'];
    ok(await api.get(`/key/info?key=${k}`, k));
    ok(await api.get('/key/list', k));
    denied(await api.post('/key/generate', {}, k), /Creating keys is not allowed for user 'u-intview' \(role internal_user_viewer\)/);
    denied(await api.post('/key/update', { key: k, rpm_limit: 1 }, k), /may not update key/);
    denied(await api.post('/key/delete', { keys: [k] }, k), /may not delete key/);
  });
});

describe('team admin and team member: their team only', () => {
  test('a team admin manages its team and its keys, not another team', async () => {
    const k = keyOf['u-ta-admin'];
    const created = await api.post('/key/generate', { team_id: 'tA', key_alias: 'ta-new' }, k);
    ok(created);
    assert.equal(created.body.team_id, 'tA');
    denied(await api.post('/key/generate', { team_id: 'tB' }, k), /not a member of team 'tB'/);
    ok(await api.post('/key/update', { key: teamAKey.key, tpm_limit: 1000 }, k));
    denied(await api.post('/key/update', { key: teamBKey.key, tpm_limit: 1000 }, k), /may not update key 'tb-service'.*admin of its team/);
    denied(await api.post('/key/update', { key: teamAKey.key, team_id: 'tB' }, k), /may not move a key into team 'tB'/);
    ok(await api.post('/key/block', { key: teamAKey.key }, k));
    ok(await api.post('/key/unblock', { key: teamAKey.key }, k));
    denied(await api.post('/key/block', { key: teamBKey.key }, k), /Only a proxy_admin or an admin of the key's team can block/);
    ok(await api.get('/key/list?team_id=tA', k));
    denied(await api.get('/key/list?team_id=tB', k), /Only an admin of team 'tB' can list its keys/);
    ok(await api.post('/team/update', { team_id: 'tA', rpm_limit: 50 }, k));
    denied(await api.post('/team/update', { team_id: 'tB', rpm_limit: 50 }, k), /may not update team 'tB': only a proxy_admin, the team's admin or its organization's org_admin can/);
    ok(await api.post('/team/member_add', { team_id: 'tA', member: { role: 'user', user_id: 'u-int' } }, k));
    ok(await api.post('/team/member_delete', { team_id: 'tA', user_id: 'u-int' }, k));
    denied(await api.post('/team/member_add', { team_id: 'tB', member: { role: 'user', user_id: 'u-int' } }, k), /may not add members to team 'tB'/);
    denied(await api.post('/team/delete', { team_ids: ['tA'] }, k), /Only a proxy_admin or the org_admin of its organization can delete team 'tA'/);
    denied(await api.post('/team/block', { team_id: 'tA' }, k), /Only a proxy_admin can block teams/);
    ok(await api.get('/spend/logs?team_id=tA', k));
    denied(await api.get('/spend/logs?team_id=tB', k), /Only an admin of team 'tB' can read its spend/);
    await api.post('/key/delete', { keys: [created.body.key] });
  });

  test('a team member reads its team and creates keys for itself in it, but manages nothing else', async () => {
    const k = keyOf['u-ta-member'];
    ok(await api.get('/team/info?team_id=tA', k));
    const own = await api.post('/key/generate', { team_id: 'tA' }, k);
    ok(own);
    assert.equal(own.body.user_id, 'u-ta-member');
    denied(await api.post('/team/update', { team_id: 'tA', rpm_limit: 1 }, k), /may not update team 'tA'/);
    denied(await api.post('/key/update', { key: teamAKey.key, rpm_limit: 1 }, k), /may not update key 'ta-service'/);
    denied(await api.get('/key/list?team_id=tA', k), /Only an admin of team 'tA' can list its keys/);
    denied(await api.post('/team/member_add', { team_id: 'tA', member: { role: 'admin', user_id: 'u-ta-member' } }, k), /may not add members to team 'tA'/);
    const teams = await api.get('/team/list', k);
    assert.deepEqual(teams.body.map((t: { team_id: string }) => t.team_id), ['tA'], 'a member lists only its own teams');
  });
});

describe('organization admin: the teams of its organization', () => {
  test('an org_admin creates and manages teams in its organization only', async () => {
    const k = keyOf['u-orgadmin'];
    ok(await api.post('/team/new', { team_id: 'tO', organization_id: 'o1' }, k));
    denied(await api.post('/team/new', { team_id: 'tX' }, k), /Only a proxy_admin, or an org_admin of the team's organization_id, can create teams/);
    ok(await api.post('/team/update', { team_id: 'tA', max_budget: 99 }, k));
    denied(await api.post('/team/update', { team_id: 'tB', max_budget: 99 }, k), /may not update team 'tB'/);
    ok(await api.post('/key/update', { key: teamAKey.key, max_budget: 5 }, k));
    ok(await api.call('PATCH', '/organization/update', { organization_id: 'o1', rpm_limit: 10 }, k));
    ok(await api.post('/organization/member_add', { organization_id: 'o1', member: { role: 'internal_user', user_id: 'u-int' } }, k));
    ok(await api.get('/organization/info?organization_id=o1', k));
    denied(await api.post('/organization/new', { organization_alias: 'Mine' }, k), /Only a proxy_admin can create organizations/);
    denied(await api.call('DELETE', '/organization/delete', { organization_ids: ['o1'] }, k), /Only a proxy_admin can delete organizations/);
    ok(await api.post('/team/delete', { team_ids: ['tO'] }, k));
  });

  test('member_delete: an org_admin removes members of its organization; others are refused with 403', async () => {
    ok(await api.post('/organization/new', { organization_id: 'o2', organization_alias: 'Org Two' }));
    ok(await api.post('/organization/member_add', { organization_id: 'o2', member: { role: 'internal_user', user_id: 'u-int' } }));
    ok(await api.post('/organization/member_add', { organization_id: 'o1', member: { role: 'internal_user', user_id: 'u-ta-member' } }));
    denied(await api.call('DELETE', '/organization/member_delete', { organization_id: 'o1', user_id: 'u-ta-member' }, keyOf['u-int']), /Only a proxy_admin or an org_admin of 'o1' can remove members; the caller is user 'u-int' \(role internal_user\)/);
    denied(await api.call('DELETE', '/organization/member_delete', { organization_id: 'o1', user_id: 'u-ta-member' }, keyOf['u-viewer']), /Only a proxy_admin or an org_admin of 'o1' can remove members/);
    denied(await api.call('DELETE', '/organization/member_delete', { organization_id: 'o1', user_id: 'u-ta-member' }, noUserKey), /the caller is a key with no user/);
    denied(await api.call('DELETE', '/organization/member_delete', { organization_id: 'o2', user_id: 'u-int' }, keyOf['u-orgadmin']), /org_admin of 'o2'/);
    ok(await api.call('DELETE', '/organization/member_delete', { organization_id: 'o1', user_id: 'u-ta-member' }, keyOf['u-orgadmin']));
    ok(await api.call('DELETE', '/organization/member_delete', { organization_id: 'o2', user_id: 'u-int' }, keyOf['u-padmin']));
  });

  test('a removed org_admin loses its rights at once', async () => {
    const created = await api.post('/user/new', { user_id: 'u-former-admin', user_role: 'internal_user' });
    ok(created);
    const k: string = created.body.key;
    ok(await api.post('/organization/member_add', { organization_id: 'o1', member: { role: 'org_admin', user_id: 'u-former-admin' } }));
    ok(await api.call('PATCH', '/organization/update', { organization_id: 'o1', rpm_limit: 11 }, k));
    ok(await api.call('DELETE', '/organization/member_delete', { organization_id: 'o1', user_id: 'u-former-admin' }));
    denied(await api.call('PATCH', '/organization/update', { organization_id: 'o1', rpm_limit: 12 }, k), /Only a proxy_admin or an org_admin of 'o1' can update it/);
    denied(await api.get('/organization/info?organization_id=o1', k), /may not read organization 'o1'/);
  });

  test('organization info is only for its members', async () => {
    denied(await api.get('/organization/info?organization_id=o1', keyOf['u-tb-admin']), /may not read organization 'o1': only its members and admins can/);
    denied(await api.call('PATCH', '/organization/update', { organization_id: 'o1', rpm_limit: 1 }, keyOf['u-tb-admin']), /Only a proxy_admin or an org_admin of 'o1' can update it/);
  });
});

describe('a key with no user', () => {
  test('reads itself and its own spend, nothing more', async () => {
    const info = await api.get('/key/info', noUserKey);
    ok(info);
    assert.equal(info.body.info.key_alias, 'lonely');
    ok(await api.get('/spend/logs', noUserKey));
    denied(await api.get('/key/list', noUserKey), /A key with no user can only read itself, with \/key\/info/);
    denied(await api.post('/key/generate', {}, noUserKey), /Creating keys is not allowed for a key with no user/);
    denied(await api.get(`/key/info?key=${teamAKey.key}`, noUserKey), /may not read key/);
    denied(await api.get('/team/list', noUserKey), /A key with no user cannot list teams/);
  });
});
