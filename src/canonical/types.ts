// The canonical chat model: igw's own request, response and stream-event types (DESIGN.md "canonical form").
// Every dialect converts to and from these, so N dialects need 2N converters. It is a superset of OpenAI Chat
// Completions and Anthropic Messages (../shared/reference/providers.md §1, §3, §4) and leaves room for Gemini
// and Bedrock Converse (§5, §6). Conventions:
// - camelCase fields; an absent optional field means "the client did not say", never a default value;
// - opaque provider values (thinking signatures, Gemini thought signatures) are carried unchanged (§0.7);
// - translators never invent data: a value one side cannot express is refused or dropped by policy
//   (see CanonicalParam and the unsupported-parameter check), not silently clamped.
import type { GatewayError } from './errors.ts';

/** Wire formats igw speaks (DESIGN.md vocabulary). */
export type Dialect = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini' | 'bedrock-converse';

/**
 * Opaque values a provider needs back verbatim on a later turn, keyed by the dialect that produced them, e.g.
 * `{ gemini: { thoughtSignature: "…" } }`. Adapters read only their own key, so a value made by one provider
 * is never sent to another.
 */
export type ProviderData = Partial<Record<Dialect, Record<string, unknown>>>;

/** Anthropic prompt-caching hint (`cache_control`), carried from the client to upstreams that honour it. */
export interface CacheControl {
  type: 'ephemeral';
  /** Cache lifetime; the provider default (5 minutes) when absent. */
  ttl?: '5m' | '1h';
}

// ---------------------------------------------------------------------------------------------------------
// Content parts

/** Where the bytes of an image or document are. */
export type MediaSource =
  /** Inline bytes: `mediaType` like `image/png` or `application/pdf`, `data` base64 without the `data:` prefix. */
  | { kind: 'base64'; mediaType: string; data: string }
  /** A URL the provider fetches itself (`https://…`). */
  | { kind: 'url'; url: string }
  /** A provider-side file id (OpenAI `file_id`, Anthropic Files API). */
  | { kind: 'file'; fileId: string }
  /** Plain text as a document (Anthropic `{type:"text", media_type:"text/plain", data}`). */
  | { kind: 'text'; mediaType: string; data: string };

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
  /** Citations as the source dialect sent them (Anthropic `citations`); carried, not interpreted. */
  citations?: unknown[];
  providerData?: ProviderData;
}

export interface ImagePart {
  type: 'image';
  source: MediaSource;
  /** OpenAI `image_url.detail`; other providers have no counterpart and ignore it. */
  detail?: 'auto' | 'low' | 'high';
  cacheControl?: CacheControl;
}

/** A PDF or text document (OpenAI `file` part, Anthropic `document` block). */
export interface DocumentPart {
  type: 'document';
  source: MediaSource;
  /** OpenAI `file.filename`. */
  filename?: string;
  /** Anthropic `title` / `context`. */
  title?: string;
  context?: string;
  /** Anthropic `citations: {enabled}` as sent. */
  citations?: unknown;
  cacheControl?: CacheControl;
}

/** OpenAI `input_audio` (no Anthropic counterpart). */
export interface AudioPart {
  type: 'audio';
  /** base64 */
  data: string;
  format: string;
}

/** A function call the model made (OpenAI `tool_calls[i]`, Anthropic `tool_use`). */
export interface ToolCallPart {
  type: 'tool_call';
  /** Kept unchanged across dialects (`call_…`, `toolu_…`); §4.2 "IDs". */
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as produced (OpenAI sends a string that may be invalid JSON). */
  arguments: string;
  cacheControl?: CacheControl;
  providerData?: ProviderData;
}

