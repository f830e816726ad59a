// Model groups: every deployment sharing a model name. Until the resilience work lands, a request goes to
// one deployment of its group picked at random, weighted by `weight` (else rpm, else tpm).
import { GatewayError } from '../canonical/index.ts';
import type { DeploymentConfig } from '../config/types.ts';
import { buildDeployment, type Deployment, type DeploymentDefaults } from './deployment.ts';

export type { Deployment, DeploymentDefaults } from './deployment.ts';

/** A model name's deployments; `unusable` explains the ones that could not be built. */
interface Group {
  usable: Deployment[];
  unusable: GatewayError[];
}

interface WildcardPattern {
  prefix: string;
  suffix: string;
  entries: DeploymentConfig[];
}

const MAX_WILDCARD_CACHE = 1000;

export class ModelRouter {
  private readonly groups = new Map<string, Group>();
  private readonly wildcards: WildcardPattern[] = [];
  private readonly wildcardCache = new Map<string, Group>();

  private readonly defaults: DeploymentDefaults;

  constructor(list: readonly DeploymentConfig[], defaults: DeploymentDefaults) {
    this.defaults = defaults;
    const exact = new Map<string, DeploymentConfig[]>();
    const wild = new Map<string, DeploymentConfig[]>();
    for (const cfg of list) {
      const into = cfg.model_name.includes('*') ? wild : exact;
      into.set(cfg.model_name, [...(into.get(cfg.model_name) ?? []), cfg]);
    }
    for (const [name, entries] of exact) this.groups.set(name, this.buildGroup(entries, (cfg) => cfg.litellm_params.model));
    for (const [name, entries] of wild) {
      const star = name.indexOf('*');
      this.wildcards.push({ prefix: name.slice(0, star), suffix: name.slice(star + 1), entries });
    }
  }

  /** Public model names (wildcard patterns excluded), in config order. */
  modelNames(): string[] {
    return [...this.groups.keys()];
  }

  has(model: string): boolean {
    return this.group(model) !== undefined;
  }

  /** Picks the deployment for a request, or throws: 404 `model_not_found` listing the valid names, or why none is usable. */
  pick(model: string): Deployment {
    const group = this.group(model);
    if (!group) throw modelNotFound(model, this.modelNames());
    const { usable } = group;
    if (usable.length === 0) throw group.unusable[0];
    return usable.length === 1 ? usable[0] : weightedPick(usable);
  }

  private buildGroup(entries: DeploymentConfig[], providerModel: (cfg: DeploymentConfig) => string): Group {
    const group: Group = { usable: [], unusable: [] };
    entries.forEach((cfg, i) => {
      const built = buildDeployment(cfg, cfg.model_info.id ?? `${cfg.model_name}.${i}`, providerModel(cfg), this.defaults);
      if (built instanceof GatewayError) group.unusable.push(built);
      else group.usable.push(built);
    });
    return group;
  }

  private group(model: string): Group | undefined {
    return this.groups.get(model) ?? this.wildcardGroup(model);
  }

  /** `model_name: "openai/*"` with `model: "openai/*"` serves `openai/<anything>`; `*` alone serves every name. */
  private wildcardGroup(model: string): Group | undefined {
    if (this.wildcards.length === 0) return undefined;
    const cached = this.wildcardCache.get(model);
    if (cached) return cached;
    for (const w of this.wildcards) {
      if (model.length < w.prefix.length + w.suffix.length) continue;
      if (!model.startsWith(w.prefix) || !model.endsWith(w.suffix)) continue;
      const captured = model.slice(w.prefix.length, model.length - w.suffix.length);
      const group = this.buildGroup(w.entries, (cfg) => cfg.litellm_params.model.replace('*', captured));
      if (this.wildcardCache.size >= MAX_WILDCARD_CACHE) this.wildcardCache.clear();
      this.wildcardCache.set(model, group);
      return group;
    }
    return undefined;
  }
}

function weightedPick(group: Deployment[]): Deployment {
  let total = 0;
  for (const d of group) total += d.weight;
  let r = Math.random() * total;
  for (const d of group) {
    r -= d.weight;
    if (r < 0) return d;
  }
  return group[group.length - 1];
}

function modelNotFound(model: string, names: string[]): GatewayError {
  const list = names.length > 0 ? names.join(', ') : '(none configured)';
  return new GatewayError({
    status: 404,
    kind: 'not_found',
    code: 'model_not_found',
    type: 'invalid_request_error',
    param: 'model',
    message: `The model '${model}' does not exist on this gateway. Available models: ${list}`,
  });
}
