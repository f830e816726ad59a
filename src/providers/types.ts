import type { Readable } from 'node:stream';
import type { Dialect, GatewayError } from '../canonical/index.ts';

export type Operation = 'chat' | 'embeddings';

/** What an adapter asks the transport to send. Built by pure functions; no I/O. */
export interface UpstreamRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
}

/** What came back, before the body is read. */
export interface UpstreamReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** ms until response headers arrive. */
  headersTimeoutMs: number;
  /** ms allowed between two body chunks. */
  bodyTimeoutMs: number;
}

/** Moves an UpstreamRequest: undici for real providers, an in-process generator for `mock/`. */
export interface Transport {
  send(req: UpstreamRequest, opts: SendOptions): Promise<UpstreamReply>;
}

/** Per-request knobs the adapter needs from the caller. */
export interface ChatBuildOptions {
  stream: boolean;
}

/** One upstream dialect: request building and error mapping for the OpenAI-shaped wire. */
export interface UpstreamTarget {
  dialect: Dialect;
  buildChat(body: Record<string, unknown>, opts: ChatBuildOptions): UpstreamRequest;
  buildEmbeddings(body: Record<string, unknown>): UpstreamRequest;
  /** Servers that cannot encode embeddings as base64 get `float` and igw encodes. */
  readonly base64Embeddings: boolean;
  /** An upstream error status and body → a classified gateway error (kind drives retries and fallbacks). */
  mapError(status: number, rawBody: string, headers: Record<string, string | string[] | undefined>): GatewayError;
}

/** What an adapter needs to know about its deployment (built by the router from `litellm_params`). */
export interface ProviderSettings {
  /** Prefix of `litellm_params.model`: `openai`, `azure`, `groq`, `mock`… */
  prefix: string;
  /** The model name the upstream expects (or the Azure deployment name). */
  upstreamModel: string;
  apiKey?: string;
  apiBase?: string;
  apiVersion?: string;
  organization?: string;
  extraHeaders?: Record<string, string>;
  mock?: MockSettings;
}

export interface MockSettings {
  response?: string;
  latencyMs: number;
  tokens: number;
  chunkDelayMs: number;
}