/** The result of a tool call, sent back by the client (OpenAI `tool` message, Anthropic `tool_result`). */
export interface ToolResultPart {
  type: 'tool_result';
  /** The `ToolCallPart.id` this answers. */
  toolCallId: string;
  /**
   * The called tool's name when known: the parsers look it up from the matching earlier ToolCallPart
   * (Gemini's `functionResponse` needs it; OpenAI and Anthropic do not carry it).
   */
  toolName?: string;
  /** A plain string, or parts (Anthropic allows text, image and document blocks inside a result). */
  content: string | (TextPart | ImagePart | DocumentPart)[];
  /** Anthropic `is_error`; OpenAI has no field for it. */
  isError?: boolean;
  cacheControl?: CacheControl;
}

/** Model reasoning shown to the client (Anthropic `thinking`, OpenAI-compatible `reasoning_content`). */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  /**
   * Anthropic's thinking signature (also Bedrock's for Claude models). Must be replayed unchanged with the
   * block in the assistant turn that produced it; absent for reasoning that has no signature (DeepSeek).
   */
  signature?: string;
  providerData?: ProviderData;
}

/** Encrypted reasoning (Anthropic `redacted_thinking`): opaque, replayed unchanged. */
export interface RedactedReasoningPart {
  type: 'redacted_reasoning';
  data: string;
}

/** The model declined (OpenAI `refusal`); Anthropic renders it as text with stop reason `refusal`. */
export interface RefusalPart {
  type: 'refusal';
  text: string;
}

export type UserPart = TextPart | ImagePart | DocumentPart | AudioPart;
export type AssistantPart = TextPart | ReasoningPart | RedactedReasoningPart | ToolCallPart | RefusalPart;

// ---------------------------------------------------------------------------------------------------------
// Messages

/** System instructions. OpenAI allows them anywhere; dialects with one `system` field hoist them in order. */
export interface SystemMessage {
  role: 'system';
  content: TextPart[];
  /** The OpenAI role the client used (`developer` replaces `system` for o1+ models). */
  variant?: 'system' | 'developer';
  name?: string;
}

export interface UserMessage {
  role: 'user';
  content: UserPart[];
  /** OpenAI participant `name`. */
  name?: string;
}

export interface AssistantMessage {
  role: 'assistant';
  /** In order; OpenAI-shaped sources put reasoning first, then text, then tool calls. */
  content: AssistantPart[];
  name?: string;
}

/**
 * Tool results. OpenAI sends one `tool` message per result; Anthropic puts results first in a user message.
 * Parsers put consecutive results in one ToolMessage; encoders split or merge as their dialect needs.
 */
