// Azure OpenAI specifics (reference §7): URL forms, content-filter annotations, the prompt-filter 400 body.

const SAFE = { filtered: false, severity: 'safe' };
const NOT_DETECTED = { filtered: false, detected: false };

export const PROMPT_FILTER_RESULTS = [{
  prompt_index: 0,
  content_filter_results: { hate: SAFE, jailbreak: NOT_DETECTED, self_harm: SAFE, sexual: SAFE, violence: SAFE },
}];

/** Per-choice annotations on non-stream responses and on the delta-less annotation chunk. */
export const CHOICE_FILTER_RESULTS = {
  hate: SAFE, protected_material_code: NOT_DETECTED, protected_material_text: NOT_DETECTED,
  self_harm: SAFE, sexual: SAFE, violence: SAFE,
};

/** Per-choice annotations on streamed content deltas. */
export const STREAM_FILTER_JSON = JSON.stringify({ hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE });

/** The filter-only first event of every Azure stream. */
export const AZURE_FIRST_EVENT =
  `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER_RESULTS })}\n\n`;

/** Prompt filtered → HTTP 400, body verbatim from the reference (§7; the message is elided there too). */
export const CONTENT_FILTER_400 = JSON.stringify({
  error: {
    message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. …",
    type: null, param: 'prompt', code: 'content_filter', status: 400,
    innererror: {
      code: 'ResponsibleAIPolicyViolation',
      content_filter_result: {
        hate: SAFE, jailbreak: NOT_DETECTED, self_harm: SAFE,
        sexual: { filtered: true, severity: 'high' }, violence: SAFE,
      },
    },
  },
});

/** Azure's own error shape (no type/param). */
export function azureError(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

export const AZURE_NOT_FOUND = azureError('404', 'Resource not found');

export type AzureOp = 'chat' | 'embeddings' | 'models';

export interface AzureRoute {
  op: AzureOp;
  /** Classic form only: the deployment, which becomes the response `model`. */
  deployment?: string;
}

const V1: Record<string, AzureOp> = {
  'POST /openai/v1/chat/completions': 'chat',
  'POST /openai/v1/embeddings': 'embeddings',
  'GET /openai/v1/models': 'models',
};

/** Classic `/openai/deployments/{d}/{op}` or v1 `/openai/v1/{op}`; null when not an Azure operation. */
export function parseAzurePath(method: string, path: string): AzureRoute | null {
  const v1 = V1[`${method} ${path}`];
  if (v1) return { op: v1 };
  if (method !== 'POST' || !path.startsWith('/openai/deployments/')) return null;
  const rest = path.slice('/openai/deployments/'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const op = rest.slice(slash + 1);
  const deployment = decodeURIComponent(rest.slice(0, slash));
  if (op === 'chat/completions') return { op: 'chat', deployment };
  if (op === 'embeddings') return { op: 'embeddings', deployment };
  return null;
}
