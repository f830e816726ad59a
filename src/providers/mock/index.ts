// The built-in `mock/<anything>` provider: an in-process transport that answers in OpenAI's wire format
// with configurable latency, length and streaming pace (LiteLLM's `mock_response`, made a provider).
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { MockSettings, ProviderSettings, SendOptions, Transport, UpstreamReply, UpstreamRequest, UpstreamTarget } from '../types.ts';
import { mapOpenAIError, openAITranslation, toOpenAIChatBody } from '../openai/index.ts';
import { chatCompletion, chunk, mockEmbedding, mockPieces, mockText, promptTokens, usage } from './reply.ts';

export function mockTarget(settings: ProviderSettings): UpstreamTarget {
  const headers = { 'content-type': 'application/json' };
  return {
    dialect: 'openai-chat',
    provider: 'mock',
    dropParams: settings.dropParams ?? false,
    ...openAITranslation({
      upstreamModel: settings.upstreamModel,
      maxTokensField: 'max_tokens',
      toRequest: (body) => ({ url: 'mock://chat', method: 'POST', headers, body: JSON.stringify(body) }),
    }),
    mapError: mapOpenAIError,
    base64Embeddings: true,
    buildChat(body, opts) {
      // Like every OpenAI-dialect upstream, asked for stream usage (cost and tpm need it).
      const out = toOpenAIChatBody(body, settings.upstreamModel, opts.stream, {});
      return { url: 'mock://chat', method: 'POST', headers, body: JSON.stringify({ ...out, stream: opts.stream }) };
    },
    buildEmbeddings(body) {
      return { url: 'mock://embeddings', method: 'POST', headers, body: JSON.stringify({ ...body, model: settings.upstreamModel }) };
    },
  };
}

export function mockTransport(settings: MockSettings): Transport {
  const transport: Transport = {
    async sendBuffered(req, opts) {
      const reply = await transport.send(req, opts);
      return { status: reply.status, headers: reply.headers, body: Buffer.concat((await reply.body.toArray()) as Buffer[]) };
    },
    async send(req: UpstreamRequest, opts: SendOptions): Promise<UpstreamReply> {
      const body = JSON.parse(req.body ?? '{}') as Record<string, unknown>;
      if (settings.latencyMs > 0) await sleep(settings.latencyMs, undefined, { signal: opts.signal });
      if (req.url === 'mock://embeddings') return json(embeddings(body));
      const text = mockText(settings);
      const id = `chatcmpl-mock-${randomUUID()}`;
      const model = String(body.model);
      const prompt = promptTokens(body);
      if (body.stream !== true) return json(chatCompletion(id, model, text, prompt, mockPieces(text).length));
      const frames = streamFrames(id, model, text, prompt, body);
      return {
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8' },
        body: Readable.from(paced(frames, settings.chunkDelayMs, opts.signal), { objectMode: false }),
      };
    },
  };
  return transport;
}

function json(value: unknown): UpstreamReply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Readable.from([Buffer.from(JSON.stringify(value))]) };
}

function streamFrames(id: string, model: string, text: string, prompt: number, body: Record<string, unknown>): string[] {
  const created = Math.floor(Date.now() / 1000);
  const pieces = mockPieces(text);
  const frames = [chunk(id, model, created, { role: 'assistant', content: '', refusal: null }, null)];
  for (const p of pieces) frames.push(chunk(id, model, created, { content: p }, null));
  frames.push(chunk(id, model, created, {}, 'stop'));
  const opts = body.stream_options as { include_usage?: boolean } | undefined;
  if (opts?.include_usage) frames.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usage(prompt, pieces.length) });
  return [...frames.map((f) => `data: ${JSON.stringify(f)}\n\n`), 'data: [DONE]\n\n'];
}

async function* paced(frames: string[], delayMs: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  for (let i = 0; i < frames.length; i++) {
    if (i > 0 && delayMs > 0) await sleep(delayMs, undefined, { signal });
    yield Buffer.from(frames[i]);
  }
}

function embeddings(body: Record<string, unknown>): object {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const dims = typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : 8;
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((input, index) => {
    const v = mockEmbedding(JSON.stringify(input), dims);
    return { object: 'embedding', index, embedding: base64 ? Buffer.from(v.buffer).toString('base64') : Array.from(v) };
  });
  const tokens = inputs.reduce<number>((n, i) => n + Math.ceil(JSON.stringify(i).length / 4), 0);
  return { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