export interface ToolMessage {
  role: 'tool';
  content: ToolResultPart[];
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

// ---------------------------------------------------------------------------------------------------------
// Tools, output format, reasoning

export type JsonSchema = Record<string, unknown>;

/** A function the model may call. */
export interface FunctionTool {
  type: 'function';
  name: string;
  description?: string;
  /** JSON schema of the arguments; `{"type":"object","properties":{}}` when the client gave none. */
  parameters: JsonSchema;
  /** OpenAI `strict` / Anthropic `strict`: the provider enforces the schema exactly. */
  strict?: boolean;
  cacheControl?: CacheControl;
}

/**
 * A tool only one provider runs itself (Anthropic `web_search_20250305`, OpenAI `custom` tools): kept as the
 * source dialect wrote it; an upstream of another dialect refuses it (param `tools`).
 */
export interface ProviderTool {
  type: 'provider';
  dialect: Dialect;
  /** The tool object exactly as the client sent it. */
  definition: Record<string, unknown>;
}

export type Tool = FunctionTool | ProviderTool;

export type ToolChoice =
  /** The model decides (OpenAI `auto`, Anthropic `{type:"auto"}`). */
  | { type: 'auto' }
  /** No tool calls (OpenAI `none`, Anthropic `{type:"none"}`). */
  | { type: 'none' }
  /** At least one tool call (OpenAI `required`, Anthropic `{type:"any"}`). */
  | { type: 'required' }
  /** This tool (OpenAI `{type:"function",function:{name}}`, Anthropic `{type:"tool",name}`). */
  | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  /** Any JSON object (OpenAI `json_object`). */
  | { type: 'json_object' }
  /** JSON matching `schema` (OpenAI `json_schema`, Anthropic `output_config.format`, Gemini `responseSchema`). */
  | { type: 'json_schema'; name: string; schema?: JsonSchema; strict?: boolean; description?: string };

/** OpenAI `reasoning_effort` values; Anthropic `output_config.effort` uses low…max. */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** How much the model should think. Set from `reasoning_effort`, Anthropic `thinking`/`output_config.effort`. */
export interface ReasoningConfig {
  /** Relative effort (OpenAI `reasoning_effort`, Anthropic `output_config.effort`). */
  effort?: ReasoningEffort;
  /** Anthropic `thinking.type`: explicit on/off, or `adaptive` (the model decides). */
  mode?: 'enabled' | 'disabled' | 'adaptive';
  /** Token budget for thinking (Anthropic `budget_tokens`, Gemini `thinkingBudget`). */
  budgetTokens?: number;
  /** Anthropic `thinking.display` (e.g. `summarized`, `omitted`), carried as sent. */
  display?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Request

export interface ChatRequest {
  /** The model name the client asked for (the router maps it to a deployment; adapters use their own). */
  model: string;
  messages: Message[];
  /** Output cap incl. reasoning (OpenAI `max_completion_tokens` ?? `max_tokens`, Anthropic `max_tokens`). */
  maxTokens?: number;
  /** 0..2 in OpenAI, 0..1 in Anthropic; adapters refuse values their upstream cannot take. */
  temperature?: number;
  topP?: number;
  /** Anthropic / Gemini only. */
  topK?: number;
  /** Stop sequences (OpenAI `stop`, Anthropic `stop_sequences`). */
  stop?: string[];
  /** OpenAI only. */
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  logitBias?: Record<string, number>;
  logprobs?: boolean;
  topLogprobs?: number;
  /** Number of choices; only OpenAI-dialect upstreams produce more than one. */
  n?: number;
  tools?: Tool[];
  toolChoice?: ToolChoice;
  /** false = at most one tool call per turn (Anthropic `disable_parallel_tool_use: true`). */
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningConfig;
  /** End-user id for abuse tracking (OpenAI `user`/`safety_identifier`, Anthropic `metadata.user_id`). */
  user?: string;
  /** OpenAI `metadata` (string map). */
  metadata?: Record<string, string>;
  /** OpenAI `service_tier` / Anthropic `service_tier`, carried as sent. */
  serviceTier?: string;
  stream: boolean;
  /** The client wants usage in the stream (OpenAI `stream_options.include_usage`; always true for Anthropic). */
  streamUsage?: boolean;
  /**
   * Top-level fields of the inbound body with no canonical counterpart (OpenAI `audio`, `modalities`,
   * `prediction`, `store`…; Anthropic `container`, `context_management`…), by the dialect they came from.
   * An upstream of another dialect refuses them (or drops them with drop_params).
   */
  extensions?: { dialect: Dialect; fields: Record<string, unknown> };
}

/**
 * Request features an upstream may not support, named as the OpenAI parameter (or the Anthropic one where
 * OpenAI has none: `top_k`). Each adapter declares the set it honours; the rest gives a 400 naming the
 * parameter and the provider, or is dropped when `drop_params` is on.
 */
export type CanonicalParam =
  | 'max_tokens'
  | 'temperature'
  | 'top_p'
  | 'top_k'
  | 'stop'
  | 'seed'
  | 'presence_penalty'
  | 'frequency_penalty'
  | 'logit_bias'
  | 'logprobs'
  | 'top_logprobs'
  | 'n'
  | 'tools'
  | 'tool_choice'
  | 'parallel_tool_calls'
  | 'response_format'
  | 'reasoning_effort'
  | 'user'
  | 'metadata'
  | 'service_tier'
  /** An `input_audio` content part. */
  | 'input_audio'
  /** A PDF / document content part (OpenAI `file`, Anthropic `document`). */
  | 'input_document';

// ---------------------------------------------------------------------------------------------------------
// Response

/**
 * Why generation stopped: a unified value every dialect can render, plus the provider's own string.
 * Unknown provider values map to `other` (never silently to `stop`) and keep their raw text.
 */
export interface FinishReason {
  unified: 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';
  /** Exactly what the upstream sent (`end_turn`, `MAX_TOKENS`, `tool_calls`…); null when it sent none. */
  raw: string | null;
}

/**
 * Token usage. `inputTokens` INCLUDES cached tokens (read and write) and `outputTokens` INCLUDES reasoning
 * tokens, as in OpenAI; Anthropic's `input_tokens` excludes cache tokens, so its mapper adds them (§4.5).
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the prompt cache. */
  cacheReadTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic `cache_creation_input_tokens`). */
  cacheWriteTokens?: number;
  /** Output tokens spent on reasoning (already inside outputTokens). */
  reasoningTokens?: number;
}

