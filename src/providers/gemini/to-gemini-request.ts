// Canonical request → Gemini `generateContent` body (../shared/reference/providers.md §5). Pure: the URL,
// key and token are the adapter's and transport's business. Parameters Gemini has no field for are refused
// before this runs (see GEMINI_PARAMS in ./index.ts), so everything that reaches here is honoured.
import { badRequest, type ChatRequest, type ResponseFormat, type Tool, type ToolChoice } from '../../canonical/index.ts';
import { toGeminiThinking } from './gemini-thinking.ts';
import { toGeminiContents } from './to-gemini-contents.ts';
import type { GeminiFunctionDeclaration, GeminiGenerationConfig, GeminiRequest } from './wire.ts';

export interface GeminiBuilt {
  body: GeminiRequest;
  warnings: string[];
}

export function toGeminiRequest(req: ChatRequest, upstreamModel: string): GeminiBuilt {
  const warnings: string[] = [];
  const { systemInstruction, contents } = toGeminiContents(req.messages);
  if (contents.length === 0) throw badRequest('Gemini needs at least one user or assistant message.', 'messages', 'invalid_value');
  const body: GeminiRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const declarations = functionDeclarations(req.tools);
  if (declarations.length > 0) body.tools = [{ functionDeclarations: declarations }];
  if (req.toolChoice && declarations.length > 0) body.toolConfig = { functionCallingConfig: callingConfig(req.toolChoice) };
  if (req.toolChoice && declarations.length === 0 && req.toolChoice.type !== 'none' && req.toolChoice.type !== 'auto') {
    throw badRequest(`tool_choice '${req.toolChoice.type}' needs at least one function tool.`, 'tool_choice', 'invalid_value');
  }
  const config = generationConfig(req, upstreamModel);
  if (Object.keys(config).length > 0) body.generationConfig = config;
  return { body, warnings };
}

function functionDeclarations(tools: Tool[] | undefined): GeminiFunctionDeclaration[] {
  const out: GeminiFunctionDeclaration[] = [];
  for (const [i, t] of (tools ?? []).entries()) {
    if (t.type === 'provider') {
      throw badRequest(`Tool type of tools[${i}] is specific to ${t.dialect} and cannot run on Gemini.`, `tools[${i}]`, 'unsupported_value');
    }
    const d: GeminiFunctionDeclaration = { name: t.name };
    if (t.description !== undefined) d.description = t.description;
    // parametersJsonSchema takes JSON Schema as is; `parameters` would need the OpenAPI subset (§5).
    d.parametersJsonSchema = t.parameters;
    out.push(d);
  }
  return out;
}

function callingConfig(choice: ToolChoice): NonNullable<GeminiRequest['toolConfig']>['functionCallingConfig'] {
  switch (choice.type) {
    case 'auto': return { mode: 'AUTO' };
    case 'none': return { mode: 'NONE' };
    case 'required': return { mode: 'ANY' };
    case 'tool': return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

function generationConfig(req: ChatRequest, model: string): GeminiGenerationConfig {
  const c: GeminiGenerationConfig = {};
  if (req.temperature !== undefined) c.temperature = req.temperature;
  if (req.topP !== undefined) c.topP = req.topP;
  if (req.topK !== undefined) c.topK = req.topK;
  if (req.maxTokens !== undefined) c.maxOutputTokens = req.maxTokens;
  if (req.stop !== undefined && req.stop.length > 0) c.stopSequences = req.stop;
  if (req.seed !== undefined) c.seed = req.seed;
  if (req.presencePenalty !== undefined) c.presencePenalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) c.frequencyPenalty = req.frequencyPenalty;
  if (req.n !== undefined && req.n !== 1) throw badRequest('Gemini adapter returns one choice; n must be 1.', 'n', 'unsupported_value');
  Object.assign(c, responseFormat(req.responseFormat));
  if (req.reasoning) {
    const thinking = toGeminiThinking(req.reasoning, model);
    if (thinking) c.thinkingConfig = thinking;
  }
  return c;
}

function responseFormat(f: ResponseFormat | undefined): GeminiGenerationConfig {
  if (!f || f.type === 'text') return {};
  if (f.type === 'json_object' || !f.schema) return { responseMimeType: 'application/json' };
  return { responseMimeType: 'application/json', responseJsonSchema: f.schema };
}
