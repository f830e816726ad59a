// The hot-path key cache: no store round trip on a warm cache, one load per miss however many ask at once,
// unknown keys remembered briefly, and API changes invalidating caches on every replica (through Redis).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Authenticator, Directory, hashKey, InvalidationBus } from '../../src/auth/index.ts';
import { subjectsOf } from '../../src/limits/index.ts';
import { RedisState } from '../../src/state/redis.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { startTestGateway } from '../helpers/gateway.ts';
import { adminConfig, chat, client, TEST_DATABASE_URL } from '../admin/helpers.ts';
import { dropSchemas } from '../helpers/postgres.ts';

const TEST_REDIS_URL = process.env.IGW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const schema = `igw_auth_${process.pid}_${Date.now().toString(36)}`;
const MASTER = 'sk-master-for-directory-tests';
let store: Store;

/** Counts store reads, to prove the warm path makes none. */
function counting(s: Store): { store: Store; reads: () => number } {
  let n = 0;
  const wrap = <T extends object>(repo: T): T =>
    new Proxy(repo, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          n++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const wrapped = { ...s, keys: wrap(s.keys), users: wrap(s.users), teams: wrap(s.teams), organizations: wrap(s.organizations), budgets: wrap(s.budgets) };
  return { store: wrapped, reads: () => n };
}

const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

before(async () => {
  store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
  await store.users.create({ user_id: 'dir-user', user_role: 'internal_user' });
  await store.teams.create({ team_id: 'dir-team', members_with_roles: [{ user_id: 'dir-user', user_email: null, role: 'admin' }] });
  await store.keys.create({ token: hashKey('sk-dir-key-1'), key_name: 'sk-...ey-1', user_id: 'dir-user', team_id: 'dir-team' });
});

after(async () => {
  await store.close();
  await dropSchemas(schema);
});

test('a warm cache answers with no store round trip; the principal carries user, team and roles', async () => {
  const c = counting(store);
  const auth = new Authenticator({ masterKey: MASTER, store: async () => c.store });
  const first = await auth.authenticate(bearer('sk-dir-key-1'));
  assert.equal(first.kind, 'virtual_key');
  assert.equal(first.user?.user_id, 'dir-user');
  assert.equal(first.team?.team_id, 'dir-team');
  assert.equal(first.role, 'internal_user');
  assert.equal(first.teamRole, 'admin');
  const cold = c.reads();
  assert.ok(cold > 0);
  for (let i = 0; i < 1000; i++) await auth.authenticate(bearer('sk-dir-key-1'));
  assert.equal(c.reads(), cold, '1000 warm requests, no store read');
  assert.equal((await auth.authenticate(bearer(MASTER))).kind, 'master');
});

test('the same Principal (and its limit subjects) serve every request until one of its records changes', async () => {
  await store.budgets.create({ budget_id: 'dir-budget', max_budget: 5 });
  await store.keys.create({ token: hashKey('sk-dir-key-2'), key_name: 'sk-...ey-2', user_id: 'dir-user', team_id: 'dir-team', budget_id: 'dir-budget' });
  const directory = new Directory({ store: async () => store });
  const token = hashKey('sk-dir-key-2');
  const first = await directory.principal(token);
  assert.ok(first);
  assert.equal(first.budgets['dir-budget']?.max_budget, 5);
  assert.equal(directory.principal(token), first, 'a warm principal comes back synchronously, the same object');
  assert.equal(subjectsOf(first, null), subjectsOf(first, null));

  const changes: [string, () => Promise<unknown>, (p: NonNullable<typeof first>) => boolean][] = [
    ['key', async () => { await store.keys.update(token, { key_alias: 'renamed' }); directory.invalidate({ kind: 'key', id: token }); }, (p) => p.key?.key_alias === 'renamed'],
    ['user', async () => { await store.users.update('dir-user', { user_role: 'proxy_admin' }); directory.invalidate({ kind: 'user', id: 'dir-user' }); }, (p) => p.role === 'proxy_admin'],
    ['team', async () => { await store.teams.update('dir-team', { team_alias: 'renamed-team' }); directory.invalidate({ kind: 'team', id: 'dir-team' }); }, (p) => p.team?.team_alias === 'renamed-team'],
    ['budget', async () => { await store.budgets.update('dir-budget', { max_budget: 7 }); directory.invalidate({ kind: 'budget', id: 'dir-budget' }); }, (p) => p.budgets['dir-budget']?.max_budget === 7],
  ];
  let previous = first;
  for (const [what, change, seen] of changes) {
    await change();
    const next = await directory.principal(token);
    assert.ok(next && next !== previous, `a changed ${what} gives a new principal`);
    assert.ok(seen(next), `the new principal has the changed ${what}`);
    assert.notEqual(subjectsOf(next, null), subjectsOf(previous, null), `and new subjects after the ${what} change`);
    assert.equal(directory.principal(token), next);
    previous = next;
  }
  await store.keys.delete([token]);
  directory.invalidate({ kind: 'key', id: token });
  assert.equal(await directory.principal(token), null, 'a deleted key has no principal');
});

test('concurrent misses load once; an unknown key is remembered briefly', async () => {
  const c = counting(store);
  let now = 1_000_000;
  const auth = new Authenticator({ masterKey: MASTER, store: async () => c.store, now: () => now, negativeTtlMs: 2000 });
  await Promise.all(Array.from({ length: 50 }, () => auth.authenticate(bearer('sk-dir-key-1'))));
  assert.equal(c.reads(), 3, '50 concurrent misses: one read of the key, one of its user, one of its team');
  const before = c.reads();
  for (let i = 0; i < 20; i++) await assert.rejects(async () => auth.authenticate(bearer('sk-unknown-key')), /Invalid API key/);
  assert.equal(c.reads(), before + 1, 'the unknown key was looked up once');
  now += 2500;
  await assert.rejects(async () => auth.authenticate(bearer('sk-unknown-key')));
  assert.equal(c.reads(), before + 2, 'and again after the negative entry expired');
});

test('a missing or unknown key is a 401 that says which', async () => {
  const auth = new Authenticator({ masterKey: MASTER, store: async () => store });
  await assert.rejects(async () => auth.authenticate({}), (e: Error & { status?: number; code?: string }) => e.status === 401 && e.code === 'missing_api_key');
  await assert.rejects(async () => auth.authenticate(bearer('sk-nope')), (e: Error & { code?: string }) => e.code === 'invalid_api_key');
  const broken = new Authenticator({ masterKey: MASTER, store: async () => Promise.reject(new Error('connection refused')) });
  await assert.rejects(async () => broken.authenticate(bearer('sk-x')), (e: Error & { status?: number }) => e.status === 503 && /key store is unavailable/.test(e.message));
});

test('an invalidation on one replica reaches the cache of another through Redis', async () => {
  const prefix = `igw-test-inval:${process.pid}:${Date.now()}:`;
  const stateA = await RedisState.connect({ url: TEST_REDIS_URL, prefix });
  const stateB = await RedisState.connect({ url: TEST_REDIS_URL, prefix });
  const busA = new InvalidationBus(stateA);
  const busB = new InvalidationBus(stateB);
  await busA.start();
  await busB.start();
  try {
    const authB = new Authenticator({ masterKey: MASTER, store: async () => store, bus: busB });
    await authB.authenticate(bearer('sk-dir-key-1'));
    await store.keys.update(hashKey('sk-dir-key-1'), { blocked: true });
    await authB.authenticate(bearer('sk-dir-key-1')); // still cached as unblocked: no invalidation yet
    await busA.publish({ kind: 'key', id: hashKey('sk-dir-key-1') });
    let refused = false;
    for (let i = 0; i < 500 && !refused; i++) {
      await new Promise((r) => setTimeout(r, 10));
      refused = await Promise.resolve(authB.authenticate(bearer('sk-dir-key-1'))).then(
        () => false,
        (e: { code?: string }) => e.code === 'key_blocked',
      );
    }
    assert.ok(refused, 'replica B refuses the key blocked through replica A');
  } finally {
    await store.keys.update(hashKey('sk-dir-key-1'), { blocked: false });
    await busA.stop();
    await busB.stop();
    await stateA.close();
    await stateB.close();
  }
});

test('two gateways on one PostgreSQL and one Redis: a key blocked through one is refused by the other', async () => {
  const s2 = `igw_repl_${process.pid}_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`CREATE SCHEMA ${s2}`);
  const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${s2}`)}`;
  const yaml = adminConfig(`  database_url: "${url}"\n  redis_url: "${TEST_REDIS_URL}"`);
  const a = client(await startTestGateway(yaml));
  const b = client(await startTestGateway(yaml));
  try {
    const key = (await a.post('/key/generate', { key_alias: 'replicated' })).body.key;
    assert.equal((await chat(b.gw, key)).status, 200, 'replica B knows the key A created');
    assert.equal((await a.post('/key/block', { key })).status, 200);
    let status = 200;
    for (let i = 0; i < 500 && status === 200; i++) {
      status = (await chat(b.gw, key)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(status, 401);
  } finally {
    await a.close();
    await b.close();
    await c.query(`DROP SCHEMA IF EXISTS ${s2} CASCADE`);
    await c.end();
  }
});
