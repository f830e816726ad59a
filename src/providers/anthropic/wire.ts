// Anthropic Messages wire types (reference §3): what igw builds and reads. Partial on purpose: fields igw
// does not touch are carried as unknown.

export type AnthropicCacheControl = { type: 'ephemeral'; ttl?: '5m' | '1h' };

export type AnthropicSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: 'file'; file_id: string }
  | { type: 'text'; media_type: string; data: string };

export interface AnthropicTextBlock { type: 'text'; text: string; cache_control?: AnthropicCacheControl; citations?: unknown[] | null }
export interface AnthropicImageBlock { type: 'image'; source: AnthropicSource; cache_control?: AnthropicCacheControl }
export interface AnthropicDocumentBlock {
  type: 'document';
  source: AnthropicSource;
  title?: string;
  context?: string;
  citations?: unknown;
  cache_control?: AnthropicCacheControl;
}
export interface AnthropicToolUseBlock { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; cache_control?: AnthropicCacheControl }
export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | (AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock)[];
  is_error?: boolean;
  cache_control?: AnthropicCacheControl;
}
export interface AnthropicThinkingBlock { type: 'thinking'; thinking: string; signature: string }
export interface AnthropicRedactedThinkingBlock { type: 'redacted_thinking'; data: string }

export type AnthropicBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  strict?: boolean;
  cache_control?: AnthropicCacheControl;
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export type AnthropicThinking =
  | { type: 'enabled'; budget_tokens: number; display?: string }
  | { type: 'disabled' }
  | { type: 'adaptive'; display?: string };

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: string | AnthropicTextBlock[];
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: (AnthropicTool | Record<string, unknown>)[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinking;
  metadata?: { user_id?: string };
  stream?: boolean;
  [other: string]: unknown;
}

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
  [other: string]: unknown;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded';

/** The versions igw knows (§0.2): 2026-10-21 refuses temperature, top_p and top_k. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
export const NO_SAMPLING_VERSION = '2026-10-21';
