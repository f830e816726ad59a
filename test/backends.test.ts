// Which state backend a config gets: LiteLLM's router_settings.redis_host/port/password name igw's Redis when
// no URL is given.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openBackends, routerRedisUrl } from '../src/backends.ts';
import { loadConfig } from '../src/config/index.ts';
import { writeTempConfig } from './helpers/gateway.ts';
import { uniquePrefix } from './helpers/redis.ts';

test('routerRedisUrl: host, default port, password escaped, IPv6 in brackets; nothing without a host', () => {
  assert.equal(routerRedisUrl({ redis_host: 'redis.internal' }), 'redis://redis.internal:6379');
  assert.equal(routerRedisUrl({ redis_host: '10.0.0.5', redis_port: 6380, redis_password: 'p@ss:w/rd' }), 'redis://:p%40ss%3Aw%2Frd@10.0.0.5:6380');
  assert.equal(routerRedisUrl({ redis_host: '::1' }), 'redis://[::1]:6379');
  assert.equal(routerRedisUrl({ redis_port: 6379 }), undefined);
});

const litellmStyle = (port: string): string => `
model_list:
  - model_name: m
    litellm_params: { model: mock/m }
router_settings:
  routing_strategy: simple-shuffle
  redis_host: os.environ/IGW_T_REDIS_HOST
  redis_port: "${port}"
  redis_password: os.environ/IGW_T_REDIS_PASSWORD
`;

test('a LiteLLM config with router_settings.redis_host loads without a warning and uses that Redis for the state', async () => {
  const env = { IGW_T_REDIS_HOST: '127.0.0.1', IGW_T_REDIS_PASSWORD: '' };
  const loaded = await loadConfig(writeTempConfig(litellmStyle('6379')), { mode: 'serve', env });
  assert.deepEqual(loaded.warnings.filter((w) => w.message.startsWith('not supported yet')), []);
  assert.equal(loaded.config.router_settings.redis_port, 6379);
  const backends = await openBackends(loaded.config, { env: {}, dataDir: ':memory:', statePrefix: uniquePrefix('backends') });
  try {
    assert.equal(backends.description.state, 'redis 127.0.0.1:6379');
  } finally {
    await backends.close();
  }
});

test('general_settings.redis_url and REDIS_URL win over router_settings', async () => {
  const loaded = await loadConfig(writeTempConfig(litellmStyle('6379')), { mode: 'serve', env: { IGW_T_REDIS_HOST: 'elsewhere.invalid' } });
  const backends = await openBackends(loaded.config, { env: { REDIS_URL: 'redis://127.0.0.1:6379' }, dataDir: ':memory:', statePrefix: uniquePrefix('backends') });
  try {
    assert.equal(backends.description.state, 'redis 127.0.0.1:6379');
  } finally {
    await backends.close();
  }
});

test('a redis_port that is not a port is a config error naming its path', async () => {
  await assert.rejects(loadConfig(writeTempConfig(litellmStyle('99999')), { mode: 'serve', env: { IGW_T_REDIS_HOST: 'h' } }), (err: Error) => {
    assert.match(err.message, /router_settings\.redis_port/);
    return true;
  });
});
