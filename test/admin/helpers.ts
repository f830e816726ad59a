// Management API tests: a gateway with the master key and mock models, and a tiny JSON client.
import pg from 'pg';
import { dropSchemas, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { MASTER_KEY, startTestGateway } from '../helpers/gateway.ts';
import type { RunningGateway } from '../../src/start.ts';

export { MASTER_KEY };

export { TEST_DATABASE_URL };

export function adminConfig(extraGeneral = ''): string {
  return `
model_list:
  - model_name: mock-gpt
    litellm_params: { model: mock/mock-gpt, mock_response: "Hello from mock" }
  - model_name: mock-other
    litellm_params: { model: mock/mock-other, mock_response: "Other" }
general_settings:
  master_key: ${MASTER_KEY}
${extraGeneral}`;
}

export interface Reply {
  status: number;
  // Tests read arbitrary JSON fields of LiteLLM-shaped responses.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface Api {
  gw: RunningGateway;
  /** The Postgres schema of a startPostgres() gateway. */
  schema?: string;
  get(path: string, key?: string): Promise<Reply>;
  post(path: string, body: unknown, key?: string): Promise<Reply>;
  call(method: string, path: string, body: unknown, key?: string): Promise<Reply>;
  close(): Promise<void>;
}

export function client(gw: RunningGateway, onClose: () => Promise<void> = async () => {}): Api {
  const call = async (method: string, path: string, body: unknown, key: string = MASTER_KEY): Promise<Reply> => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };
  return {
    gw,
    call,
    get: (path, key) => call('GET', path, undefined, key),
    post: (path, body, key) => call('POST', path, body, key),
    close: async () => {
      await gw.close();
      await onClose();
    },
  };
}

/** A gateway on the embedded store, in memory. */
export async function startEmbedded(): Promise<Api> {
  return client(await startTestGateway(adminConfig()));
}

/** A gateway on PostgreSQL, in a fresh schema dropped at close. */
export async function startPostgres(): Promise<Api> {
  const schema = `igw_admin_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const gw = await startTestGateway(adminConfig(`  database_url: "${url}"`));
  const api = client(gw, () => dropSchemas(schema));
  return { ...api, schema };
}

/** Asserts an OpenAI-shaped error and returns it. */
export function errorOf(r: Reply): { message: string; type: string; param: string | null; code: string | null } {
  if (!r.body || typeof r.body !== 'object' || !r.body.error) throw new Error(`expected an error body, got ${JSON.stringify(r.body)}`);
  return r.body.error;
}

export async function chat(gw: RunningGateway, key: string, model = 'mock-gpt', extra: Record<string, unknown> = {}): Promise<Reply> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
  });
  return { status: res.status, body: await res.json() };
}
