// /key/* end to end over HTTP on the embedded store: valid and invalid input, the key shown once, stored as
// its hash, blocked/expired keys refused with 401, and changes taking effect on the next request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/index.ts';
import { startGateway } from '../../src/start.ts';
import { writeTempConfig } from '../helpers/gateway.ts';
import { adminConfig, chat, client, errorOf, type Api } from './helpers.ts';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

let api: Api;
const logLines: string[] = [];

before(async () => {
  // A real logger at debug level, captured, to prove no key reaches a log line.
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const loaded = await loadConfig(writeTempConfig(adminConfig()), { mode: 'serve' });
  const gw = await startGateway(loaded, { port: 0, host: '127.0.0.1', logger: pino({ level: 'debug' }, sink), dataDir: ':memory:' });
  api = client(gw);
});

after(async () => {
  await api.close();
});

describe('/key/generate', () => {
  test('returns the key once with its LiteLLM fields; the key works; info and list never show it', async () => {
    const r = await api.post('/key/generate', {
      key_alias: 'gen-1',
      models: ['mock-gpt'],
      max_budget: 2.5,
      budget_duration: '30d',
      soft_budget: 2,
      rpm_limit: 100,
      tpm_limit: 10000,
      max_parallel_requests: 5,
      model_max_budget: { 'mock-gpt': 1 },
      model_rpm_limit: { 'mock-gpt': 10 },
      model_tpm_limit: { 'mock-gpt': 1000 },
      metadata: { owner: 'docs' },
      tags: ['prod'],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { key, key_name, token, expires } = r.body;
    assert.match(key, /^sk-[A-Za-z0-9_-]{32}$/);
    assert.equal(key_name, `sk-...${key.slice(-4)}`);
    assert.equal(token, sha256(key));
    assert.equal(expires, null);
    assert.equal(r.body.key_alias, 'gen-1');
    assert.deepEqual(r.body.models, ['mock-gpt']);
    assert.equal(r.body.max_budget, 2.5);
    assert.equal(r.body.budget_duration, '30d');
    assert.ok(r.body.budget_reset_at);
    assert.deepEqual(r.body.model_rpm_limit, { 'mock-gpt': 10 });
    assert.deepEqual(r.body.tags, ['prod']);

    const ok = await chat(api.gw, key);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    const info = await api.get(`/key/info?key=${token}`);
    assert.equal(info.status, 200);
    assert.equal(info.body.info.token, token);
    assert.equal(info.body.info.spend, 0);
    assert.ok(!JSON.stringify(info.body).includes(key), '/key/info does not contain the key');
    const list = await api.get('/key/list?return_full_object=true&size=1000');
    assert.ok(!JSON.stringify(list.body).includes(key), '/key/list does not contain the key');
    assert.ok(!logLines.join('').includes(key), 'no log line contains the key');
    assert.ok(!logLines.join('').includes(key.slice(3)), 'not even without its prefix');
  });

  test('a custom key, duration and expires', async () => {
    const custom = 'sk-my-custom-key-0001';
    const r = await api.post('/key/generate', { key: custom, duration: '1h' });
    assert.equal(r.status, 200);
    assert.equal(r.body.key, custom);
    const exp = Date.parse(r.body.expires);
    assert.ok(Math.abs(exp - (Date.now() + 3_600_000)) < 60_000, r.body.expires);
    assert.equal((await chat(api.gw, custom)).status, 200);
    const past = await api.post('/key/generate', { expires: '2020-01-01T00:00:00Z' });
    const refused = await chat(api.gw, past.body.key);
    assert.equal(refused.status, 401);
    assert.equal(errorOf(refused).code, 'key_expired');
    assert.match(errorOf(refused).message, /expired at 2020-01-01/);
  });

  test('bad input: 400 naming the field; unknown ids 404; duplicate alias 409', async () => {
    const cases: [unknown, number, string | null][] = [
      ['not json', 400, null],
      [[1, 2], 400, null],
      [{ models: 'mock-gpt' }, 400, 'models'],
      [{ models: [1] }, 400, 'models[0]'],
      [{ max_budget: '5' }, 400, 'max_budget'],
      [{ max_budget: -1 }, 400, 'max_budget'],
      [{ rpm_limit: 1.5 }, 400, 'rpm_limit'],
      [{ budget_duration: 'monthly' }, 400, 'budget_duration'],
      [{ duration: '10 days' }, 400, 'duration'],
      [{ duration: '1d', expires: '2030-01-01T00:00:00Z' }, 400, 'duration'],
      [{ expires: 'tomorrow' }, 400, 'expires'],
      [{ metadata: [] }, 400, 'metadata'],
      [{ model_max_budget: { a: 'x' } }, 400, 'model_max_budget.a'],
      [{ key_alias: 7 }, 400, 'key_alias'],
      [{ key: 'not-a-key' }, 400, 'key'],
      [{ team_id: 'no-such-team' }, 404, 'team_id'],
      [{ user_id: 'no-such-user' }, 404, 'user_id'],
      [{ organization_id: 'no-such-org' }, 404, 'organization_id'],
    ];
    for (const [body, status, param] of cases) {
      const r = await api.post('/key/generate', body);
      assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
      const err = errorOf(r);
      if (param) assert.equal(err.param, param, JSON.stringify(body));
      assert.ok(err.message.length > 10);
    }
    const empty = await fetch(`${api.gw.url}/key/generate`, { method: 'POST', headers: { authorization: 'Bearer sk-test-master-0123456789' } });
    assert.equal(empty.status, 400);
    assert.equal((await api.post('/key/generate', { key_alias: 'dup' })).status, 200);
    const dup = await api.post('/key/generate', { key_alias: 'dup' });
    assert.equal(dup.status, 409);
    assert.equal(errorOf(dup).param, 'key_alias');
    assert.match(errorOf(dup).message, /key_alias 'dup' already exists/);
  });
});

describe('/key/update, /key/info, /key/list', () => {
  test('update changes only the given fields and takes effect on the next request', async () => {
    const k = (await api.post('/key/generate', { key_alias: 'upd-1', max_budget: 1, rpm_limit: 5 })).body;
    const r = await api.post('/key/update', { key: k.key, max_budget: 3, metadata: { v: 2 } });
    assert.equal(r.status, 200);
    assert.equal(r.body.max_budget, 3);
    assert.equal(r.body.rpm_limit, 5);
    assert.deepEqual(r.body.metadata, { v: 2 });
    const byToken = await api.post('/key/update', { key: k.token, key_alias: 'upd-1-renamed' });
    assert.equal(byToken.body.key_alias, 'upd-1-renamed');
    assert.equal((await chat(api.gw, k.key)).status, 200);
    const exp = await api.post('/key/update', { key: k.key, expires: '2021-01-01T00:00:00Z' });
    assert.equal(exp.status, 200);
    assert.equal((await chat(api.gw, k.key)).status, 401, 'an expiry set through the API applies at once');
  });

  test('update bad input', async () => {
    const k = (await api.post('/key/generate', { key_alias: 'upd-2' })).body;
    assert.equal((await api.post('/key/update', { max_budget: 1 })).status, 400);
    assert.equal(errorOf(await api.post('/key/update', { max_budget: 1 })).param, 'key');
    assert.equal((await api.post('/key/update', { key: 'sk-unknown-key-123', max_budget: 1 })).status, 404);
    assert.equal((await api.post('/key/update', { key: k.key, tpm_limit: 'lots' })).status, 400);
    const dup = await api.post('/key/update', { key: k.key, key_alias: 'gen-1' });
    assert.equal(dup.status, 409);
    assert.equal((await api.post('/key/update', { key: k.key, team_id: 'ghost-team' })).status, 404);
  });

  test('info: missing and unknown keys; list: pages, filters, hashes by default', async () => {
    assert.equal((await api.get('/key/info')).status, 400);
    const unknown = await api.get('/key/info?key=sk-nope-nope-nope');
    assert.equal(unknown.status, 404);
    assert.equal(errorOf(unknown).code, 'key_not_found');
    assert.ok(!errorOf(unknown).message.includes('sk-nope-nope-nope'), 'a presented key is not echoed in an error');
    const page = await api.get('/key/list?size=2&page=2');
    assert.equal(page.status, 200);
    assert.equal(page.body.current_page, 2);
    assert.equal(page.body.keys.length, 2);
    assert.ok(page.body.keys.every((t: unknown) => typeof t === 'string' && /^[0-9a-f]{64}$/.test(t as string)));
    assert.ok(page.body.total_count >= 5);
    assert.equal(page.body.total_pages, Math.ceil(page.body.total_count / 2));
    const byAlias = await api.get('/key/list?key_alias=gen-1&return_full_object=true');
    assert.equal(byAlias.body.keys.length, 1);
    assert.equal(byAlias.body.keys[0].key_alias, 'gen-1');
    assert.equal((await api.get('/key/list?page=0')).status, 400);
  });
});

describe('/key/block, /key/unblock, /key/regenerate, /key/delete', () => {
  test('a blocked key answers 401 at once; unblocked it works again', async () => {
    const k = (await api.post('/key/generate', { key_alias: 'blk' })).body;
    assert.equal((await chat(api.gw, k.key)).status, 200);
    const b = await api.post('/key/block', { key: k.key });
    assert.equal(b.status, 200);
    assert.equal(b.body.blocked, true);
    const refused = await chat(api.gw, k.key);
    assert.equal(refused.status, 401);
    assert.equal(errorOf(refused).code, 'key_blocked');
    assert.match(errorOf(refused).message, /'blk'.*blocked/);
    assert.equal((await api.post('/key/unblock', { key: k.token })).body.blocked, false);
    assert.equal((await chat(api.gw, k.key)).status, 200);
    assert.equal((await api.post('/key/block', {})).status, 400);
    assert.equal((await api.post('/key/block', { key: 'sk-never-existed-1' })).status, 404);
  });

  test('regenerate: a new key for the same record; the old one stops working', async () => {
    const k = (await api.post('/key/generate', { key_alias: 'regen', max_budget: 7 })).body;
    assert.equal((await chat(api.gw, k.key)).status, 200);
    const r = await api.post('/key/regenerate', { key: k.key });
    assert.equal(r.status, 200);
    assert.notEqual(r.body.key, k.key);
    assert.equal(r.body.key_alias, 'regen');
    assert.equal(r.body.max_budget, 7);
    assert.equal(r.body.token, sha256(r.body.key));
    assert.equal((await chat(api.gw, k.key)).status, 401);
    assert.equal((await chat(api.gw, r.body.key)).status, 200);
    const viaPath = await api.post(`/key/${encodeURIComponent(r.body.key)}/regenerate`, undefined);
    assert.equal(viaPath.status, 200, JSON.stringify(viaPath.body));
    assert.equal((await chat(api.gw, viaPath.body.key)).status, 200);
    await new Promise((r) => setTimeout(r, 50)); // the request log line is written when the response closes
    assert.ok(logLines.join('').includes('/key/sk-...'), 'the request log shows the abbreviated key');
    assert.ok(!logLines.join('').includes(r.body.key), 'a key in the path is not logged');
    assert.equal((await api.post('/key/regenerate', {})).status, 400);
    assert.equal((await api.post('/key/regenerate', { key: 'sk-not-there-000' })).status, 404);
  });

  test('delete by key and by alias; the key stops working; unknown and missing input', async () => {
    const a = (await api.post('/key/generate', { key_alias: 'del-a' })).body;
    const b = (await api.post('/key/generate', { key_alias: 'del-b' })).body;
    const r = await api.post('/key/delete', { keys: [a.key], key_aliases: ['del-b'] });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { deleted_keys: [a.key, 'del-b'] });
    assert.equal((await chat(api.gw, a.key)).status, 401);
    assert.equal((await chat(api.gw, b.key)).status, 401);
    assert.equal((await api.post('/key/delete', {})).status, 400);
    assert.equal((await api.post('/key/delete', { keys: 'x' })).status, 400);
    const unknown = await api.post('/key/delete', { keys: ['sk-unknown-999999'] });
    assert.equal(unknown.status, 404);
    assert.equal((await api.post('/key/delete', { key_aliases: ['nope'] })).status, 404);
  });

  test('wrong method and unknown key on the hot path', async () => {
    assert.equal((await api.get('/key/generate')).status, 405);
    const bad = await chat(api.gw, 'sk-made-up-key-xyz');
    assert.equal(bad.status, 401);
    assert.equal(errorOf(bad).code, 'invalid_api_key');
  });
});

test('a custom key refused before it existed works as soon as it is created', async () => {
  const custom = 'sk-created-after-a-miss-01';
  assert.equal((await chat(api.gw, custom)).status, 401);
  assert.equal((await api.post('/key/generate', { key: custom })).status, 200);
  assert.equal((await chat(api.gw, custom)).status, 200, 'the negative cache entry was dropped');
});
