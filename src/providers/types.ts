import type { Readable } from 'node:stream';
import type { CanonicalParam, ChatRequest, ChatResponse, Dialect, GatewayError, StreamDecoder } from '../canonical/index.ts';

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

/** A whole answer, read before it is handed over. */
export interface BufferedReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Moves an UpstreamRequest: undici for real providers, an in-process generator for `mock/`. `send` hands
 * the body over as a stream (event streams); `sendBuffered` reads it whole first (every other answer).
 * A failure after the response headers arrived rejects `sendBuffered` with the transport's own error
 * rather than a GatewayError, so that the caller can tell a broken body from an unreachable upstream.
 */
export interface Transport {
  send(req: UpstreamRequest, opts: SendOptions): Promise<UpstreamReply>;
  sendBuffered(req: UpstreamRequest, opts: SendOptions): Promise<BufferedReply>;
}

/** Per-request knobs the adapter needs from the caller. */
export interface ChatBuildOptions {
  stream: boolean;
  /** Client headers a pass-through may forward (lower-case names), e.g. `anthropic-beta`. */
  clientHeaders?: Readonly<Record<string, string>>;
  /** The client's JSON text of `body`, when `body` is unchanged from it: a target may edit it instead of serialising. */
  bodyText?: string;
}

/** Knobs for building an upstream request from the canonical form. */
export interface CanonicalBuildOptions {
  stream: boolean;
}

/**
 * What the response side must know about how the request was built. Adapters that emulate a feature
 * (e.g. `response_format: json_schema` through a forced tool, on Anthropic or Bedrock) say so here, and their
 * response converter and stream decoder undo it.
 */
export interface DecodeHints {
  /** Name of a tool the adapter forced to get structured output: its arguments become the text content. */
  structuredOutputTool?: string;
}

/** An upstream request built from the canonical form. */
export interface BuiltChatRequest {
  request: UpstreamRequest;
  /** Settings the upstream cannot honour that were dropped (sent to the client as `x-igw-warning`). */
  warnings: string[];
  hints: DecodeHints;
}

/**
 * One upstream deployment in its dialect. Two paths:
 * - pass-through (inbound dialect == `dialect`): `buildChat` copies the client's body, changing only what it
 *   must, and the response bytes are relayed;
 * - translation: `buildFromCanonical` → transport → `responseToCanonical` or `createStreamDecoder`.
 * Every function here is pure (no I/O); the transport moves the bytes.
 */
export interface UpstreamTarget {
  readonly dialect: Dialect;
  /** Human name for messages, e.g. `anthropic` (the `litellm_params.model` prefix). */
  readonly provider: string;
  /** Pass-through: a body already in `dialect` → the upstream request. Absent when no inbound surface speaks it. */
  buildChat?(body: Record<string, unknown>, opts: ChatBuildOptions): UpstreamRequest;
  /** Absent when the provider has no embeddings endpoint. */
  buildEmbeddings?(body: Record<string, unknown>): UpstreamRequest;
  /** Servers that cannot encode embeddings as base64 get `float` and igw encodes. */
  readonly base64Embeddings: boolean;
  /**
   * Canonical features this upstream honours. Anything else a request uses is refused with a 400 naming the
   * parameter and the provider, or dropped when `drop_params` is set.
   */
  readonly supportedParams: ReadonlySet<CanonicalParam>;
  /** The deployment's `drop_params` (LiteLLM: per deployment, else `litellm_settings.drop_params`). */
  readonly dropParams: boolean;
  /** Translation: canonical request → upstream request (+ warnings, hints for the response side). */
  buildFromCanonical(req: ChatRequest, opts: CanonicalBuildOptions): BuiltChatRequest;
  /** Translation: a complete non-stream upstream body → canonical response. */
  responseToCanonical(rawBody: string, hints: DecodeHints): ChatResponse;
  /** Translation: a decoder for one upstream stream (bytes in, canonical events out). */
  createStreamDecoder(hints: DecodeHints): StreamDecoder;
  /** An upstream error status and body → a classified gateway error (kind drives retries and fallbacks). */
  mapError(status: number, rawBody: string, headers: Record<string, string | string[] | undefined>): GatewayError;
  /**
   * Embeddings for upstreams whose wire is not OpenAI's (Gemini, Vertex, Bedrock). When present,
   * `/v1/embeddings` uses it instead of `buildEmbeddings`.
   */
  translateEmbeddings?(body: Record<string, unknown>): EmbeddingsPlan;
}

/** OpenAI's embeddings response with float vectors (the server encodes base64 when asked). */
export interface OpenAIEmbeddingList {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/**
 * One `/v1/embeddings` request in a non-OpenAI dialect: the upstream calls to make (Bedrock Titan embeds one
 * text per call, so there may be several; they run concurrently) and the conversion of their bodies, in the
 * same order, to OpenAI's list.
 */
export interface EmbeddingsPlan {
  requests: UpstreamRequest[];
  toOpenAI(rawBodies: string[]): OpenAIEmbeddingList;
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
  /** `drop_params`: the deployment's own, else `litellm_settings.drop_params`. */
  dropParams?: boolean;
  /** Anthropic: `litellm_params.anthropic_version` (default `2023-06-01`, reference §0.2). */
  anthropicVersion?: string;
  /** `litellm_params.max_tokens`: the output cap sent when the client gives none (Anthropic requires one). */
  defaultMaxTokens?: number;
  /** Every `litellm_params` key as configured (provider-specific settings: regions, projects, credentials). */
  params?: Readonly<Record<string, unknown>>;
  /** The process environment, for providers with credential chains of their own (AWS_*, GOOGLE_*). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface MockSettings {
  response?: string;
  latencyMs: number;
  tokens: number;
  chunkDelayMs: number;
}
