// The bare pass-through proxy: node:http in, one undici Pool (keep-alive) out, no features at all. It is the
// practical ceiling for a Node.js gateway on the same machine; `bench/run.ts` compares igw against it.
// It forwards method, path, headers and body, and relays the status, headers and body back: an event stream
// chunk by chunk as it arrives, any other (small JSON) body in one write once complete. Collecting the
// small bodies is what a fast gateway does too: streaming them through node:stream pipelines costs more
// CPU per request (on the benchmark machine, piping them gave about half the req/s at concurrency 64).
//
//   node bench/bare-proxy.ts --upstream http://127.0.0.1:9100 [--port 0] [--host 127.0.0.1]
//
// Prints `bare proxy listening on <url>` once it accepts connections.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!values.upstream) throw new Error('--upstream URL is required');

// Same pool settings as igw's upstream Agent: unlimited keep-alive connections, no pipelining.
const pool = new Pool(values.upstream, { connections: null, pipelining: 1, keepAliveTimeout: 30_000 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  }
  return out;
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

async function proxy(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const up = await pool.request({
    path: req.url ?? '/',
    method: (req.method ?? 'GET') as 'GET',
    headers: forwardable(req.headers),
    body: hasBody ? await collect(req) : null,
  });
  const headers = forwardable(up.headers as IncomingHttpHeaders);
  if (!String(up.headers['content-type']).startsWith('text/event-stream')) {
    const body = await collect(up.body);
    res.writeHead(up.statusCode, headers);
    res.end(body);
    return;
  }
  res.writeHead(up.statusCode, headers);
  for await (const chunk of up.body as AsyncIterable<Buffer>) {
    if (!res.write(chunk)) await drained(res);
  }
  res.end();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  proxy(req, res).catch((err: Error) => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `bare proxy: ${err.message}` } }));
    } else res.destroy();
  });
});

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address() as AddressInfo;
  console.log(`bare proxy listening on http://${values.host}:${port}`);
});

const stop = (): void => {
  server.close();
  server.closeAllConnections();
  void pool.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
