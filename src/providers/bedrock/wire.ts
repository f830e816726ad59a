// The Bedrock Runtime Converse / ConverseStream wire (../shared/reference/providers.md §6), plus the
// InvokeModel bodies of the embedding models igw supports (Amazon Titan, Cohere Embed). Blob fields are
// base64 strings in JSON.

export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface BedrockImage {
  format: BedrockImageFormat;
  source: { bytes: string };
}

export interface BedrockDocument {
  format: string;
  name: string;
  source: { bytes: string };
}

export type BedrockToolResultContent = { text: string } | { json: unknown } | { image: BedrockImage } | { document: BedrockDocument };

export interface BedrockReasoningContent {
  reasoningText?: { text: string; signature?: string };
  /** base64 */
  redactedContent?: string;
}

export interface BedrockContentBlock {
  text?: string;
  image?: BedrockImage;
  document?: BedrockDocument;
  toolUse?: { toolUseId: string; name: string; input: unknown };
  toolResult?: { toolUseId: string; content: BedrockToolResultContent[]; status?: 'success' | 'error' };
  reasoningContent?: BedrockReasoningContent;
  cachePoint?: { type: 'default' };
}

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export interface BedrockToolSpec {
  toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } };
}

export type BedrockToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface ConverseRequest {
  messages: BedrockMessage[];
  system?: ({ text: string } | { cachePoint: { type: 'default' } })[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools: BedrockToolSpec[]; toolChoice?: BedrockToolChoice };
  additionalModelRequestFields?: Record<string, unknown>;
}

export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface ConverseResponse {
  output?: { message?: BedrockMessage };
  stopReason?: string;
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
  additionalModelResponseFields?: Record<string, unknown>;
}

/** ConverseStream event payloads, by `:event-type` (each may also carry a padding field `p`). */
export interface StreamPayloads {
  messageStart: { role?: string };
  contentBlockStart: { contentBlockIndex: number; start?: { toolUse?: { toolUseId: string; name: string } } };
  contentBlockDelta: {
    contentBlockIndex: number;
    delta?: { text?: string; toolUse?: { input?: string }; reasoningContent?: { text?: string; signature?: string; redactedContent?: string } };
  };
  contentBlockStop: { contentBlockIndex: number };
  messageStop: { stopReason?: string; additionalModelResponseFields?: Record<string, unknown> };
  metadata: { usage?: BedrockUsage; metrics?: { latencyMs?: number } };
}

export interface TitanEmbedResponse {
  embedding?: number[];
  inputTextTokenCount?: number;
}

export interface CohereEmbedResponse {
  /** `embeddings_floats`: a list of vectors; `embeddings_by_type`: `{ float: [...] }`. */
  embeddings?: number[][] | { float?: number[][] };
  response_type?: string;
}
