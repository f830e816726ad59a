// Unsupported-parameter policy (LiteLLM's `drop_params`): a request feature the upstream cannot honour is a
// 400 naming the parameter and the provider, unless drop_params is on, in which case it is removed before
// the request is built. Values that do not change semantics (n: 1, logprobs: false) are not "used".
import { GatewayError } from './errors.ts';
import type { CanonicalParam, ChatRequest, Dialect, Message } from './types.ts';

/** One feature a request uses: the canonical name and, for extensions and provider tools, the wire name. */
export interface UsedParam {
  param: CanonicalParam | 'extension';
  /** The name shown to the client: the OpenAI parameter, or the inbound field for extensions. */
  name: string;
}

const SCALARS: [CanonicalParam, keyof ChatRequest][] = [
  ['max_tokens', 'maxTokens'],
  ['temperature', 'temperature'],
  ['top_p', 'topP'],
  ['top_k', 'topK'],
  ['seed', 'seed'],
  ['presence_penalty', 'presencePenalty'],
  ['frequency_penalty', 'frequencyPenalty'],
  ['logit_bias', 'logitBias'],
  ['top_logprobs', 'topLogprobs'],
  ['tool_choice', 'toolChoice'],
  ['parallel_tool_calls', 'parallelToolCalls'],
  ['user', 'user'],
  ['metadata', 'metadata'],
  ['service_tier', 'serviceTier'],
];

/** The optional features `req` uses, in a stable order. */
export function usedParams(req: ChatRequest): UsedParam[] {
  const out: UsedParam[] = [];
  for (const [param, field] of SCALARS) if (req[field] !== undefined) out.push({ param, name: param });
  if (req.stop && req.stop.length > 0) out.push({ param: 'stop', name: 'stop' });
  if (req.n !== undefined && req.n !== 1) out.push({ param: 'n', name: 'n' });
  if (req.logprobs === true) out.push({ param: 'logprobs', name: 'logprobs' });
  if (req.tools && req.tools.length > 0) out.push({ param: 'tools', name: 'tools' });
  if (req.responseFormat && req.responseFormat.type !== 'text') out.push({ param: 'response_format', name: 'response_format' });
  if (req.reasoning) out.push({ param: 'reasoning_effort', name: 'reasoning_effort' });
  if (hasPart(req.messages, 'audio')) out.push({ param: 'input_audio', name: 'input_audio' });
  if (hasPart(req.messages, 'document')) out.push({ param: 'input_document', name: 'input_document' });
  return out;
}

function hasPart(messages: Message[], type: 'audio' | 'document'): boolean {
  for (const m of messages) {
    if (m.role === 'user' && m.content.some((p) => p.type === type)) return true;
    if (m.role === 'tool' && type === 'document') {
      for (const r of m.content) if (Array.isArray(r.content) && r.content.some((p) => p.type === 'document')) return true;
    }
  }
  return false;
}

export interface ParamPolicy {
  dialect: Dialect;
  provider: string;
  supported: ReadonlySet<CanonicalParam>;
  dropParams: boolean;
}

/**
 * Returns `req` unchanged when the upstream supports everything it uses; otherwise throws a 400 naming the
 * first unsupported parameter, or (drop_params) returns a copy without them.
 */
export function applyParamPolicy(req: ChatRequest, policy: ParamPolicy): ChatRequest {
  const unsupported = unsupportedParams(req, policy);
  if (unsupported.length === 0) return req;
  if (!policy.dropParams) throw unsupportedError(unsupported, policy.provider);
  return dropParams(req, unsupported, policy);
}

export function unsupportedParams(req: ChatRequest, policy: Pick<ParamPolicy, 'dialect' | 'supported'>): UsedParam[] {
  const out = usedParams(req).filter((u) => u.param !== 'extension' && !policy.supported.has(u.param));
  for (const t of req.tools ?? []) {
    if (t.type === 'provider' && t.dialect !== policy.dialect) out.push({ param: 'tools', name: `tools (${describeTool(t.definition)})` });
  }
  if (req.extensions && req.extensions.dialect !== policy.dialect) {
    for (const name of Object.keys(req.extensions.fields)) out.push({ param: 'extension', name });
  }
  return out;
}

function describeTool(def: Record<string, unknown>): string {
  return typeof def.type === 'string' ? `type ${def.type}` : typeof def.name === 'string' ? def.name : 'provider tool';
}

function unsupportedError(list: UsedParam[], provider: string): GatewayError {
  const names = [...new Set(list.map((u) => u.name))];
  const quoted = names.map((n) => `'${n}'`).join(', ');
  const noun = names.length === 1 ? 'Parameter' : 'Parameters';
  return new GatewayError({
    status: 400,
    kind: 'bad_request',
    code: 'unsupported_parameter',
    type: 'invalid_request_error',
    param: names[0],
    message:
      `${noun} ${quoted} ${names.length === 1 ? 'is' : 'are'} not supported by provider '${provider}'. ` +
      'Remove it from the request, or set `drop_params: true` (litellm_settings or the deployment) to drop unsupported parameters.',
  });
}

function dropParams(req: ChatRequest, list: UsedParam[], policy: ParamPolicy): ChatRequest {
  const out: ChatRequest = { ...req };
  const drop = new Set(list.map((u) => u.param));
  for (const [param, field] of SCALARS) if (drop.has(param)) delete out[field];
  if (drop.has('stop')) delete out.stop;
  if (drop.has('n')) delete out.n;
  if (drop.has('logprobs')) delete out.logprobs;
  if (drop.has('response_format')) delete out.responseFormat;
  if (drop.has('reasoning_effort')) delete out.reasoning;
  if (drop.has('tools')) {
    const kept = policy.supported.has('tools') ? (req.tools ?? []).filter((t) => t.type === 'function' || t.dialect === policy.dialect) : [];
    if (kept.length > 0) out.tools = kept;
    else {
      delete out.tools;
      delete out.toolChoice;
      delete out.parallelToolCalls;
    }
  }
  if (drop.has('extension')) delete out.extensions;
  if (drop.has('input_audio') || drop.has('input_document')) out.messages = dropParts(req.messages, drop);
  return out;
}

function dropParts(messages: Message[], drop: Set<string>): Message[] {
  const gone = (type: string): boolean =>
    (type === 'audio' && drop.has('input_audio')) || (type === 'document' && drop.has('input_document'));
  return messages.map((m) => (m.role === 'user' ? { ...m, content: m.content.filter((p) => !gone(p.type)) } : m));
}
