// Who is charged and limited, and which models a key may call (LiteLLM's rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '../../src/auth/principal.ts';
import { GatewayError } from '../../src/canonical/index.ts';
import { checkModelAccess, currentPeriod, subjectsOf } from '../../src/limits/index.ts';
import type { BudgetRecord, EndUserRecord, KeyRecord, LimitFields, OrganizationRecord, TeamRecord, UserRecord } from '../../src/store/index.ts';

const now = '2026-03-10T12:00:00.000Z';
const limits: LimitFields = {
  max_budget: null,
  soft_budget: null,
  budget_duration: null,
  budget_reset_at: null,
  rpm_limit: null,
  tpm_limit: null,
  max_parallel_requests: null,
  model_max_budget: {},
  model_rpm_limit: {},
  model_tpm_limit: {},
  budget_id: null,
};

function key(over: Partial<KeyRecord> = {}): KeyRecord {
  return {
    ...limits,
    token: 'hash1',
    key_name: 'sk-...abcd',
    key_alias: null,
    user_id: null,
    team_id: null,
    organization_id: null,
    models: [],
    spend: 0,
    expires: null,
    metadata: {},
    tags: [],
    blocked: false,
    created_by: null,
    created_at: now,
    updated_at: now,
    ...over,
  };
}

function team(over: Partial<TeamRecord> = {}): TeamRecord {
  return { ...limits, team_id: 't1', team_alias: 'research', organization_id: null, models: [], spend: 0, blocked: false, metadata: {}, members_with_roles: [], created_at: now, updated_at: now, ...over };
}

function user(over: Partial<UserRecord> = {}): UserRecord {
  return { ...limits, user_id: 'u1', user_alias: null, user_email: null, user_role: 'internal_user', teams: [], organization_memberships: [], models: [], spend: 0, metadata: {}, created_at: now, updated_at: now, ...over };
}

function principal(over: Partial<Principal> = {}): Principal {
  return { kind: 'virtual_key', key: key(), user: null, team: null, organization: null, budgets: {}, role: null, teamRole: null, orgRoles: {}, ...over };
}

function denied(fn: () => void): GatewayError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    return err;
  }
  assert.fail('expected a denial');
}

test('key models: the list, wildcards, and LiteLLM\'s 401 naming the model and the list', () => {
  const p = principal({ key: key({ models: ['gpt-4o', 'openai/*'] }) });
  checkModelAccess(p, 'gpt-4o');
  checkModelAccess(p, 'openai/gpt-4.1');
  const err = denied(() => checkModelAccess(p, 'claude'));
  assert.equal(err.status, 401);
  assert.equal(err.type, 'key_model_access_denied');
  assert.equal(err.param, 'model');
  assert.equal(err.message, "key not allowed to access model. This key can only access models=['gpt-4o', 'openai/*']. Tried to access claude");
});

test('team models bound the team\'s keys; an empty key list defers to them; all-team-models too', () => {
  const t = team({ models: ['gpt-4o-mini'] });
  const err = denied(() => checkModelAccess(principal({ key: key({ team_id: 't1' }), team: t }), 'gpt-4o'));
  assert.match(err.message, /^Team=research not allowed to access model\. This team can only access models=\['gpt-4o-mini'\]/);
  checkModelAccess(principal({ key: key({ team_id: 't1', models: ['all-team-models'] }), team: t }), 'gpt-4o-mini');
  denied(() => checkModelAccess(principal({ key: key({ team_id: 't1', models: ['gpt-4o'] }), team: t }), 'gpt-4o'));
});

test('a personal key is bounded by its user\'s list; master and open callers by nothing', () => {
  const u = user({ models: ['a'] });
  denied(() => checkModelAccess(principal({ user: u }), 'b'));
  checkModelAccess(principal({ kind: 'master', key: null }), 'anything');
  checkModelAccess(principal({ key: key({ models: ['*'] }) }), 'anything');
  checkModelAccess(principal({ key: key({ models: ['all-proxy-models'] }) }), 'anything');
});

