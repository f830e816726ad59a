// Canonical request → OpenAI Chat Completions body (reference §4.2). Used when the client speaks another
// dialect (Anthropic Messages) and the deployment is OpenAI or OpenAI-compatible.
import type { ChatRequest, Json, ReasoningConfig, ReasoningEffort, Tool, ToolChoice } from '../../canonical/index.ts';
import { toOpenAIMessages } from './to-openai-messages.ts';

export interface OpenAIRequestOptions {
  upstreamModel: string;
  stream: boolean;
  /** OpenAI proper wants `max_completion_tokens`; most compatible servers only know `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  noStreamOptions?: boolean;
  noDeveloperRole?: boolean;
  replayReasoning?: boolean;
}

export function toOpenAIChatRequest(req: ChatRequest, o: OpenAIRequestOptions): Json {
  const body: Json = {
    model: o.upstreamModel,
    messages: toOpenAIMessages(req.messages, { replayReasoning: o.replayReasoning, noDeveloperRole: o.noDeveloperRole }),
  };
  if (req.maxTokens !== undefined) body[o.maxTokensField] = req.maxTokens;
  set(body, 'temperature', req.temperature);
  set(body, 'top_p', req.topP);
  set(body, 'top_k', req.topK);
  if (req.stop && req.stop.length > 0) body.stop = req.stop;
  set(body, 'seed', req.seed);
  set(body, 'presence_penalty', req.presencePenalty);
  set(body, 'frequency_penalty', req.frequencyPenalty);
  set(body, 'logit_bias', req.logitBias);
  set(body, 'logprobs', req.logprobs);
  set(body, 'top_logprobs', req.topLogprobs);
  set(body, 'n', req.n);
  if (req.tools && req.tools.length > 0) body.tools = req.tools.map(openAITool);
  if (req.toolChoice) body.tool_choice = openAIToolChoice(req.toolChoice);
  set(body, 'parallel_tool_calls', req.parallelToolCalls);
  if (req.responseFormat) body.response_format = openAIResponseFormat(req.responseFormat);
  const effort = req.reasoning ? effortOf(req.reasoning) : undefined;
  if (effort) body.reasoning_effort = effort;
  set(body, 'user', req.user);
  set(body, 'metadata', req.metadata);
  set(body, 'service_tier', req.serviceTier);
  if (req.extensions?.dialect === 'openai-chat') Object.assign(body, req.extensions.fields);
  if (o.stream) {
    body.stream = true;
    if (!o.noStreamOptions) body.stream_options = { include_usage: true };
  }
  return body;
}

function set(body: Json, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

function openAITool(t: Tool): Json {
  if (t.type === 'provider') return t.definition;
  const fn: Json = { name: t.name };
  if (t.description !== undefined) fn.description = t.description;
  fn.parameters = t.parameters;
  if (t.strict !== undefined) fn.strict = t.strict;
  return { type: 'function', function: fn };
}

function openAIToolChoice(c: ToolChoice): unknown {
  return c.type === 'tool' ? { type: 'function', function: { name: c.name } } : c.type;
}

function openAIResponseFormat(f: NonNullable<ChatRequest['responseFormat']>): Json {
  if (f.type !== 'json_schema') return { type: f.type };
  const js: Json = { name: f.name };
  if (f.description !== undefined) js.description = f.description;
  if (f.schema !== undefined) js.schema = f.schema;
  if (f.strict !== undefined) js.strict = f.strict;
  return { type: 'json_schema', json_schema: js };
}

/**
 * A thinking budget becomes an effort (§4.2: <4096 low, <16384 medium, else high); `adaptive` leaves the
 * model's default; `disabled` and no budget send nothing.
 */
export function effortOf(r: ReasoningConfig): ReasoningEffort | undefined {
  if (r.effort) return r.effort;
  if (r.mode === 'disabled' || r.mode === 'adaptive' || r.budgetTokens === undefined) return undefined;
  if (r.budgetTokens < 4096) return 'low';
  if (r.budgetTokens < 16384) return 'medium';
  return 'high';
}
