// LiteLLM keys igw accepts but does not act on yet, gathered into one warning so real configs load quietly.
import { isPlainMap } from './resolve-env.ts';
import { SUPPORTED_KEYS } from './schema.ts';
import type { ConfigIssue } from './types.ts';

type SectionName = 'general_settings' | 'litellm_settings' | 'router_settings';
const SECTIONS: readonly SectionName[] = ['general_settings', 'litellm_settings', 'router_settings'];

/** Names like `guardrails`, `litellm_settings.callbacks`, `litellm_params.aws_region_name`, in first-seen order. */
export function unsupportedKeys(root: Record<string, unknown>, deployments: readonly unknown[]): string[] {
  const found = new Set<string>();
  addUnknown(found, root, SUPPORTED_KEYS.top, '');
  for (const name of SECTIONS) {
    if (isPlainMap(root[name])) addUnknown(found, root[name], SUPPORTED_KEYS[name], `${name}.`);
  }
  for (const entry of deployments) {
    if (!isPlainMap(entry)) continue;
    addUnknown(found, entry, SUPPORTED_KEYS.deployment, 'model_list[].');
    if (isPlainMap(entry.litellm_params)) addUnknown(found, entry.litellm_params, SUPPORTED_KEYS.litellm_params, 'litellm_params.');
  }
  return [...found];
}

export function unsupportedKeysWarning(keys: readonly string[]): ConfigIssue | undefined {
  if (keys.length === 0) return undefined;
  return { path: '', message: `not supported yet (ignored): ${keys.join(', ')}` };
}

function addUnknown(found: Set<string>, map: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(map)) {
    if (!known.includes(key)) found.add(prefix + key);
  }
}
