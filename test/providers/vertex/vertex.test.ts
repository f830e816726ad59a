// Vertex AI: project/location URLs, credentials from a file, inline JSON or the environment, and bearer
// tokens minted by google-auth-library against a fake token endpoint (the key file's token_uri).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ChatRequest } from '../../../src/canonical/index.ts';
import { createVertexUpstream } from '../../../src/providers/vertex/index.ts';
import type { ProviderSettings } from '../../../src/providers/index.ts';
import { tokenIssuer, type TokenIssuer } from '../../simulator/google-token.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let server: Server;
let url = '';
let issuer: TokenIssuer;
let seenAuth: (string | undefined)[] = [];
let refuse = false;

before(async () => {
  issuer = tokenIssuer(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/token') {
        const r = refuse ? { status: 400, body: '{"error":"invalid_grant","error_description":"Invalid JWT Signature."}' } : issuer.exchange(body);
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
        return;
      }
      seenAuth.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function serviceAccount(tokenUri = `${url}/token`) {
  return { type: 'service_account', project_id: 'from-key', private_key_id: 'k1', private_key: pem, client_email: 'igw@from-key.iam.gserviceaccount.com', token_uri: tokenUri };
}

const settings = (params: Record<string, unknown>, more: Partial<ProviderSettings> = {}): ProviderSettings =>
  ({ prefix: 'vertex_ai', upstreamModel: 'gemini-2.5-pro', params, env: {}, ...more });
const req: ChatRequest = { model: 'v', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

test('URLs: regional and global hosts, api_base override, project from the key file', () => {
  const creds = JSON.stringify(serviceAccount());
  const regional = createVertexUpstream(settings({ vertex_project: 'p1', vertex_location: 'europe-west4', vertex_credentials: creds }));
  assert.equal(regional.target.buildFromCanonical(req, { stream: false }).request.url,
    'https://europe-west4-aiplatform.googleapis.com/v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent');
  const global = createVertexUpstream(settings({ vertex_location: 'global', vertex_credentials: creds }));
  assert.equal(global.target.buildFromCanonical(req, { stream: true }).request.url,
    'https://aiplatform.googleapis.com/v1/projects/from-key/locations/global/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
  const local = createVertexUpstream(settings({ vertex_project: 'p', vertex_credentials: creds }, { apiBase: `${url}/v1/` }));
  assert.equal(local.target.buildFromCanonical(req, { stream: false }).request.url,
    `${url}/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent`);
  assert.equal(local.target.dialect, 'gemini');
  assert.equal(local.target.buildFromCanonical(req, { stream: false }).request.headers.authorization, undefined, 'the target stays key-free');
});

test('token: minted once from a key file (token_uri honoured), sent as Bearer, cached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igw-vertex-'));
  const file = join(dir, 'sa.json');
  writeFileSync(file, JSON.stringify(serviceAccount()));
  seenAuth = [];
  const before = issuer.issued;
  const up = createVertexUpstream(settings({ vertex_project: 'p' }, { apiBase: `${url}/v1`, env: { GOOGLE_APPLICATION_CREDENTIALS: file } }));
  const request = up.target.buildFromCanonical(req, { stream: false }).request;
  const opts = { headersTimeoutMs: 5000, bodyTimeoutMs: 5000 };
  // Both ways of sending carry the token: as a stream, then read whole.
  const streamed = await up.transport.send(request, opts);
  assert.equal(streamed.status, 200);
  await streamed.body.toArray();
  const buffered = await up.transport.sendBuffered(request, opts);
  assert.equal(buffered.status, 200);
  assert.ok(buffered.body.length > 0);
  assert.equal(issuer.issued - before, 1, 'one grant for two calls');
  assert.equal(seenAuth.length, 2);
  assert.ok(seenAuth.every((a) => a !== undefined && /^Bearer ya29\.sim-\d+$/.test(a) && issuer.valid(a.slice(7))));
});

test('token: a refused grant is an auth error; an unreachable token endpoint a connection error', async () => {
  const send = async (sa: object) => {
    const up = createVertexUpstream(settings({ vertex_project: 'p', vertex_credentials: sa }, { apiBase: `${url}/v1` }));
    return up.transport.send(up.target.buildFromCanonical(req, { stream: false }).request, { headersTimeoutMs: 5000, bodyTimeoutMs: 5000 });
  };
  refuse = true;
  try {
    await assert.rejects(send(serviceAccount()), { status: 401, kind: 'auth', code: 'vertex_token_failed' });
  } finally {
    refuse = false;
  }
  await assert.rejects(send(serviceAccount('http://127.0.0.1:9/token')), (err: any) => {
    assert.equal(err.kind, 'connection');
    assert.doesNotMatch(err.message, /PRIVATE KEY/);
    return true;
  });
});

test('config errors: no project anywhere, unreadable or malformed credentials', () => {
  const noProject = { ...serviceAccount(), project_id: undefined };
  assert.throws(() => createVertexUpstream(settings({ vertex_credentials: noProject })), { code: 'missing_vertex_project' });
  assert.throws(() => createVertexUpstream(settings({ vertex_project: 'p', vertex_credentials: '/nonexistent/sa.json' })), { code: 'vertex_credentials_invalid' });
  assert.throws(() => createVertexUpstream(settings({ vertex_project: 'p', vertex_credentials: '{"client_email":"x"}' })), (err: any) => {
    assert.equal(err.code, 'vertex_credentials_invalid');
    return true;
  });
});

test('express mode: api_key only → publisher URL with x-goog-api-key, no token', () => {
  const up = createVertexUpstream(settings({}, { apiKey: 'AQ.key' }));
  const { request } = up.target.buildFromCanonical(req, { stream: false });
  assert.equal(request.url, 'https://us-central1-aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-pro:generateContent');
  assert.equal(request.headers['x-goog-api-key'], 'AQ.key');
});

test('embeddings: :predict with instances, statistics.token_count → usage', () => {
  const up = createVertexUpstream(settings({ vertex_project: 'p', vertex_credentials: serviceAccount() }, { upstreamModel: 'text-embedding-005' }));
  const plan = up.target.translateEmbeddings!({ model: 'e', input: ['a', 'b'], dimensions: 2 });
  assert.match(plan.requests[0].url, /\/models\/text-embedding-005:predict$/);
  assert.deepEqual(JSON.parse(plan.requests[0].body!), { instances: [{ content: 'a' }, { content: 'b' }], parameters: { outputDimensionality: 2 } });
  const raw = JSON.stringify({ predictions: [
    { embeddings: { values: [1, 0], statistics: { token_count: 1, truncated: false } } },
    { embeddings: { values: [0, 1], statistics: { token_count: 2, truncated: false } } },
  ] });
  assert.deepEqual(plan.toOpenAI([raw]), {
    object: 'list', model: 'text-embedding-005', usage: { prompt_tokens: 3, total_tokens: 3 },
    data: [{ object: 'embedding', index: 0, embedding: [1, 0] }, { object: 'embedding', index: 1, embedding: [0, 1] }],
  });
});
