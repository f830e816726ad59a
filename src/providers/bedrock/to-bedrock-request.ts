// Canonical request → Converse body (../shared/reference/providers.md §6.2). Parameters without a Converse
// field go in `additionalModelRequestFields` under the model's own names (`top_k`, Claude's `thinking`).
// `response_format` is emulated with a forced tool whose input is the JSON (DecodeHints tell the response
// side to turn it back into text). `tool_choice: none` has no Converse form: tools are left out, or — when
// the history holds tool calls and Converse insists on a toolConfig — kept, with a warning.
import { badRequest, type ChatRequest, type ReasoningConfig, type ReasoningEffort, type ResponseFormat } from '../../canonical/index.ts';
import type { DecodeHints } from '../types.ts';
import { toBedrockMessages } from './to-bedrock-messages.ts';
import type { BedrockToolChoice, BedrockToolSpec, ConverseRequest } from './wire.ts';

/** Name of the forced tool that carries structured output. */
export const JSON_TOOL = 'json_response';

export interface BedrockBuilt {
  body: ConverseRequest;
  warnings: string[];
  hints: DecodeHints;
}

export function toBedrockRequest(req: ChatRequest, modelId: string): BedrockBuilt {
  const warnings: string[] = [];
  const hints: DecodeHints = {};
  const { system, messages, historyTools } = toBedrockMessages(req.messages);
  if (messages.length === 0) throw badRequest('Bedrock needs at least one user or assistant message.', 'messages', 'invalid_value');
  const body: ConverseRequest = { messages };
  if (system) body.system = system;
  const inference = inferenceConfig(req);
  const extra: Record<string, unknown> = {};
  if (req.topK !== undefined) extra.top_k = req.topK;
  if (req.reasoning) applyReasoning(req.reasoning, modelId, extra, inference);
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;

  let tools = toolSpecs(req);
  let choice = toolChoice(req);
  if (req.responseFormat && req.responseFormat.type !== 'text') {
    tools = [...tools, jsonTool(req.responseFormat)];
    choice = { tool: { name: JSON_TOOL } };
    hints.structuredOutputTool = JSON_TOOL;
  }
  if (req.toolChoice?.type === 'none' && !hints.structuredOutputTool) {
    if (historyTools.size === 0) tools = [];
    else warnings.push('tool_choice "none" cannot be enforced on Bedrock when the conversation has tool calls; tools stay available');
    choice = undefined;
  }
  // Converse rejects toolUse/toolResult blocks without a toolConfig: declare the tools the history names.
  for (const name of historyTools) {
    if (!tools.some((t) => t.toolSpec.name === name)) tools.push(placeholderTool(name));
  }
  if (tools.length > 0) body.toolConfig = choice ? { tools, toolChoice: choice } : { tools };
  if (Object.keys(extra).length > 0) body.additionalModelRequestFields = extra;
  return { body, warnings, hints };
}

function inferenceConfig(req: ChatRequest): NonNullable<ConverseRequest['inferenceConfig']> {
  const c: NonNullable<ConverseRequest['inferenceConfig']> = {};
  if (req.maxTokens !== undefined) c.maxTokens = req.maxTokens;
  if (req.temperature !== undefined) c.temperature = req.temperature;
  if (req.topP !== undefined) c.topP = req.topP;
  if (req.stop !== undefined && req.stop.length > 0) c.stopSequences = req.stop;
  return c;
}

function toolSpecs(req: ChatRequest): BedrockToolSpec[] {
  return (req.tools ?? []).map((t, i) => {
    if (t.type === 'provider') {
      throw badRequest(`Tool type of tools[${i}] is specific to ${t.dialect} and cannot run on Bedrock.`, `tools[${i}]`, 'unsupported_value');
    }
    const spec: BedrockToolSpec['toolSpec'] = { name: t.name, inputSchema: { json: t.parameters } };
    if (t.description !== undefined) spec.description = t.description;
    return { toolSpec: spec };
  });
}

function toolChoice(req: ChatRequest): BedrockToolChoice | undefined {
  const c = req.toolChoice;
  if (!c || c.type === 'none') return undefined;
  if ((req.tools ?? []).length === 0) throw badRequest(`tool_choice '${c.type}' needs at least one function tool.`, 'tool_choice', 'invalid_value');
  if (c.type === 'auto') return { auto: {} };
  if (c.type === 'required') return { any: {} };
  return { tool: { name: c.name } };
}

function jsonTool(f: Exclude<ResponseFormat, { type: 'text' }>): BedrockToolSpec {
  const schema = f.type === 'json_schema' && f.schema ? f.schema : { type: 'object' };
  const description = f.type === 'json_schema' && f.description ? f.description : 'Respond with the JSON result by calling this tool.';
  return { toolSpec: { name: JSON_TOOL, description, inputSchema: { json: schema } } };
}

function placeholderTool(name: string): BedrockToolSpec {
  return { toolSpec: { name, description: 'A tool used earlier in this conversation.', inputSchema: { json: { type: 'object' } } } };
}

/** Thinking budgets for Claude on Bedrock (`budget_tokens` ≥ 1024). */
const BUDGET: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
  max: 32768,
};

/** Extended thinking exists only for Claude models here; `max_tokens` must exceed the budget. */
function applyReasoning(r: ReasoningConfig, modelId: string, extra: Record<string, unknown>, inference: NonNullable<ConverseRequest['inferenceConfig']>): void {
  const off = r.effort === 'none' || r.mode === 'disabled';
  if (!/claude/i.test(modelId)) {
    if (off) return;
    throw badRequest(`reasoning_effort is supported on Bedrock for Claude models only, not '${modelId}'.`, 'reasoning_effort', 'unsupported_value');
  }
  if (off) return;
  const budget = r.budgetTokens ?? BUDGET[(r.effort ?? 'medium') as Exclude<ReasoningEffort, 'none'>];
  extra.thinking = { type: 'enabled', budget_tokens: budget };
  if (inference.maxTokens === undefined) inference.maxTokens = budget + 4096;
  else if (inference.maxTokens <= budget) {
    throw badRequest(`max_tokens (${inference.maxTokens}) must be larger than the thinking budget (${budget}).`, 'max_tokens', 'invalid_value');
  }
}
