// Golden wire fixtures: the simulator must replay the reference shapes (§1.3, §1.4, §7) byte for byte once
// the volatile values (ids, timestamps, token counts, fingerprints) are normalised.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startSimulator, type Simulator } from './index.ts';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
let sim: Simulator;
before(async () => { sim = await startSimulator(); });
after(() => sim.close());

const post = async (path: string, body: unknown) =>
  (await fetch(sim.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).text();

const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const toolRequest = { model: 'm', tools: [weather], messages: [{ role: 'user', content: 'weather in Paris? [[args:{"city":"Paris"}]]' }] };

function normalize(value: any, keepUsageDetails: boolean): any {
  if (Array.isArray(value)) return value.map((v) => normalize(v, keepUsageDetails));
  if (!value || typeof value !== 'object') return value;
  const out: any = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'service_tier' || k === 'system_fingerprint') continue;
    if (k === 'usage' && v) {
      const u = v as any;
      out.usage = keepUsageDetails ? normalize(u, true) : { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
      continue;
    }
    if (typeof v === 'number' && (k.endsWith('_tokens') || k === 'created')) out[k] = v === 0 ? 0 : 1;
    else if (k === 'id' && typeof v === 'string' && v) out[k] = v.startsWith('call_') ? 'call_X' : 'chatcmpl-X';
    else if (k === 'model' && v) out[k] = 'M';
    else out[k] = normalize(v, keepUsageDetails);
  }
  return out;
}

const events = (sse: string) => {
  assert.ok(sse.endsWith('\n\n'));
  return sse.slice(0, -2).split('\n\n').map((e) => {
    assert.ok(e.startsWith('data: '));
    return e === 'data: [DONE]' ? e : JSON.stringify(normalize(JSON.parse(e.slice(6)), false));
  });
};

test('openai/chat-stream-tools.sse (§1.4) matches the simulator tool-call stream', async () => {
  const live = await post('/v1/chat/completions', { ...toolRequest, stream: true, stream_options: { include_usage: true } });
  assert.deepEqual(events(live), events(fixture('openai/chat-stream-tools.sse')));
});

test('openai/chat-tools.json (§1.3) matches the simulator tool-call response', async () => {
  const live = JSON.parse(await post('/v1/chat/completions', toolRequest));
  assert.equal(JSON.stringify(normalize(live, true)), JSON.stringify(normalize(JSON.parse(fixture('openai/chat-tools.json')), true)));
});

test('azure/chat-stream.sse is what the simulator streams for an Azure deployment', async () => {
  const live = await post('/openai/deployments/dep1/chat/completions?api-version=2024-10-21', {
    stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: '[[reply:Hello there!]]' }],
  });
  const norm = (s: string) => s.replace(/"created":[1-9]\d*/g, '"created":1').replace(/chatcmpl-\d+/g, 'chatcmpl-X');
  assert.equal(norm(live), norm(fixture('azure/chat-stream.sse')));
});
