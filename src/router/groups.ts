// Model groups: every deployment sharing a model name, built once at start-up. Wildcard names
// (`openai/*`, `*`) build their group on first use and keep it in a bounded cache.
import { GatewayError } from '../canonical/index.ts';
import type { DeploymentConfig } from '../config/types.ts';
import { buildDeployment, type Deployment, type DeploymentDefaults } from './deployment.ts';

/** A model name's deployments; `unusable` explains the ones that could not be built. */
export interface Group {
  name: string;
  usable: Deployment[];
  unusable: GatewayError[];
}

interface WildcardPattern {
  prefix: string;
  suffix: string;
  entries: DeploymentConfig[];
}

const MAX_WILDCARD_CACHE = 1000;

export class ModelGroups {
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
    for (const [name, entries] of exact) this.groups.set(name, this.build(name, entries, (cfg) => cfg.litellm_params.model));
    for (const [name, entries] of wild) {
      const star = name.indexOf('*');
      this.wildcards.push({ prefix: name.slice(0, star), suffix: name.slice(star + 1), entries });
    }
  }

  /** Public model names (wildcard patterns excluded), in config order. */
  names(): string[] {
    return [...this.groups.keys()];
  }

  all(): Group[] {
    return [...this.groups.values()];
  }

  get(model: string): Group | undefined {
    return this.groups.get(model) ?? this.wildcardGroup(model);
  }

  /** Every deployment id this config gives, including those of wildcard groups not built yet. */
  deploymentIds(): string[] {
    const ids = this.all().flatMap((g) => g.usable.map((d) => d.id));
    for (const w of this.wildcards) ids.push(...w.entries.map(deploymentId));
    return ids;
  }

  private build(name: string, entries: DeploymentConfig[], providerModel: (cfg: DeploymentConfig) => string): Group {
    const group: Group = { name, usable: [], unusable: [] };
    entries.forEach((cfg, i) => {
      const built = buildDeployment(cfg, deploymentId(cfg, i), providerModel(cfg), this.defaults);
      if (built instanceof GatewayError) group.unusable.push(built);
      else group.usable.push(built);
    });
    return group;
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
      const group = this.build(model, w.entries, (cfg) => cfg.litellm_params.model.replace('*', captured));
      if (this.wildcardCache.size >= MAX_WILDCARD_CACHE) this.wildcardCache.clear();
      this.wildcardCache.set(model, group);
      return group;
    }
    return undefined;
  }
}

/** `model_info.id`, else `<model_name>.<n>` (n: its place among the entries of that name): the same in every
 * process with the same config, so replicas can name a deployment to each other. A wildcard entry's id is
 * shared by every model it serves. */
function deploymentId(cfg: DeploymentConfig, i: number): string {
  return cfg.model_info.id ?? `${cfg.model_name}.${i}`;
}

export function modelNotFound(model: string, names: string[]): GatewayError {
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
