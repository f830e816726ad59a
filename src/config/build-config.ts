// From resolved YAML data to GatewayConfig: validates every deployment and section, collecting all issues.
import type { z } from 'zod';
import { findPreset, splitProviderModel } from '../providers/presets.ts';
import { deploymentSchema, generalSettingsSchema, litellmSettingsSchema, ROUTING_STRATEGIES, routerSettingsSchema } from './schema.ts';
import type { ConfigIssue, DeploymentConfig, GatewayConfig } from './types.ts';
import { validateAt } from './validate.ts';
import { issueAt, type Segment, type YamlSource } from './yaml-paths.ts';

export interface FileData {
  source: YamlSource;
  data: Record<string, unknown>;
}

interface Entry {
  source: YamlSource;
  at: Segment[];
  raw: unknown;
}

export interface Built {
  config: GatewayConfig;
  entries: unknown[];
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** `main` first, then the included files in order: their model_list entries are numbered as one list. */
export function buildConfig(main: FileData, included: readonly FileData[], environmentVariables: Record<string, string>): Built {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const entries = collectEntries([main, ...included], errors);
  const model_list = buildDeployments(entries, errors, warnings);
  if (entries.length === 0) warnings.push(issueAt(main.source, ['model_list'], 'no models configured'));
  const sections = {
    general_settings: validateAt(generalSettingsSchema, main.data.general_settings, main.source, ['general_settings']),
    litellm_settings: validateAt(litellmSettingsSchema, main.data.litellm_settings, main.source, ['litellm_settings']),
    router_settings: validateAt(routerSettingsSchema, main.data.router_settings, main.source, ['router_settings']),
  };
  for (const result of Object.values(sections)) if (!result.ok) errors.push(...result.issues);
  const strategy = sections.router_settings.ok ? sections.router_settings.value.routing_strategy : undefined;
  if (strategy !== undefined && !(ROUTING_STRATEGIES as readonly string[]).includes(strategy)) {
    warnings.push(
      issueAt(main.source, ['router_settings', 'routing_strategy'], `'${strategy}' is not supported; using simple-shuffle (supported: ${ROUTING_STRATEGIES.join(', ')})`),
    );
  }
  const config = {
    model_list,
    general_settings: sections.general_settings.ok ? sections.general_settings.value : {},
    litellm_settings: sections.litellm_settings.ok ? sections.litellm_settings.value : {},
    router_settings: sections.router_settings.ok ? sections.router_settings.value : {},
    environment_variables: environmentVariables,
  } as GatewayConfig;
  return { config, entries: entries.map((e) => e.raw), errors, warnings };
}

function collectEntries(files: readonly FileData[], errors: ConfigIssue[]): Entry[] {
  const entries: Entry[] = [];
  for (const { source, data } of files) {
    const list = data.model_list;
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      errors.push(issueAt(source, ['model_list'], 'expected a list of deployments (- model_name: ...)'));
      continue;
    }
    list.forEach((raw, j) => entries.push({ source, at: ['model_list', j], raw }));
  }
  return entries;
}

function buildDeployments(entries: readonly Entry[], errors: ConfigIssue[], warnings: ConfigIssue[]): DeploymentConfig[] {
  const deployments: DeploymentConfig[] = [];
  entries.forEach((entry, i) => {
    const result = validateAt(deploymentSchema, entry.raw, entry.source, entry.at);
    if (!result.ok) {
      errors.push(...result.issues);
      return;
    }
    const deployment = toDeployment(result.value, `model_list[${i}]`);
    deployments.push(deployment);
    const warning = providerWarning(entry, deployment);
    if (warning) warnings.push(warning);
  });
  return deployments;
}

function toDeployment(entry: z.output<typeof deploymentSchema>, path: string): DeploymentConfig {
  const { rpm, tpm, ...rest } = entry;
  const litellm_params = { ...(rpm === undefined ? {} : { rpm }), ...(tpm === undefined ? {} : { tpm }), ...rest.litellm_params };
  return { ...rest, litellm_params, path } as DeploymentConfig;
}

function providerWarning(entry: Entry, deployment: DeploymentConfig): ConfigIssue | undefined {
  const { prefix } = splitProviderModel(deployment.litellm_params.model);
  if (findPreset(prefix)) return undefined;
  return issueAt(
    entry.source,
    [...entry.at, 'litellm_params', 'model'],
    `provider '${prefix}' is not supported yet; requests to model '${deployment.model_name}' will fail with 501`,
  );
}
