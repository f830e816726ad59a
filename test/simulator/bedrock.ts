// Bedrock Runtime routes of the simulator (reference §6): POST /model/{modelId}/converse, /converse-stream
// (application/vnd.amazon.eventstream) and /invoke (Titan and Cohere embeddings). Auth is SigV4, checked by
// recomputing the signature (./bedrock-sigv4.ts), or a Bedrock API key as Bearer. Faults become Bedrock's
// exceptions: x-amzn-ErrorType + {"message"} before the stream, exception messages inside it.
import { randomUUID } from 'node:crypto';
import { verifySigV4, type AwsKey } from './bedrock-sigv4.ts';
import { converseBody, converseStream, converseToPlanBody, exceptionMessage, guardrailBody, validateConverse, type BedrockRender } from './bedrock-reply.ts';
import { planChat } from './chat.ts';
import { chooseFault, connectionFault, sendBody, sendHalf, writeFrames, type DialectCall, type DialectHandler } from './dialect.ts';
import { parseDirectives } from './directives.ts';
import { embed } from './embeddings.ts';
import type { Fault } from './types.ts';

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

/** Default SigV4 key pair accepted by the simulator (SimulatorOptions.awsKeys overrides). */
export const SIM_AWS_KEY: AwsKey = { accessKeyId: 'AKIASIMULATOR0000001', secretAccessKey: 'sim/secret/key+0123456789abcdefghijklmn' };

export function bedrockRoute(method: string, path: string): DialectHandler | undefined {
  const m = method === 'POST' ? ROUTE.exec(path) : null;
  if (!m) return undefined;
  const modelId = decodeURIComponent(m[1]);
  const op = m[2];
  return (call) => handle(call, modelId, op, m[1]);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...extra };
}

