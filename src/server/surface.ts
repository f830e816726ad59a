// An inbound surface: one client dialect (OpenAI chat, Anthropic Messages) with everything the dispatcher
// needs from it — the pass-through relay for deployments of the same dialect, and the converters to and
// from the canonical form for every other deployment. The dispatcher (chat-dispatch.ts) names no provider.
import type { ServerResponse } from 'node:http';
import type { ChatRequest, ChatResponse, Dialect, GatewayError, Json, StreamEncoder, Usage } from '../canonical/index.ts';
import type { RequestFallbacks } from '../router/index.ts';

/** What the dispatcher needs to know about a validated request, whatever its dialect. */
export interface ChatView {
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`; Anthropic streams always carry usage. */
  wantsUsage: boolean;
  /** Client headers a pass-through forwards (e.g. `anthropic-beta`). */
  clientHeaders?: Readonly<Record<string, string>>;
  /** The JSON text the body was parsed from, when the body has not changed since (see ChatBuildOptions). */
  bodyText?: string;
  /** LiteLLM's per-request routing fields (`fallbacks`, `disable_fallbacks`, `num_retries`). */
  fallbacks?: RequestFallbacks;
  numRetries?: number;
  /** Written before a pass-through stream's last frame, given the stream's usage (the cost comment). */
  streamTrailer?: (usage: unknown) => string | undefined;
}

export interface RelayOutcome {
  usage?: Usage;
  error?: GatewayError;
}

export interface ChatSurface {
  readonly dialect: Dialect;
  /** Translation path: the inbound body → canonical. */
  toCanonical(body: Json, view: ChatView): ChatRequest;
  /** Translation path: canonical response → the body sent to the client. */
  renderResponse(r: ChatResponse): string;
  /** Translation path: canonical events → this dialect's stream frames. */
  createStreamEncoder(req: ChatRequest, view: ChatView): StreamEncoder;
  /** Pass-through path: relay an upstream stream of this dialect, reading usage on the way. */
  relayStream(chunks: AsyncIterable<Buffer>, res: ServerResponse, view: ChatView): Promise<RelayOutcome>;
  /** Pass-through path: usage of a complete upstream body of this dialect. */
  usageOf(raw: Buffer): Usage | undefined;
}
