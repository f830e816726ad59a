// The shared upstream transport: both ways of sending, against a small local server.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { GatewayError } from '../../src/canonical/index.ts';
import { httpTransport } from '../../src/providers/http-client.ts';
import type { UpstreamRequest } from '../../src/providers/index.ts';

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': req.headers['x-echo'] ?? '' });
      // Two writes: the answer arrives in more than one chunk.
      res.write('{"echo":');
      res.end(`${body}}`);
    });
  },
  '/huge-error': (_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(`{"error":{"message":"${'x'.repeat(200_000)}"}}`);
  },
  '/cut': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"partial":');
    setTimeout(() => res.socket?.destroy(), 20);
  },
  '/slow-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
  },
  '/never': () => {},
};

const server = createServer((req, res) => routes[req.url ?? '']?.(req, res));
let base = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const request = (path: string, body = '{"a":1}'): UpstreamRequest => ({ url: `${base}${path}`, method: 'POST', headers: { 'content-type': 'application/json', 'x-echo': 'yes' }, body });
const opts = { headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000 };

test('sendBuffered: status, headers and the whole body in one Buffer', async () => {
  const reply = await httpTransport.sendBuffered(request('/ok'), opts);
  assert.equal(reply.status, 200);
  assert.equal(reply.headers['x-echo'], 'yes');
  assert.deepEqual(JSON.parse(reply.body.toString('utf8')), { echo: { a: 1 } });
});

test('send: the same answer as a stream', async () => {
  const reply = await httpTransport.send(request('/ok'), opts);
  assert.equal(reply.status, 200);
  assert.deepEqual(JSON.parse(Buffer.concat((await reply.body.toArray()) as Buffer[]).toString('utf8')), { echo: { a: 1 } });
});

test('sendBuffered: an error body is kept only up to 64 KiB, and the connection still serves', async () => {
  const reply = await httpTransport.sendBuffered(request('/huge-error'), opts);
  assert.equal(reply.status, 500);
  assert.ok(reply.body.length >= 64 * 1024 && reply.body.length < 200_000, `kept ${reply.body.length} bytes`);
  assert.ok(reply.body.toString('utf8').startsWith('{"error":{"message":"xxx'));
  assert.equal((await httpTransport.sendBuffered(request('/ok'), opts)).status, 200);
});

test('sendBuffered: a body cut after the headers rejects with the transport error, not a GatewayError', async () => {
  await assert.rejects(httpTransport.sendBuffered(request('/cut'), opts), (err: Error) => {
    assert.ok(!(err instanceof GatewayError), 'the caller maps a broken body');
    return true;
  });
});

test('sendBuffered: an unreachable upstream is a 502 GatewayError naming the origin', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await assert.rejects(httpTransport.sendBuffered({ ...request('/ok'), url: `http://127.0.0.1:${port}/ok` }, opts), (err: GatewayError) => {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.status, 502);
    assert.equal(err.code, 'upstream_unreachable');
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    return true;
  });
});

test('sendBuffered: the header and body timeouts apply', async () => {
  await assert.rejects(httpTransport.sendBuffered(request('/never'), { headersTimeoutMs: 100, bodyTimeoutMs: 5_000 }), { status: 504, code: 'upstream_timeout' });
  await assert.rejects(httpTransport.sendBuffered(request('/slow-body'), { headersTimeoutMs: 5_000, bodyTimeoutMs: 100 }), { code: 'UND_ERR_BODY_TIMEOUT' });
});

test('sendBuffered: aborting the signal ends the call, before it is sent and while it waits', async () => {
  const already = new AbortController();
  already.abort(new GatewayError({ status: 499, kind: 'connection', code: 'client_closed', message: 'gone' }));
  await assert.rejects(httpTransport.sendBuffered(request('/never'), { ...opts, signal: already.signal }), { code: 'client_closed' });

  const later = new AbortController();
  const pending = httpTransport.sendBuffered(request('/slow-body'), { ...opts, signal: later.signal });
  setTimeout(() => later.abort(new Error('stop')), 50);
  const started = Date.now();
  await assert.rejects(pending, { message: 'stop' });
  assert.ok(Date.now() - started < 2_000);
});
