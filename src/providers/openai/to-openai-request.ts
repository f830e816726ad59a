// Pass-through request building for OpenAI-shaped upstreams: copy the client's body and change only what
// igw must (DESIGN.md "parse once"): the model, stream usage, and the quirks of the target server.

export interface OpenAIChatQuirks {
  noStreamOptions?: boolean;
  noDeveloperRole?: boolean;
}

export function toOpenAIChatBody(
  body: Record<string, unknown>,
  upstreamModel: string | undefined,
  stream: boolean,
  quirks: OpenAIChatQuirks,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  if (upstreamModel !== undefined) out.model = upstreamModel;
  if (stream && !quirks.noStreamOptions) out.stream_options = withUsage(body.stream_options);
  if (quirks.noDeveloperRole && Array.isArray(body.messages)) out.messages = developerToSystem(body.messages);
  return out;
}

/** igw needs usage on every stream (cost, tpm); the extra chunk is withheld from clients that did not ask. */
function withUsage(streamOptions: unknown): Record<string, unknown> {
  const base = streamOptions && typeof streamOptions === 'object' ? (streamOptions as Record<string, unknown>) : {};
  return base.include_usage === true ? base : { ...base, include_usage: true };
}

function developerToSystem(messages: unknown[]): unknown[] {
  if (!messages.some(isDeveloper)) return messages;
  return messages.map((m) => (isDeveloper(m) ? { ...(m as object), role: 'system' } : m));
}

function isDeveloper(m: unknown): boolean {
  return !!m && typeof m === 'object' && (m as { role?: unknown }).role === 'developer';
}

export function toOpenAIEmbeddingsBody(
  body: Record<string, unknown>,
  upstreamModel: string | undefined,
  base64Supported: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  if (upstreamModel !== undefined) out.model = upstreamModel;
  if (!base64Supported && out.encoding_format === 'base64') out.encoding_format = 'float';
  return out;
}