test('an organization\'s list bounds every key in it, with or without a team', () => {
  const org: OrganizationRecord = { ...limits, organization_id: 'o1', organization_alias: 'Acme', models: ['gpt-4o', 'openai/*'], spend: 0, metadata: {}, members: [], teams: [], created_at: now, updated_at: now };
  checkModelAccess(principal({ organization: org }), 'openai/gpt-4.1');
  const err = denied(() => checkModelAccess(principal({ key: key({ models: ['claude'] }), organization: org }), 'claude'));
  assert.equal(err.type, 'key_model_access_denied');
  assert.equal(err.message, "Organization=Acme not allowed to access model. This organization can only access models=['gpt-4o', 'openai/*']. Tried to access claude");
  denied(() => checkModelAccess(principal({ key: key({ team_id: 't1' }), team: team({ models: ['claude'] }), organization: org }), 'claude'));
  checkModelAccess(principal({ organization: { ...org, models: [] } }), 'claude');
});

test('subjects: key, user, team, organization and end-user, with budget rows filling null fields', () => {
  const budget: BudgetRecord = { ...limits, budget_id: 'b1', max_budget: 5, rpm_limit: 7, created_at: now, updated_at: now } as BudgetRecord;
  const endUser: EndUserRecord = { ...limits, user_id: 'customer-9', alias: null, blocked: false, spend: 1.5, allowed_model_region: null, default_model: null, metadata: {}, budget_id: 'b1', created_at: now, updated_at: now };
  const p = principal({ key: key({ key_alias: 'ci', max_budget: 1 }), user: user({ max_budget: 3 }), team: team({ max_budget: 10 }) });
  const subjects = subjectsOf(p, endUser, { b1: budget });
  assert.deepEqual(subjects.map((s) => [s.kind, s.label, s.maxBudget]), [
    ['key', 'ci', 1],
    ['user', 'u1', null], // a team key spends the team's budget, not its user's (LiteLLM)
    ['team', 'research', 10],
    ['end_user', 'customer-9', 5],
  ]);
  assert.equal(subjects[3].rpm, 7);
  assert.equal(subjects[3].storedSpend, 1.5);
  assert.deepEqual(subjectsOf(principal({ user: user({ max_budget: 3 }) }), null).map((s) => s.maxBudget), [null, 3]);
  assert.deepEqual(subjectsOf(principal({ kind: 'master', key: null }), null), []);
});

test('budget periods tile the time line from budget_reset_at', () => {
  const created = '2026-03-01T00:00:00.000Z';
  const reset = '2026-03-10T00:00:00.000Z';
  const day = 86_400_000;
  const at = (iso: string): number => Date.parse(iso);
  assert.deepEqual(currentPeriod(null, null, created, at(now)), { endsAt: null, startsAt: null });
  assert.deepEqual(currentPeriod('1d', reset, created, at('2026-03-09T12:00:00Z')), { startsAt: at(reset) - day, endsAt: at(reset) });
  assert.deepEqual(currentPeriod('1d', reset, created, at(reset)), { startsAt: at(reset), endsAt: at(reset) + day });
  assert.deepEqual(currentPeriod('7d', reset, created, at('2026-03-30T00:00:00Z')), { startsAt: at('2026-03-24T00:00:00Z'), endsAt: at('2026-03-31T00:00:00Z') });
  assert.deepEqual(currentPeriod('1mo', '2026-01-31T00:00:00Z', created, at('2026-03-05T00:00:00Z')), {
    startsAt: at('2026-02-28T00:00:00Z'),
    endsAt: at('2026-03-31T00:00:00Z'),
  });
  assert.deepEqual(currentPeriod('30s', null, created, at(created) + 45_000), { startsAt: at(created) + 30_000, endsAt: at(created) + 60_000 });
  assert.deepEqual(currentPeriod('bogus', reset, created, at(now)), { endsAt: null, startsAt: null });
});