export interface ChatResponse {
  /** The upstream's id (`chatcmpl-…`, `msg_…`); surfaces prefix or keep it as their dialect expects. */
  id: string;
  /** The model the upstream says answered. */
  model: string;
  /** Unix seconds. */
  created: number;
  content: AssistantPart[];
  finishReason: FinishReason;
  /** The stop sequence that ended generation, when the upstream says which (Anthropic `stop_sequence`). */
  stopSequence?: string;
  usage: Usage;
  /** Upstream `service_tier` / `system_fingerprint`, carried for OpenAI clients. */
  serviceTier?: string;
  systemFingerprint?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Stream events
//
// A stream is: `start`, then content blocks (`block_start`, deltas, `block_end`; one block open at a time,
// indexes 0,1,2… in order), any number of `usage` snapshots, one `finish`, then `end` — or `error` at any
// point, after which nothing follows. Decoders emit each delta as soon as the upstream sends it.

/** What kind of block is opening. `toolIndex` counts tool calls only (OpenAI `tool_calls[].index`). */
export type BlockStart =
  | { kind: 'text'; citations?: unknown[] }
  | { kind: 'reasoning'; providerData?: ProviderData }
  | { kind: 'redacted_reasoning'; data: string }
  | { kind: 'tool_call'; toolIndex: number; id: string; name: string; providerData?: ProviderData }
  | { kind: 'refusal' };

export type StreamEvent =
  /** Message metadata; usage here is what is known up front (input tokens), possibly nothing. */
  | { type: 'start'; id: string; model: string; created: number; usage?: Usage }
  | { type: 'block_start'; index: number; block: BlockStart }
  /** Text (or refusal text) appended to block `index`. */
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'reasoning_delta'; index: number; text: string }
  /** The reasoning block's signature (Anthropic sends it just before the block ends). */
  | { type: 'reasoning_signature'; index: number; signature: string }
  /** A fragment of a tool call's JSON arguments; fragments concatenate. */
  | { type: 'tool_args_delta'; index: number; toolIndex: number; delta: string }
  | { type: 'block_end'; index: number }
  /** Cumulative usage so far (a later snapshot replaces an earlier one). */
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason; stopSequence?: string }
  /** The upstream finished cleanly. */
  | { type: 'end' }
  /** The upstream failed mid-stream; nothing follows. */
  | { type: 'error'; error: GatewayError };

/**
 * Upstream stream bytes → canonical events. One per upstream response; pure (no I/O, no timers): the
 * caller feeds network chunks as they arrive and sends out whatever comes back at once.
 */
export interface StreamDecoder {
  push(chunk: Uint8Array): StreamEvent[];
  /** The upstream body ended: flush, and report an `error` if the stream was incomplete. */
  end(): StreamEvent[];
}

/** Canonical events → the bytes of one client stream (SSE frames). Pure, like the decoders. */
export interface StreamEncoder {
  /** Frames to send for this event (possibly none). */
  push(event: StreamEvent): string;
}
