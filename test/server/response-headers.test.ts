// Headers gathered during a request reach the client with the status, in one writeHead.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { responseHeader, setResponseHeader, writeHeadWith } from '../../src/server/response-headers.ts';

async function answer(handler: (res: ServerResponse) => void): Promise<Response> {
  const server = createServer((_req, res) => handler(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test('gathered headers are written with the status; a later value replaces an earlier one; the final ones win', async () => {
  let seen: unknown;
  const res = await answer((r) => {
    setResponseHeader(r, 'x-a', '1');
    setResponseHeader(r, 'x-a', '2');
    setResponseHeader(r, 'x-list', ['p', 'q']);
    setResponseHeader(r, 'content-type', 'text/plain');
    seen = responseHeader(r, 'x-a');
    writeHeadWith(r, 201, { 'content-type': 'application/json' });
    r.end('{}');
  });
  assert.equal(seen, '2');
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-a'), '2');
  assert.equal(res.headers.get('x-list'), 'p, q');
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(await res.text(), '{}');
});

test('a header set on the response itself is kept and readable beside the gathered ones', async () => {
  let seen: unknown;
  const res = await answer((r) => {
    r.setHeader('x-direct', 'd');
    setResponseHeader(r, 'x-gathered', 'g');
    seen = responseHeader(r, 'x-direct');
    writeHeadWith(r, 200, {});
    r.end();
  });
  assert.equal(seen, 'd');
  assert.equal(res.headers.get('x-direct'), 'd');
  assert.equal(res.headers.get('x-gathered'), 'g');
});

test('without gathered headers the given ones are written as they are', async () => {
  const res = await answer((r) => {
    writeHeadWith(r, 204, { 'x-only': 'yes' });
    r.end();
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('x-only'), 'yes');
});
