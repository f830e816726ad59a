// Canonical request → Anthropic Messages body (reference §3.2, §4.1), plus warnings for settings that had
// to change and hints for the response side. Pure: headers and URL are the adapter's (index.ts).
import type { ChatRequest, FunctionTool, ReasoningConfig, ReasoningEffort, ResponseFormat, Tool, ToolChoice } from '../../canonical/index.ts';
import type { DecodeHints } from '../types.ts';
import { cacheControl, toAnthropicMessages } from './to-anthropic-messages.ts';
import type { AnthropicRequest, AnthropicThinking, AnthropicTool, AnthropicToolChoice } from './wire.ts';

export interface AnthropicBuildOptions {
  upstreamModel: string;
  stream: boolean;
  /** `litellm_params.max_tokens`; else 4096 (the API requires max_tokens). */
  defaultMaxTokens?: number;
}

export interface AnthropicBuilt {
  body: AnthropicRequest;
  warnings: string[];
  hints: DecodeHints;
}

export const FALLBACK_MAX_TOKENS = 4096;
const MIN_THINKING_BUDGET = 1024;

/** reasoning_effort → thinking budget (reference §4.1: low 1024 / medium 4096 / high 16384). */
const BUDGETS: Record<ReasoningEffort, number> = { none: 0, minimal: 0, low: 1024, medium: 4096, high: 16384, xhigh: 32768, max: 65536 };

export function toAnthropicRequest(req: ChatRequest, o: AnthropicBuildOptions): AnthropicBuilt {
  const warnings: string[] = [];
  const hints: DecodeHints = {};
  const conv = toAnthropicMessages(req.messages);
  const body: AnthropicRequest = { model: o.upstreamModel, max_tokens: req.maxTokens ?? o.defaultMaxTokens ?? FALLBACK_MAX_TOKENS, messages: conv.messages };
  if (conv.system !== undefined) body.system = conv.system;
  if (req.stop && req.stop.length > 0) body.stop_sequences = req.stop;
  const tools = (req.tools ?? []).map(anthropicTool);
  let choice = req.toolChoice ? anthropicToolChoice(req.toolChoice) : undefined;
  const forced = structuredOutputTool(req.responseFormat, req.tools ?? []);
  if (forced) {
    tools.push(forced);
    if (choice) warnings.push('tool_choice replaced by the forced tool that implements response_format');
    choice = { type: 'tool', name: forced.name };
    hints.structuredOutputTool = forced.name;
  }
  if (req.parallelToolCalls === false && tools.length > 0 && choice?.type !== 'none') {
    choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true } as AnthropicToolChoice;
  }
  if (tools.length > 0) body.tools = tools;
  if (choice) body.tool_choice = choice;
  if (req.reasoning && forced && wantsThinking(req.reasoning)) {
    warnings.push('thinking dropped: Anthropic does not allow it with the forced tool that implements response_format');
  } else if (req.reasoning) {
    const thinking = thinkingOf(req.reasoning, body, req.maxTokens !== undefined, warnings);
    if (thinking) body.thinking = thinking;
  }
  sampling(req, body, body.thinking !== undefined && body.thinking.type !== 'disabled', warnings);
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.extensions?.dialect === 'anthropic-messages') Object.assign(body, req.extensions.fields);
  if (o.stream) body.stream = true;
  return { body, warnings, hints };
}

function anthropicTool(t: Tool): AnthropicTool | Record<string, unknown> {
  if (t.type === 'provider') return t.definition;
  const out: AnthropicTool = { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), input_schema: t.parameters };
  if (t.strict !== undefined) out.strict = t.strict;
  return Object.assign(out, cacheControl(t.cacheControl));
}

function anthropicToolChoice(c: ToolChoice): AnthropicToolChoice {
  switch (c.type) {
    case 'auto':
    case 'none':
      return { type: c.type };
    case 'required':
      return { type: 'any' };
    case 'tool':
      return { type: 'tool', name: c.name };
  }
}

/**
 * `response_format` json_schema / json_object → a tool the model must call, whose input is the JSON
 * (reference §4.1, older-model route; works on every model). The response side turns its input into text.
 */
function structuredOutputTool(f: ResponseFormat | undefined, tools: Tool[]): AnthropicTool | undefined {
  if (!f || f.type === 'text') return undefined;
  const taken = new Set(tools.filter((t): t is FunctionTool => t.type === 'function').map((t) => t.name));
  const wanted = f.type === 'json_schema' && /^[a-zA-Z0-9_-]{1,64}$/.test(f.name) ? f.name : 'json_output';
  const name = taken.has(wanted) ? 'igw_json_output' : wanted;
  const schema = f.type === 'json_schema' && f.schema ? f.schema : { type: 'object' };
  const description =
    (f.type === 'json_schema' && f.description) || 'Respond by calling this tool with the JSON answer as its input.';
  return { name, description, input_schema: schema };
}

function wantsThinking(r: ReasoningConfig): boolean {
  if (r.mode === 'disabled') return false;
  return r.mode === 'adaptive' || (r.budgetTokens ?? (r.effort ? BUDGETS[r.effort] : 0)) > 0;
}

function thinkingOf(r: ReasoningConfig, body: AnthropicRequest, capGiven: boolean, warnings: string[]): AnthropicThinking | undefined {
  if (r.mode === 'disabled') return { type: 'disabled' };
  if (r.mode === 'adaptive') return r.display ? { type: 'adaptive', display: r.display } : { type: 'adaptive' };
  let budget = r.budgetTokens ?? (r.effort ? BUDGETS[r.effort] : 0);
  if (budget <= 0) return undefined;
  if (budget >= body.max_tokens) {
    if (!capGiven) body.max_tokens += budget;
    else if (body.max_tokens - 1 >= MIN_THINKING_BUDGET) {
      warnings.push(`thinking budget lowered to ${body.max_tokens - 1} to fit max_tokens ${body.max_tokens}`);
      budget = body.max_tokens - 1;
    } else {
      warnings.push(`thinking dropped: max_tokens ${body.max_tokens} leaves no room for the minimum budget of ${MIN_THINKING_BUDGET}`);
      return undefined;
    }
  }
  return r.display ? { type: 'enabled', budget_tokens: budget, display: r.display } : { type: 'enabled', budget_tokens: budget };
}

/**
 * Temperature is 0..1 on Anthropic (OpenAI allows 0..2) and not allowed with thinking, nor is top_k. Each
 * change is reported as a warning; which parameters the API version accepts at all is the adapter's
 * supportedParams (reference §0.2).
 */
function sampling(req: ChatRequest, body: AnthropicRequest, thinking: boolean, warnings: string[]): void {
  if (req.temperature !== undefined) {
    if (thinking) warnings.push('temperature dropped: Anthropic does not allow it with thinking');
    else if (req.temperature > 1) {
      warnings.push(`temperature ${req.temperature} lowered to 1 (Anthropic's maximum)`);
      body.temperature = 1;
    } else body.temperature = req.temperature;
  }
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) {
    if (thinking) warnings.push('top_k dropped: Anthropic does not allow it with thinking');
    else body.top_k = req.topK;
  }
}
