// Public types of the provider simulator (re-exported by ./index.ts, which documents the behaviour).

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * When set, every request must carry it: `Authorization: Bearer <key>` on `/v1/*`, `api-key: <key>` (or
   * Bearer) on `/openai/*`; otherwise 401 `invalid_api_key`.
   */
  apiKey?: string;
  /** Gemini/Vertex: the public key (PEM) of the test service account; turns on `POST /token` (gemini.ts). */
  googlePublicKey?: string;
  /** Bedrock: SigV4 key pairs accepted (default SIM_AWS_KEY in bedrock.ts). */
  awsKeys?: { accessKeyId: string; secretAccessKey: string }[];
  /** Record requests into `calls` (default true). The CLI turns this off for benchmarks. */
  record?: boolean;
}

export interface RecordedCall {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: any;
  /** The body's text as received ('' when empty). */
  text: string;
  /** Date.now() when the request arrived. */
  at: number;
}

export type Fault =
  /** Any status; `body` object → JSON, string → sent raw; default body is an OpenAI error envelope. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** 429 + `retry-after` (seconds; default 1) and `retry-after-ms` when `retryAfterMs` is set. */
  | { kind: 'rate_limit'; retryAfterSeconds?: number; retryAfterMs?: number }
  | { kind: 'server_error'; status?: 500 | 502 | 503 }
  /** Overloaded: Anthropic 529 `overloaded_error`; OpenAI routes answer 503. */
  | { kind: 'overloaded' }
  /** Wait before the status line, then respond normally. */
  | { kind: 'slow_first_byte'; delayMs: number }
  /** Destroy the socket without any response. */
  | { kind: 'reset' }
  /** Stream K data events, then destroy the socket (no [DONE]). Non-stream: half the body, then destroy. */
  | { kind: 'cut_stream'; afterChunks: number }
  /** Stream K data events, then `data: {"error":{...}}` and end. Non-stream: 500 with that error. */
  | { kind: 'stream_error'; afterChunks: number; message?: string }
  /** Wait between stream events (ignored for non-stream responses). */
  | { kind: 'chunk_delay'; delayMs: number }
  | { kind: 'context_length' }
  | { kind: 'invalid_key' }
  | { kind: 'model_not_found' }
  /** Azure prompt-filter 400 body (reference §7). */
  | { kind: 'content_filter' };

export interface Simulator {
  /** e.g. http://127.0.0.1:43123 — OpenAI base is `url + '/v1'`, Azure endpoint is `url`. */
  url: string;
  port: number;
  /** Every request received, in order (unless `record: false`). */
  calls: RecordedCall[];
  /** The next requests take these faults in order, one per request (any route). */
  enqueue(...faults: Fault[]): void;
  /** Clears `calls`, queued faults and the `times=N` directive counters. */
  reset(): void;
  /** Closes the server and destroys open sockets. */
  close(): Promise<void>;
}
