// Deterministic OpenAI-shaped replies for the `mock/` provider: same input, same output, so the
// quickstart and the benchmark run with no provider account.
import type { MockSettings } from '../types.ts';

const FILLER = 'This is a mock response from igw .'.split(' ');

export function mockText(settings: MockSettings): string {
  if (settings.response !== undefined) return settings.response;
  const words: string[] = [];
  for (let i = 0; i < settings.tokens; i++) words.push(FILLER[i % FILLER.length]);
  return words.join(' ');
}

/** Splits the reply into stream pieces of about one token (a word and its leading space). */
export function mockPieces(text: string): string[] {
  const parts = text.match(/\s*\S+/g);
  return parts ?? [text];
}

export function promptTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let chars = 0;
  for (const m of messages) chars += JSON.stringify((m as { content?: unknown }).content ?? '').length;
  return Math.max(1, Math.ceil(chars / 4));
}

export function chatCompletion(id: string, model: string, text: string, prompt: number, completion: number): object {
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' },
    ],
    usage: usage(prompt, completion),
    system_fingerprint: 'fp_igw_mock',
  };
}

export function usage(prompt: number, completion: number): object {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function chunk(id: string, model: string, created: number, delta: object, finish: string | null): object {
  return { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null };
}

/** A deterministic unit vector per input string (8 dimensions unless asked). */
export function mockEmbedding(input: string, dimensions: number): Float32Array {
  const v = new Float32Array(dimensions);
  let h = 2166136261;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 16777619);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822519);
    v[i] = ((h >>> 0) / 4294967295) * 2 - 1;
    norm += v[i] * v[i];
  }
  const s = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dimensions; i++) v[i] *= s;
  return v;
}
