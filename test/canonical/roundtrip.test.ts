// Round-trip property: an OpenAI request → canonical → Anthropic body → canonical → OpenAI request keeps
// everything both formats can express. Requests are generated deterministically (seeded PRNG) across the
// common subset: system prompts, multi-turn text, images (data URL and URL), PDFs, parallel tool calls and
// their results, tools (strict, descriptions), tool_choice, parallel_tool_calls:false, stop, temperature,
// top_p, max tokens, user, reasoning effort, streaming. What Anthropic cannot carry (message names, image
// detail, n, logprobs…) is not generated; the few lossless re-spellings are normalised (see normalize()).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toAnthropicRequest, toOpenAIChatRequest } from '../../src/providers/index.ts';
import { parseAnthropicRequest } from '../../src/server/anthropic/parse-anthropic-request.ts';
import { parseOpenAIRequest } from '../../src/server/openai/parse-openai-request.ts';

type Json = Record<string, any>;

/** mulberry32: small, seedable, good enough to vary test cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  private readonly r: () => number;
  private ids = 0;
  constructor(seed: number) {
    this.r = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  word(): string {
    return this.pick(['alpha', 'beta', 'gamma', 'Paris', 'naïve', '雪', 'emoji 🎉', 'quote "q"', 'new\nline', '{json}']);
  }
  text(): string {
    return Array.from({ length: 1 + this.int(5) }, () => this.word()).join(' ');
  }
  id(): string {
    return `${this.pick(['call_', 'toolu_'])}${++this.ids}x${this.int(1e6)}`;
  }
  args(): string {
    const o: Json = {};
    for (let i = this.int(4); i > 0; i--) o[this.pick(['city', 'n', 'flag', 'tags', 'nested'])] = this.pick([this.word(), this.int(100), this.chance(0.5), [this.word()], { k: this.word() }]);
    return JSON.stringify(o);
  }
}

const TOOLS = ['get_weather', 'search', 'lookup_user'];

function userContent(g: Gen): unknown {
  if (g.chance(0.5)) return g.text();
  const parts: Json[] = [{ type: 'text', text: g.text() }];
  if (g.chance(0.5)) parts.push({ type: 'image_url', image_url: { url: g.pick(['data:image/png;base64,iVBORw0KGgo=', 'data:image/jpeg;base64,/9j/4AAQ', 'https://example.com/a.webp']) } });
  if (g.chance(0.2)) parts.push({ type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' } });
  if (g.chance(0.3)) parts.push({ type: 'text', text: g.text() });
  return parts;
}

function generate(seed: number): Json {
  const g = new Gen(seed);
  const messages: Json[] = [];
  for (let i = g.int(3); i > 0; i--) messages.push({ role: 'system', content: g.chance(0.5) ? g.text() : [{ type: 'text', text: g.text() }] });
  const useTools = g.chance(0.6);
  for (let turns = 1 + g.int(4); turns > 0; turns--) {
    messages.push({ role: 'user', content: userContent(g) });
    if (turns === 1 && g.chance(0.5)) break;
    const calls = useTools && g.chance(0.6) ? Array.from({ length: 1 + g.int(3) }, () => ({ id: g.id(), type: 'function', function: { name: g.pick(TOOLS), arguments: g.args() } })) : [];
    const assistant: Json = { role: 'assistant', content: calls.length && g.chance(0.5) ? null : g.text() };
    if (calls.length) assistant.tool_calls = calls;
    messages.push(assistant);
    for (const c of calls) messages.push({ role: 'tool', tool_call_id: c.id, content: g.chance(0.7) ? g.text() : [{ type: 'text', text: g.text() }] });
  }
  if (messages[messages.length - 1].role !== 'user' && messages[messages.length - 1].role !== 'tool') messages.push({ role: 'user', content: g.text() });
  const body: Json = { model: 'claude-x', messages, max_completion_tokens: 1 + g.int(30000) };
  if (useTools) {
    body.tools = TOOLS.map((name) => {
      const fn: Json = { name };
      if (g.chance(0.7)) fn.description = g.text();
      fn.parameters = { type: 'object', properties: { city: { type: 'string' } }, ...(g.chance(0.5) ? { required: ['city'] } : {}) };
      if (g.chance(0.3)) fn.strict = g.chance(0.5);
      return { type: 'function', function: fn };
    });
    if (g.chance(0.6)) body.tool_choice = g.pick(['auto', 'none', 'required', { type: 'function', function: { name: g.pick(TOOLS) } }]);
    if (g.chance(0.3) && body.tool_choice !== 'none') body.parallel_tool_calls = false;
  }
  const reasoning = g.chance(0.3);
  if (reasoning) {
    body.reasoning_effort = g.pick(['low', 'medium', 'high']);
    body.max_completion_tokens = 20000 + g.int(10000);
  } else {
    if (g.chance(0.5)) body.temperature = Math.round(g.int(100)) / 100;
    if (g.chance(0.3)) body.top_p = Math.round(g.int(100)) / 100;
  }
  if (g.chance(0.4)) body.stop = g.chance(0.5) ? g.word() : [g.word(), g.word()];
  if (g.chance(0.3)) body.user = `user-${g.int(1000)}`;
  if (g.chance(0.4)) {
    body.stream = true;
    if (g.chance(0.5)) body.stream_options = { include_usage: true };
  }
  return body;
}

/**
 * The lossless re-spellings: system/developer messages become one leading system message (Anthropic has one
 * system field); a single text part is a string; tool results in parts are joined text; `stop` is an array;
 * streams always ask for usage; `parallel_tool_calls: false` alone comes back with the default tool_choice `auto`.
 */
