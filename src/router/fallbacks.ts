// Which model names to try after a model group has spent its retries. Context-window and content-policy
// failures use their own lists first; everything else uses `fallbacks` (or the request's own list), then
// `default_fallbacks`.
import type { ErrorKind } from '../canonical/index.ts';
import type { FallbackList } from '../config/types.ts';

export interface FallbackSettings {
  generic: ReadonlyMap<string, readonly string[]>;
  contextWindow: ReadonlyMap<string, readonly string[]>;
  contentPolicy: ReadonlyMap<string, readonly string[]>;
  defaults: readonly string[];
}

export interface RequestFallbacks {
  /** The request's own `fallbacks` (LiteLLM accepts it in the body): replaces the configured generic list. */
  fallbacks?: readonly string[];
  /** `disable_fallbacks: true` in the body. */
  disabled?: boolean;
}

export function fallbackSettings(
  generic: FallbackList | undefined,
  contextWindow: FallbackList | undefined,
  contentPolicy: FallbackList | undefined,
  defaults: readonly string[] | undefined,
): FallbackSettings {
  return { generic: toMap(generic), contextWindow: toMap(contextWindow), contentPolicy: toMap(contentPolicy), defaults: defaults ?? [] };
}

export function fallbacksFor(model: string, kind: ErrorKind, s: FallbackSettings, req: RequestFallbacks): readonly string[] {
  if (req.disabled) return [];
  if (kind === 'context_window') {
    const own = s.contextWindow.get(model);
    if (own) return own;
  }
  if (kind === 'content_policy') {
    const own = s.contentPolicy.get(model);
    if (own) return own;
  }
  return req.fallbacks ?? s.generic.get(model) ?? s.defaults;
}

/** Every model name the settings mention, for a start-up check against model_list. */
export function referencedModels(s: FallbackSettings): string[] {
  const names = new Set<string>(s.defaults);
  for (const map of [s.generic, s.contextWindow, s.contentPolicy]) {
    for (const [from, to] of map) {
      names.add(from);
      for (const t of to) names.add(t);
    }
  }
  return [...names];
}

function toMap(list: FallbackList | undefined): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const entry of list ?? []) for (const [model, targets] of Object.entries(entry)) map.set(model, targets);
  return map;
}
