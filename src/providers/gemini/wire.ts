// The Gemini (Generative Language API v1beta, also Vertex AI) wire: request, response, stream events, errors
// and embeddings. Field names are the proto-JSON lowerCamelCase ones (../shared/reference/providers.md §5).

export type GeminiRole = 'user' | 'model';

/** One part carries exactly one data member; `thought` and `thoughtSignature` are flags on it. */
export interface GeminiPart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
  executableCode?: { language?: string; code: string };
  codeExecutionResult?: { outcome?: string; output?: string };
  /** The part is reasoning, not answer text. */
  thought?: boolean;
  /** Opaque; must be replayed verbatim on the same part (§0.7). */
  thoughtSignature?: string;
}

export interface GeminiContent {
  role?: GeminiRole;
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** JSON Schema (preferred over the OpenAPI-subset `parameters` for pass-through of client schemas). */
  parametersJsonSchema?: Record<string, unknown>;
}

export type GeminiFunctionCallingMode = 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED';

export interface GeminiThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH';
  includeThoughts?: boolean;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseJsonSchema?: Record<string, unknown>;
  responseLogprobs?: boolean;
  logprobs?: number;
  thinkingConfig?: GeminiThinkingConfig;
}

export interface GeminiRequest {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
  tools?: { functionDeclarations: GeminiFunctionDeclaration[] }[];
  toolConfig?: { functionCallingConfig: { mode: GeminiFunctionCallingMode; allowedFunctionNames?: string[] } };
  generationConfig?: GeminiGenerationConfig;
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiCandidate {
  content?: { role?: GeminiRole; parts?: GeminiPart[] };
  finishReason?: string;
  index?: number;
}

/** The non-stream body, and also each streamed `data:` event (which carries only the new parts). */
export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  createTime?: string;
}

/** `{"error":{code,message,status,details}}` (google.rpc.Status), also mid-stream. */
export interface GeminiErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: { '@type'?: string; reason?: string; retryDelay?: string; [k: string]: unknown }[];
  };
}

export interface GeminiEmbedContentRequest {
  /** Required inside `batchEmbedContents` requests: `models/<id>`. */
  model?: string;
  content: { parts: { text: string }[] };
  taskType?: string;
  outputDimensionality?: number;
}

export interface GeminiEmbeddingsResponse {
  /** embedContent */
  embedding?: { values?: number[] };
  /** batchEmbedContents */
  embeddings?: { values?: number[] }[];
  usageMetadata?: { promptTokenCount?: number; totalTokenCount?: number };
}
