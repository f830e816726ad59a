// Embeddings (reference §1.7) and models (§1.8), deterministic.

import { oaiErrorReply, type ErrorReply } from './faults.ts';

const DEFAULT_DIMENSIONS = 8;

/** Returns the serialized body, or an error reply for a bad request. */
export function embeddingsBody(body: any, model: string): string | ErrorReply {
  const input = body?.input;
  let items: (string | number[])[];
  if (typeof input === 'string') items = [input];
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'number')) items = [input as number[]];
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'string' || isTokens(x))) items = input;
  else return oaiErrorReply(400, "'input' must be a string, an array of strings, or an array of token arrays.", 'invalid_request_error', 'input');
  const dims = body.dimensions === undefined ? DEFAULT_DIMENSIONS : body.dimensions;
  if (!Number.isInteger(dims) || dims < 1 || dims > 4096) {
    return oaiErrorReply(400, `Invalid value for 'dimensions': ${dims}.`, 'invalid_request_error', 'dimensions', 'invalid_value');
  }
  const base64 = body.encoding_format === 'base64';
  let tokens = 0;
  const data = items.map((item, index) => {
    tokens += typeof item === 'string' ? Math.max(1, Math.ceil(item.length / 4)) : item.length;
    const vector = embed(typeof item === 'string' ? item : `tokens:${item.join(',')}`, dims);
    const embedding = base64 ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') : Array.from(vector);
    return { object: 'embedding', index, embedding };
  });
  return JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

function isTokens(x: unknown): x is number[] {
  return Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t));
}

/**
 * Unit-length vector seeded by FNV-1a of the text (mulberry32 PRNG). Values are float32, so the float and
 * base64 encodings decode to identical numbers. Little-endian on every platform Node supports here.
 */
export function embed(text: string, dims: number): Float32Array {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let seed = h >>> 0;
  const out = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
    out[i] = v;
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dims; i++) out[i] *= scale;
  return out;
}

const MODEL_CREATED = 1715367049;
export const BASE_MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o4-mini', 'text-embedding-3-small', 'text-embedding-3-large'];

function modelObject(id: string) {
  return { id, object: 'model', created: MODEL_CREATED, owned_by: 'system' };
}

export function modelsBody(seen: Set<string>): string {
  const ids = new Set([...BASE_MODELS, ...seen]);
  return JSON.stringify({ object: 'list', data: [...ids].map(modelObject) });
}

/** The model object, or undefined when the id was neither a base model nor seen in a request. */
export function modelBody(id: string, seen: Set<string>): string | undefined {
  return BASE_MODELS.includes(id) || seen.has(id) ? JSON.stringify(modelObject(id)) : undefined;
}
