// Streaming behaviour that needs a hand-driven upstream: no buffering, client disconnect aborts the
// upstream request, idle timeout between chunks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MASTER_KEY, startTestGateway } from '../helpers/gateway.ts';
import type { RunningGateway } from '../../src/start.ts';

const chunk = (text: string): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }] })}\n\n`;

let upstream: Server;
/** Bytes the flood upstream managed to hand to its socket: bounded only if igw applies backpressure. */
let flooded = 0;
let floodDone = false;

/** Writes up to 64 MB of stream chunks as fast as the connection takes them. */
function flood(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.on('close', () => markClosed());
  const piece = chunk('x'.repeat(16 * 1024));
  const pump = (): void => {
    while (flooded < 64 * 1024 * 1024 && !res.destroyed) {
      flooded += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    floodDone = true;
    res.end('data: [DONE]\n\n');
  };
  pump();
}
let gw: RunningGateway;
let upstreamClosed: Promise<void>;
let markClosed: () => void;

/** Sends one chunk, then one more every `gapMs` until the client goes away. */
function drip(res: ServerResponse, gapMs: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(chunk('first'));
  const timer = setInterval(() => res.write(chunk('more')), gapMs);
  res.on('close', () => {
    clearInterval(timer);
    markClosed();
  });
}

before(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    if (req.url?.includes('flood')) return flood(res);
    drip(res, req.url?.includes('idle') ? 5_000 : 4000);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gw = await startTestGateway(`
model_list:
  - model_name: drip
    litellm_params: { model: openai/drip, api_base: "${base}/v1" }
  - model_name: flood
    litellm_params: { model: openai/flood, api_base: "${base}/flood" }
  - model_name: idle
    litellm_params: { model: openai/idle, api_base: "${base}/idle", timeout: 0.3 }
general_settings: { master_key: ${MASTER_KEY} }
`);
});

after(async () => {
  await gw.close();
  upstream.closeAllConnections();
  upstream.close();
});

function startStream(model: string, signal?: AbortSignal): Promise<Response> {
  upstreamClosed = new Promise((r) => (markClosed = r));
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    signal,
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'x' }] }),
  });
}

test('the first chunk reaches the client before the upstream sends the second (no buffering)', async () => {
  const controller = new AbortController();
  const started = performance.now();
  const res = await startStream('drip', controller.signal);
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  const elapsed = performance.now() - started;
  assert.match(new TextDecoder().decode(value), /"first"/);
  assert.ok(elapsed < 3000, `first chunk after ${elapsed.toFixed(0)} ms; the upstream's second comes at 4000 ms`);
  controller.abort();
  await upstreamClosed;
});

test('a client that disconnects aborts the upstream request', async () => {
  const controller = new AbortController();
  const res = await startStream('drip', controller.signal);
  await res.body!.getReader().read();
  const t0 = performance.now();
  controller.abort();
  await upstreamClosed;
  assert.ok(performance.now() - t0 < 3000, 'upstream connection closed promptly');
});

test('an upstream idle past the timeout between chunks ends the stream with an error event and [DONE]', async () => {
  const res = await startStream('idle');
  const text = await res.text();
  assert.match(text, /"first"/);
  assert.match(text, /"code":"upstream_timeout"/);
  assert.ok(text.endsWith('data: [DONE]\n\n'));
});

test('backpressure: a client that stops reading stops the upstream too (no buffering of the whole stream)', async () => {
  const controller = new AbortController();
  const res = await startStream('flood', controller.signal);
  const reader = res.body!.getReader();
  await reader.read();
  await new Promise((r) => setTimeout(r, 1500)); // the client reads nothing for 1.5 s
  const stalledAt = flooded;
  assert.ok(!floodDone, 'the upstream could not finish while the client was not reading');
  console.log(`backpressure: upstream stalled after ${(stalledAt / 1048576).toFixed(1)} MB`);
  assert.ok(stalledAt < 16 * 1024 * 1024, `upstream wrote ${(stalledAt / 1048576).toFixed(1)} MB of 64 MB`);
  controller.abort();
  await upstreamClosed;
});
