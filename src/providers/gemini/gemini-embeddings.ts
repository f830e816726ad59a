// OpenAI `/v1/embeddings` body ⇄ Gemini `embedContent` / `batchEmbedContents` (one string → embedContent,
// an array → one batch call). Gemini takes text only, so token-id inputs are refused. `dimensions` becomes
// `outputDimensionality`. The result is OpenAI's list of float vectors; base64 is the server's job.
import { badRequest, GatewayError } from '../../canonical/index.ts';
import type { OpenAIEmbeddingList } from '../types.ts';
import type { GeminiEmbedContentRequest, GeminiEmbeddingsResponse } from './wire.ts';

export interface GeminiEmbeddingsCall {
  method: 'embedContent' | 'batchEmbedContents';
  body: GeminiEmbedContentRequest | { requests: GeminiEmbedContentRequest[] };
}

export function toGeminiEmbeddings(body: Record<string, unknown>, upstreamModel: string): GeminiEmbeddingsCall {
  const texts = embeddingTexts(body.input);
  const dims = body.dimensions;
  const one = (text: string, model?: string): GeminiEmbedContentRequest => {
    const r: GeminiEmbedContentRequest = model ? { model, content: { parts: [{ text }] } } : { content: { parts: [{ text }] } };
    if (typeof dims === 'number') r.outputDimensionality = dims;
    return r;
  };
  if (typeof body.input === 'string') return { method: 'embedContent', body: one(texts[0]) };
  return { method: 'batchEmbedContents', body: { requests: texts.map((t) => one(t, `models/${upstreamModel}`)) } };
}

/** Strings only: Gemini has no token-id input. */
export function embeddingTexts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'string')) return input as string[];
  throw badRequest("This provider embeds text only: 'input' must be a string or an array of strings.", 'input', 'unsupported_value');
}

export function fromGeminiEmbeddings(raw: string, model: string, inputs: string[]): OpenAIEmbeddingList {
  let r: GeminiEmbeddingsResponse;
  try {
    r = JSON.parse(raw) as GeminiEmbeddingsResponse;
  } catch {
    throw new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_response', message: 'Gemini returned an embeddings body that is not JSON' });
  }
  const vectors = r.embeddings ?? (r.embedding ? [r.embedding] : []);
  if (vectors.length !== inputs.length || vectors.some((v) => !Array.isArray(v.values))) {
    throw new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_response', message: `Gemini returned ${vectors.length} embeddings for ${inputs.length} inputs` });
  }
  // Gemini reports no token count for embeddings on every model; estimate ~4 characters per token then.
  const tokens = r.usageMetadata?.promptTokenCount ?? inputs.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
  return {
    object: 'list',
    data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: v.values! })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