function exception(call: DialectCall, status: number, type: string, message: string): void {
  sendBody(call.res, status, JSON.stringify({ message }), headers({ 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` }));
}

async function authorized(call: DialectCall, encodedId: string, op: string): Promise<boolean> {
  const { opts } = call.shared;
  const auth = call.req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ')) {
    if (opts.apiKey === undefined || auth === `Bearer ${opts.apiKey}`) return true;
    exception(call, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    return false;
  }
  if (opts.apiKey === undefined && !opts.awsKeys) return true;
  const q = call.req.url?.indexOf('?') ?? -1;
  const result = await verifySigV4(call.req, `/model/${encodedId}/${op}`, q < 0 ? '' : call.req.url!.slice(q + 1), call.raw, opts.awsKeys ?? [SIM_AWS_KEY]);
  if (result.ok) return true;
  exception(call, result.status, result.type, result.message);
  return false;
}

async function handle(call: DialectCall, modelId: string, op: string, encodedId: string): Promise<void> {
  if (!(await authorized(call, encodedId, op))) return;
  const b = call.body;
  if (!b) return exception(call, 400, 'SerializationException', 'Could not parse the request body as JSON.');
  if (op === 'invoke') return invoke(call, modelId);
  const invalid = validateConverse(b);
  if (invalid) return exception(call, 400, 'ValidationException', invalid);
  const { body: planBody, lastUser } = converseToPlanBody(b);
  const d = parseDirectives(lastUser);
  if (d.faultError) return exception(call, 400, 'ValidationException', `simulator: ${d.faultError}`);
  const fault = chooseFault(call.queued, d, call.shared);
  if (await connectionFault(fault, call)) return;
  if (fault && preStreamFault(call, fault, modelId)) return;
  const plan = planChat(planBody, modelId, d, call.shared.counters);
  const render: BedrockRender = { thinking: b.additionalModelRequestFields?.thinking?.type === 'enabled', signature: `sim-sig-${plan.id}` };
  const guardrail = fault?.kind === 'content_filter';
  if (op === 'converse') {
    const out = guardrail ? guardrailBody(plan.usage.prompt_tokens) : converseBody(plan, render);
    if (fault?.kind === 'stream_error') return exception(call, 500, 'InternalServerException', fault.message ?? 'Internal server error');
    if (fault?.kind === 'cut_stream') return sendHalf(call.res, out, headers());
    return sendBody(call.res, 200, out, headers());
  }
  call.res.writeHead(200, headers({ 'content-type': 'application/vnd.amazon.eventstream' }));
  await writeFrames(call.res, converseStream(plan, render, guardrail), fault, () => streamException(fault));
}

/** `stream_error` → an exception message; a message about throttling picks throttlingException. */
function streamException(fault: Fault | undefined): Uint8Array {
  const message = fault?.kind === 'stream_error' && fault.message ? fault.message : 'The system encountered an unexpected error during processing. Try your request again.';
  const type = /too many|throttl/i.test(message) ? 'throttlingException' : 'modelStreamErrorException';
  return exceptionMessage(type, message);
}

const STATUS_TYPES: Record<number, string> = {
  400: 'ValidationException', 403: 'AccessDeniedException', 404: 'ResourceNotFoundException', 408: 'ModelTimeoutException',
  424: 'ModelErrorException', 429: 'ThrottlingException', 500: 'InternalServerException', 503: 'ServiceUnavailableException',
};

function preStreamFault(call: DialectCall, f: Fault, modelId: string): boolean {
  switch (f.kind) {
    case 'rate_limit': exception(call, 429, 'ThrottlingException', 'Too many requests, please wait before trying again.'); return true;
    case 'server_error': {
      const status = f.status ?? 500;
      if (status === 502) sendBody(call.res, 502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
      else exception(call, status, status === 503 ? 'ServiceUnavailableException' : 'InternalServerException', status === 503 ? 'Bedrock is unable to process your request.' : 'Internal server error');
      return true;
    }
    case 'overloaded': exception(call, 503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'); return true;
    case 'status': exception(call, f.status, STATUS_TYPES[f.status] ?? 'UnknownError', `Simulated ${f.status} error`); return true;
    case 'context_length': exception(call, 400, 'ValidationException', 'Input is too long for requested model.'); return true;
    case 'invalid_key': exception(call, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'); return true;
    case 'model_not_found': exception(call, 404, 'ResourceNotFoundException', `Could not resolve the foundation model from the provided model identifier ${modelId}.`); return true;
    default: return false;
  }
}

/** InvokeModel for the embedding models: Titan (one text) and Cohere (a batch). */
function invoke(call: DialectCall, modelId: string): void {
  const b = call.body;
  if (call.queued && preStreamFault(call, call.queued, modelId)) return;
  const vector = (text: string, dims: unknown) => Array.from(embed(text, typeof dims === 'number' ? dims : 8));
  if (/amazon\.titan-embed/.test(modelId)) {
    if (typeof b.inputText !== 'string') return exception(call, 400, 'ValidationException', 'Malformed input request: required key [inputText] not found');
    const tokens = Math.max(1, Math.ceil(b.inputText.length / 4));
    return sendBody(call.res, 200, JSON.stringify({ embedding: vector(b.inputText, b.dimensions), embeddingsByType: {}, inputTextTokenCount: tokens }), headers());
  }
  if (/cohere\.embed/.test(modelId)) {
    if (!Array.isArray(b.texts) || !b.input_type) return exception(call, 400, 'ValidationException', 'Malformed input request: texts and input_type are required');
    const vectors = b.texts.map((t: string) => vector(t, b.output_dimension));
    const embeddings = Array.isArray(b.embedding_types) ? { float: vectors } : vectors;
    return sendBody(call.res, 200, JSON.stringify({ embeddings, id: randomUUID(), response_type: Array.isArray(b.embedding_types) ? 'embeddings_by_type' : 'embeddings_floats', texts: b.texts }), headers());
  }
  exception(call, 400, 'ValidationException', `The provided model identifier ${modelId} does not support InvokeModel here.`);
}
