// OpenAI `/v1/embeddings` ⇄ Vertex AI text embeddings (`…/publishers/google/models/{model}:predict`):
// `{"instances":[{"content":…}],"parameters":{"outputDimensionality":N}}` →
// `{"predictions":[{"embeddings":{"values":[…],"statistics":{"token_count":N}}}]}`.
import { GatewayError } from '../../canonical/index.ts';
import { embeddingTexts } from '../gemini/index.ts';
import type { OpenAIEmbeddingList } from '../types.ts';

interface PredictResponse {
  predictions?: { embeddings?: { values?: number[]; statistics?: { token_count?: number } } }[];
}

export function toVertexEmbeddings(body: Record<string, unknown>): { texts: string[]; body: Record<string, unknown> } {
  const texts = embeddingTexts(body.input);
  const out: Record<string, unknown> = { instances: texts.map((content) => ({ content })) };
  if (typeof body.dimensions === 'number') out.parameters = { outputDimensionality: body.dimensions };
  return { texts, body: out };
}

export function fromVertexEmbeddings(raw: string, model: string, count: number): OpenAIEmbeddingList {
  let r: PredictResponse;
  try {
    r = JSON.parse(raw) as PredictResponse;
  } catch {
    throw new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_response', message: 'Vertex AI returned an embeddings body that is not JSON' });
  }
  const preds = r.predictions ?? [];
  if (preds.length !== count || preds.some((p) => !Array.isArray(p.embeddings?.values))) {
    throw new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_response', message: `Vertex AI returned ${preds.length} embeddings for ${count} inputs` });
  }
  const tokens = preds.reduce((n, p) => n + (p.embeddings?.statistics?.token_count ?? 0), 0);
  return {
    object: 'list',
    data: preds.map((p, index) => ({ object: 'embedding', index, embedding: p.embeddings!.values! })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
