// Pass-through request building for OpenAI-shaped upstreams: copy the client's body and change only what
// igw must (DESIGN.md "parse once"): the model, stream usage, and the quirks of the target server.
import type { ChatBuildOptions } from '../types.ts';

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

/** The pass-through body for an OpenAI-shaped upstream: the client's text edited where it can be, else serialised anew. */
export function openAIChatBodyText(body: Record<string, unknown>, opts: ChatBuildOptions, upstreamModel: string | undefined, quirks: OpenAIChatQuirks): string {
  const spliced = opts.bodyText === undefined ? undefined : splicedOpenAIChatBody(opts.bodyText, body, upstreamModel, opts.stream, quirks);
  return spliced ?? JSON.stringify(toOpenAIChatBody(body, upstreamModel, opts.stream, quirks));
}

/**
 * The upstream body as text, made from the client's text rather than by serialising `body` again, when the
 * change is one this can make by splicing (DESIGN.md "parse once"): the model, written as the text's first key,
 * and `stream_options` added when the client sent none. `text` is what `body` was parsed from, unchanged
 * since. Undefined when the text must be serialised anew: any other change, a model key that is not first or
 * not alone, or pretty-printed text. Numbers, escapes and key order then reach the upstream as the client wrote them.
 */
export function splicedOpenAIChatBody(
  text: string,
  body: Record<string, unknown>,
  upstreamModel: string | undefined,
  stream: boolean,
  quirks: OpenAIChatQuirks,
): string | undefined {
  if (typeof body.model !== 'string') return undefined;
  if (quirks.noDeveloperRole && Array.isArray(body.messages) && body.messages.some(isDeveloper)) return undefined;
  const addStreamOptions = stream && !quirks.noStreamOptions && !hasUsageOption(body.stream_options);
  if (addStreamOptions && body.stream_options !== undefined) return undefined;
  let out = text;
  if (upstreamModel !== undefined && upstreamModel !== body.model) {
    const head = `{"model":${JSON.stringify(body.model)}`;
    if (!text.startsWith(head) || !soleModelKey(text, head.length)) return undefined;
    out = `{"model":${JSON.stringify(upstreamModel)}${text.slice(head.length)}`;
  }
  // The text parsed as an object with a model in it: its last `}` closes it, after at least one member.
  if (addStreamOptions) out = `${out.slice(0, out.lastIndexOf('}'))},"stream_options":{"include_usage":true}}`;
  return out;
}

/**
 * No other "model" key after `from`: JSON.parse keeps the last of duplicate keys, so a second one would be what
 * the client meant. A key can also be spelled with \u escapes; text with any escape of that form is left alone.
 */
function soleModelKey(text: string, from: number): boolean {
  return text.indexOf('"model"', from) === -1 && text.indexOf('\\u', from) === -1;
}

function hasUsageOption(streamOptions: unknown): boolean {
  return !!streamOptions && typeof streamOptions === 'object' && (streamOptions as Record<string, unknown>).include_usage === true;
}

/** igw needs usage on every stream (cost, tpm); the extra chunk is withheld from clients that did not ask. */
function withUsage(streamOptions: unknown): Record<string, unknown> {
  if (hasUsageOption(streamOptions)) return streamOptions as Record<string, unknown>;
  const base = streamOptions && typeof streamOptions === 'object' ? streamOptions : {};
  return { ...base, include_usage: true };
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