function normalize(body: Json): Json {
  const out: Json = { ...body };
  const systems = body.messages.filter((m: Json) => m.role === 'system').map((m: Json) => textOf(m.content));
  const rest = body.messages.filter((m: Json) => m.role !== 'system').map((m: Json) => {
    if (m.role === 'user') return { role: 'user', content: Array.isArray(m.content) && m.content.length === 1 && m.content[0].type === 'text' ? m.content[0].text : m.content };
    if (m.role === 'tool') return { ...m, content: textOf(m.content) };
    return m;
  });
  out.messages = systems.length ? [{ role: 'system', content: systems.join('\n') }, ...rest] : rest;
  if (typeof body.stop === 'string') out.stop = [body.stop];
  if (body.stream) out.stream_options = { include_usage: true };
  // Anthropic carries "no parallel calls" on tool_choice, so it spells out the default `auto`.
  if (body.parallel_tool_calls === false && body.tool_choice === undefined) out.tool_choice = 'auto';
  return out;
}

function textOf(content: unknown): string {
  return typeof content === 'string' ? content : (content as Json[]).map((p) => p.text).join('\n');
}

function roundTrip(body: Json): Json {
  const stream = body.stream === true;
  const anthropic = toAnthropicRequest(parseOpenAIRequest(body), { upstreamModel: body.model, stream });
  const back = parseAnthropicRequest(JSON.parse(JSON.stringify(anthropic.body)));
  return toOpenAIChatRequest(back, { upstreamModel: body.model, stream, maxTokensField: 'max_completion_tokens' });
}

test('OpenAI → canonical → Anthropic → canonical → OpenAI keeps every shared field (500 generated requests)', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const body = generate(seed);
    assert.deepEqual(roundTrip(body), normalize(body), `seed ${seed}: ${JSON.stringify(body)}`);
  }
});

test('the generator covers what it claims (so the property is not vacuous)', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 500; seed++) {
    const b = generate(seed);
    const json = JSON.stringify(b);
    for (const [label, needle] of [
      ['image data URL', 'data:image/'], ['image URL', 'https://example.com'], ['pdf', 'application/pdf'], ['tool calls', '"tool_calls"'],
      ['tool results', '"role":"tool"'], ['reasoning', 'reasoning_effort'], ['stop', '"stop"'], ['stream', '"stream":true'],
      ['parallel off', 'parallel_tool_calls'], ['forced tool', '"type":"function","function":{"name"'], ['strict', '"strict"'], ['unicode', '雪'],
    ] as const) if (json.includes(needle)) seen.add(label);
    if (b.tools && b.messages.some((m: Json) => m.tool_calls?.length > 1)) seen.add('parallel calls');
  }
  assert.equal(seen.size, 13, [...seen].join(', '));
});
