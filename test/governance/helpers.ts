// A gateway on a chosen store × state backend with an injectable clock, plus management-API helpers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSchemas, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { deleteKeys, TEST_REDIS_URL } from '../helpers/redis.ts';
import OpenAI from 'openai';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { startGateway, type RunningGateway, type StartOptions } from '../../src/start.ts';
import { MASTER_KEY, writeTempConfig } from '../helpers/gateway.ts';

export { MASTER_KEY };

export { TEST_DATABASE_URL };
export { TEST_REDIS_URL };

export type StoreKind = 'embedded' | 'postgres';
export type StateKind = 'memory' | 'redis';

export interface Backend {
  store: StoreKind;
  state: StateKind;
  name: string;
}

const backend = (store: StoreKind, state: StateKind): Backend => ({ store, state, name: `${store} store, ${state} state` });

/** The two deployments igw is meant for: one process, zero services; replicas on Postgres and Redis. */
export const MAIN_BACKENDS: Backend[] = [backend('embedded', 'memory'), backend('postgres', 'redis')];
/** Every combination, for the tests where both the store and the state matter. */
export const ALL_BACKENDS: Backend[] = [...MAIN_BACKENDS, backend('embedded', 'redis'), backend('postgres', 'memory')];

export interface Clock {
  now: () => number;
  set(t: number): void;
  advance(ms: number): void;
}

/** 12:00:00.000 UTC on a fixed day: rate windows reset at 12:01:00. */
export const T0 = Date.UTC(2026, 2, 10, 12, 0, 0, 0);

export function clock(start = T0): Clock {
  let t = start;
  return { now: () => t, set: (v) => void (t = v), advance: (ms) => void (t += ms) };
}

/** Where one test's data lives, so that a second gateway can be started on the same store. */
export interface Place {
  backend: Backend;
  dataDir: string;
  schema: string;
  statePrefix: string;
}

let n = 0;
const run = `${process.pid}_${Date.now().toString(36)}`;
const schemas: string[] = [];
const prefixes: string[] = [];

export function newPlace(b: Backend): Place {
  const id = `${run}_${n++}`;
  const place = { backend: b, dataDir: mkdtempSync(join(tmpdir(), 'igw-gov-')), schema: `igw_gov_${id}`, statePrefix: `igw-test-gov:${id}:` };
  schemas.push(place.schema);
  prefixes.push(place.statePrefix);
  return place;
}

export interface GatewayUnderTest {
  gw: RunningGateway;
  url: string;
  client(key: string): OpenAI;
  admin<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startOn(place: Place, yaml: string, c: Clock, extra: Partial<StartOptions> = {}): Promise<GatewayUnderTest> {
  const env: NodeJS.ProcessEnv = {};
  if (place.backend.store === 'postgres') env.DATABASE_URL = TEST_DATABASE_URL;
  if (place.backend.state === 'redis') env.REDIS_URL = TEST_REDIS_URL;
  const loaded = await loadConfig(writeTempConfig(yaml), { mode: 'serve', env });
  const gw = await startGateway(loaded, {
    port: 0,
    host: '127.0.0.1',
    logger: createLogger('silent'),
    env,
    dataDir: place.dataDir,
    eagerStore: true,
    now: c.now,
    schema: place.schema,
    statePrefix: place.statePrefix,
    governance: { budgetResetIntervalMs: 0, spendLog: { flushIntervalMs: 20 } },
    ...extra,
  });
  return {
    gw,
    url: gw.url,
    client: (key) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 }),
    admin: async <T,>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${gw.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
      return json as T;
    },
    close: () => gw.close(),
  };
}

/** A mock model priced from model_info: "hi" costs 1 input token and the reply "hello there" 2 output tokens. */
export const PRICED_CONFIG = `
model_list:
  - model_name: priced
    litellm_params: { model: mock/priced, mock_response: "hello there" }
    model_info: { input_cost_per_token: 0.0005, output_cost_per_token: 0.001 }
  - model_name: slow-priced
    litellm_params: { model: mock/slow, mock_response: "hello there", mock_latency_ms: 30 }
    model_info: { input_cost_per_token: 0.0005, output_cost_per_token: 0.001 }
  - model_name: trickle
    litellm_params: { model: mock/trickle, mock_response: "one two three four five", mock_chunk_delay_ms: 100 }
    model_info: { input_cost_per_token: 0.0005, output_cost_per_token: 0.001 }
  - model_name: cheap
    litellm_params: { model: mock/cheap, mock_response: "hello there" }
    model_info: { input_cost_per_token: 0.000001, output_cost_per_token: 0.000001 }
  - model_name: free
    litellm_params: { model: mock/free, mock_response: "hello there" }
general_settings:
  master_key: ${MASTER_KEY}
`;

/** $0.0025: what one "hi" to `priced` costs. */
export const PRICED_COST = 0.0025;

export const hi: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'hi' }];

/** Drops the Postgres schemas and Redis keys the suite created. */
export async function cleanupPlaces(): Promise<void> {
  if (schemas.length > 0) await dropSchemas(...schemas.splice(0));
  for (const p of prefixes.splice(0)) await deleteKeys(p);
}
