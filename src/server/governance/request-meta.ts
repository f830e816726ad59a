// What a request says about itself for spend reporting: tags (`metadata.tags` in the body, or the
// `x-igw-tags` / LiteLLM `x-litellm-tags` header, comma-separated), free-form metadata, and the end-user (the
// OpenAI `user` field, else `safety_identifier`; Anthropic's `metadata.user_id` on /v1/messages). `metadata`
// is also an OpenAI and an Anthropic parameter, so it is still sent upstream, less `tags` (an array, which the
// providers would refuse); LiteLLM's own `litellm_metadata` is igw's alone and is taken out of the body.
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../../canonical/index.ts';

export interface RequestMeta {
  tags: string[];
  metadata: Record<string, unknown>;
  endUser: string | null;
  /** The body field that named the end-user (`user`, `safety_identifier`, `metadata.user_id`), for errors. */
  endUserParam: string | null;
}

/** Where a dialect names the end-user: OpenAI's `user`, Anthropic's `metadata.user_id`. */
export type EndUserField = 'user' | 'metadata.user_id';

const TAG_HEADERS = ['x-igw-tags', 'x-litellm-tags'] as const;
const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 200;
/** A spend-log row keeps at most this much request metadata (JSON characters). */
const MAX_METADATA_CHARS = 16_384;

/** Shared by every request that brings no tags or metadata (most): never changed. */
const NO_TAGS: string[] = Object.freeze([]) as unknown as string[];
const NO_METADATA: Record<string, unknown> = Object.freeze({});

export function takeRequestMeta(body: Record<string, unknown>, headers: IncomingHttpHeaders, endUserField: EndUserField = 'user'): RequestMeta {
  const { endUser, endUserParam } = endUserOf(body, endUserField);
  if (!hasBodyMeta(body) && !hasTagHeader(headers)) return { tags: NO_TAGS, metadata: NO_METADATA, endUser, endUserParam };
  const tags = new Set<string>();
  const metadata: Record<string, unknown> = {};
  for (const field of ['litellm_metadata', 'metadata'] as const) {
    const raw = body[field];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequest(`'${field}' must be an object, e.g. {"tags": ["team-a"]}.`, field, 'invalid_type');
    }
    const { tags: bodyTags, ...rest } = raw as Record<string, unknown>;
    if (bodyTags !== undefined && bodyTags !== null && !Array.isArray(bodyTags)) {
      throw badRequest(`'${field}.tags' must be an array of strings.`, `${field}.tags`, 'invalid_type');
    }
    for (const t of (bodyTags as unknown[] | undefined) ?? []) addTag(tags, t);
    Object.assign(metadata, rest);
    if (field === 'litellm_metadata') delete body.litellm_metadata;
    else if (bodyTags !== undefined) withoutTags(body, rest);
  }
  for (const h of TAG_HEADERS) for (const t of headerValues(headers[h])) addTag(tags, t);
  return { tags: [...tags], metadata: bounded(metadata), endUser, endUserParam };
}

/**
 * Whether the body brings `metadata` or `litellm_metadata`. Without them takeRequestMeta leaves the body as it
 * is; with them it may take `litellm_metadata` out, and `tags` out of `metadata`.
 */
export function hasBodyMeta(body: Record<string, unknown>): boolean {
  return body.litellm_metadata != null || body.metadata != null;
}

function hasTagHeader(headers: IncomingHttpHeaders): boolean {
  for (const h of TAG_HEADERS) if (headers[h] !== undefined) return true;
  return false;
}

/**
 * The end-user id, when the field holds a non-empty string (the provider validates the rest). OpenAI has
 * deprecated `user` in favour of `safety_identifier`: a client that moved to the new field keeps its
 * customer's budget and spend attribution; `user` wins when both are given (LiteLLM reads `user`).
 */
function endUserOf(body: Record<string, unknown>, field: EndUserField): { endUser: string | null; endUserParam: string | null } {
  if (field === 'metadata.user_id') return named(anthropicUserId(body.metadata), field);
  const user = named(body.user, 'user');
  return user.endUser !== null ? user : named(body.safety_identifier, 'safety_identifier');
}

/** A non-empty string names the end-user. */
function named(value: unknown, param: string): { endUser: string | null; endUserParam: string | null } {
  return typeof value === 'string' && value.length > 0 ? { endUser: value, endUserParam: param } : NO_END_USER;
}

const NO_END_USER = Object.freeze({ endUser: null, endUserParam: null });

function anthropicUserId(metadata: unknown): unknown {
  return typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).user_id : undefined;
}

/** The body's `metadata` less `tags`, or none when tags were all it had. */
function withoutTags(body: Record<string, unknown>, rest: Record<string, unknown>): void {
  if (Object.keys(rest).length > 0) body.metadata = rest;
  else delete body.metadata;
}

function headerValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v.join(',') : v).split(',');
}

function addTag(tags: Set<string>, t: unknown): void {
  if (typeof t !== 'string') return;
  const tag = t.trim();
  if (tag.length > 0 && tag.length <= MAX_TAG_LENGTH && tags.size < MAX_TAGS) tags.add(tag);
}

function bounded(metadata: Record<string, unknown>): Record<string, unknown> {
  const size = JSON.stringify(metadata).length;
  return size <= MAX_METADATA_CHARS ? metadata : { igw_metadata_truncated: true, size };
}
