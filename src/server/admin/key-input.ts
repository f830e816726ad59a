// Reading /key/generate, /key/update and /key/regenerate bodies into store inputs.
import { badRequest } from '../../canonical/index.ts';
import { addDuration, type KeyPatch } from '../../store/index.ts';
import { limitFields, optBool, optDuration, optObject, optString, optStringList, stripUndefined, type Body } from './fields.ts';


/** The mutable key fields of a request; `duration` and `expires` both become `expires`. */
export function readKeyFields(b: Body, now: Date): KeyPatch {
  const duration = optDuration(b, 'duration');
  const expiresRaw = optString(b, 'expires');
  if (duration !== undefined && duration !== null && expiresRaw !== undefined && expiresRaw !== null) {
    throw badRequest("Give either 'duration' or 'expires', not both.", 'duration', 'invalid_field');
  }
  let expires: string | null | undefined;
  if (typeof duration === 'string') expires = addDuration(now, duration).toISOString();
  else if (duration === null) expires = null;
  if (typeof expiresRaw === 'string') {
    const t = Date.parse(expiresRaw);
    if (Number.isNaN(t)) throw badRequest(`'expires' must be an ISO time, got '${expiresRaw}'.`, 'expires', 'invalid_field');
    expires = new Date(t).toISOString();
  } else if (expiresRaw === null) expires = null;
  const alias = optString(b, 'key_alias');
  if (alias === '') throw badRequest("'key_alias' must not be empty; use null to remove it.", 'key_alias', 'invalid_field');
  return stripUndefined({
    ...limitFields(b),
    key_alias: alias,
    models: optStringList(b, 'models'),
    metadata: optObject(b, 'metadata'),
    tags: optStringList(b, 'tags'),
    team_id: optString(b, 'team_id'),
    user_id: optString(b, 'user_id'),
    organization_id: optString(b, 'organization_id'),
    blocked: optBool(b, 'blocked'),
    expires,
  });
}

/** A custom key given in `key` (generate) or `new_key` (regenerate) must look like one. */
export function customKey(b: Body, name: string): string | undefined {
  const v = optString(b, name);
  if (v === undefined || v === null) return undefined;
  if (!v.startsWith('sk-') || v.length < 12) throw badRequest(`'${name}' must start with 'sk-' and be at least 12 characters long.`, name, 'invalid_field');
  return v;
}
