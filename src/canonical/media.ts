// Small helpers shared by every dialect codec: plain-object checks and data URLs.
import { GatewayError } from './errors.ts';
import type { MediaSource } from './types.ts';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function optString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function optNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `data:<media type>;base64,<data>` → base64 source; anything else is a URL the provider fetches. */
export function sourceFromUrl(url: string): MediaSource {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const meta = comma === -1 ? '' : url.slice(5, comma);
    if (meta.endsWith(';base64')) return { kind: 'base64', mediaType: meta.slice(0, -7) || 'application/octet-stream', data: url.slice(comma + 1) };
  }
  return { kind: 'url', url };
}

/** The inverse of sourceFromUrl for base64 and URL sources. */
export function urlFromSource(source: MediaSource): string | undefined {
  if (source.kind === 'base64') return `data:${source.mediaType};base64,${source.data}`;
  if (source.kind === 'url') return source.url;
  return undefined;
}

/** Parses tool-call arguments; undefined when they are not a JSON object (the caller decides the policy). */
export function parseArguments(args: string): Json | undefined {
  if (args.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(args);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** An upstream response body as a JSON object; anything else is a 502 naming what was expected. */
export function parseUpstreamObject(raw: string, expected: string): Json {
  try {
    const v: unknown = JSON.parse(raw);
    if (isObject(v)) return v;
  } catch {
    // fall through: not JSON
  }
  throw new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_response', message: `Upstream returned a body that is not ${expected}` });
}
