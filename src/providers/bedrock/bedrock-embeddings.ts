// OpenAI `/v1/embeddings` → Bedrock InvokeModel for the embedding models igw knows: Amazon Titan Text
// (`amazon.titan-embed-text-*`: one text per call, so one call per input) and Cohere Embed
// (`cohere.embed-*`: up to 96 texts per call). Bodies per the Bedrock model-parameter docs.
import { badRequest, GatewayError } from '../../canonical/index.ts';
import type { OpenAIEmbeddingList } from '../types.ts';
import type { CohereEmbedResponse, TitanEmbedResponse } from './wire.ts';

export type EmbedFamily = 'titan' | 'cohere';

const COHERE_BATCH = 96;

export function embedFamily(modelId: string): EmbedFamily | undefined {
  if (/amazon\.titan-embed-(text|g1-text)/.test(modelId)) return 'titan';
  if (/cohere\.embed-/.test(modelId)) return 'cohere';
  return undefined;
}

/** The InvokeModel bodies, in input order. */
export function toBedrockEmbeddings(body: Record<string, unknown>, modelId: string): { family: EmbedFamily; texts: string[]; bodies: unknown[] } {
  const family = embedFamily(modelId);
  if (!family) {
    throw badRequest(`Bedrock model '${modelId}' is not an embedding model igw supports (amazon.titan-embed-text-*, cohere.embed-*).`, 'model', 'unsupported_value');
  }
  const texts = texts_(body.input);
  const dims = typeof body.dimensions === 'number' ? body.dimensions : undefined;
  if (family === 'titan') {
    return { family, texts, bodies: texts.map((inputText) => (dims === undefined ? { inputText } : { inputText, dimensions: dims, normalize: true })) };
  }
  const bodies: unknown[] = [];
  for (let i = 0; i < texts.length; i += COHERE_BATCH) {
    const b: Record<string, unknown> = { texts: texts.slice(i, i + COHERE_BATCH), input_type: 'search_document', embedding_types: ['float'] };
    if (dims !== undefined) b.output_dimension = dims;
    bodies.push(b);
  }
  return { family, texts, bodies };
}

function texts_(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'string')) return input as string[];
  throw badRequest("Bedrock embeds text only: 'input' must be a string or an array of strings.", 'input', 'unsupported_value');
}

export function fromBedrockEmbeddings(family: EmbedFamily, raws: string[], modelId: string, texts: string[]): OpenAIEmbeddingList {
  const vectors: number[][] = [];
  let tokens = 0;
  for (const raw of raws) {
    const r = parse(raw);
    if (family === 'titan') {
      const t = r as TitanEmbedResponse;
      if (!Array.isArray(t.embedding)) throw bad('Titan response has no embedding');
      vectors.push(t.embedding);
      tokens += t.inputTextTokenCount ?? 0;
    } else {
      const c = r as CohereEmbedResponse;
      const list = Array.isArray(c.embeddings) ? c.embeddings : c.embeddings?.float;
      if (!Array.isArray(list)) throw bad('Cohere response has no float embeddings');
      vectors.push(...list);
    }
  }
  if (vectors.length !== texts.length) throw bad(`${vectors.length} embeddings for ${texts.length} inputs`);
  // Cohere on Bedrock reports no token count in the body; estimate ~4 characters per token.
  if (family === 'cohere') tokens = texts.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model: modelId,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw bad('body is not JSON');
  }
}

function bad(detail: string): GatewayError {
  return new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_response', message: `Bedrock embeddings: ${detail}` });
}
