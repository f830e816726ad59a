// igw's config.yaml (LiteLLM proxy compatible): load, resolve os.environ/ references, validate, freeze.
import { buildConfig, type FileData } from './build-config.ts';
import { envRefIssues, type LoadMode } from './env-issues.ts';
import { ConfigError } from './errors.ts';
import { deepFreeze } from './freeze.ts';
import { loadIncludes } from './includes.ts';
import { readYamlFile } from './load-yaml.ts';
import { isPlainMap, readEnvironmentVariables, resolveEnvRefs, type Env, type UnsetRef } from './resolve-env.ts';
import type { ConfigIssue, LoadedConfig } from './types.ts';
import { unsupportedKeys, unsupportedKeysWarning } from './unsupported-keys.ts';
import { issueAt, type YamlSource } from './yaml-paths.ts';

export { ConfigError, formatIssues } from './errors.ts';
export type { LoadMode } from './env-issues.ts';
export type { ConfigIssue, DeploymentConfig, GatewayConfig, LitellmParams, LoadedConfig } from './types.ts';

export interface LoadOptions {
  /** Environment for os.environ/ references; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** `serve` (default) also copies environment_variables into process.env and requires a set master key. */
  mode?: LoadMode;
}

/** Throws ConfigError listing every problem; otherwise returns the deep-frozen config and its warnings. */
export async function loadConfig(file: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const mode = opts.mode ?? 'serve';
  const parsed = await readYamlFile(file, false);
  if (!parsed.ok) throw new ConfigError(file, parsed.issues);
  const { source } = parsed;
  const root = parsed.data ?? {};
  if (!isPlainMap(root)) {
    throw new ConfigError(file, [issueAt(source, [], 'expected a map of sections (model_list, general_settings, ...)')]);
  }

  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const env = applyEnvironmentVariables(source, root, opts.env ?? process.env, mode, errors);
  const includes = await loadIncludes(source, root.include);
  errors.push(...includes.errors);
  warnings.push(...includes.warnings);

  const main = resolveFile(source, root, env, mode, errors, warnings);
  const included = includes.files.map((f) => resolveFile(f.source, f.data, env, mode, errors, warnings));
  const built = buildConfig(main, included, env.vars);
  errors.push(...built.errors);
  warnings.push(...built.warnings);
  const unsupported = unsupportedKeysWarning(unsupportedKeys(main.data, built.entries));
  if (unsupported) warnings.push(unsupported);

  if (errors.length > 0) throw new ConfigError(file, errors);
  return deepFreeze({ config: built.config, warnings });
}

interface ResolutionEnv {
  all: Env;
  /** environment_variables from the config, as strings. */
  vars: Record<string, string>;
}

function applyEnvironmentVariables(
  source: YamlSource,
  root: Record<string, unknown>,
  base: Env,
  mode: LoadMode,
  errors: ConfigIssue[],
): ResolutionEnv {
  const section = root.environment_variables;
  if (section !== undefined && section !== null && !isPlainMap(section)) {
    errors.push(issueAt(source, ['environment_variables'], 'expected a map of NAME: value'));
  }
  const { vars, invalid } = readEnvironmentVariables(section, base);
  for (const key of invalid) errors.push(issueAt(source, ['environment_variables', key], 'expected a string, number or boolean'));
  if (mode === 'serve') Object.assign(process.env, vars);
  return { all: { ...base, ...vars }, vars };
}

function resolveFile(
  source: YamlSource,
  data: Record<string, unknown>,
  env: ResolutionEnv,
  mode: LoadMode,
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
): FileData {
  const unset: UnsetRef[] = [];
  const resolved = resolveEnvRefs(data, env.all, unset) as Record<string, unknown>;
  const issues = envRefIssues(source, unset, mode);
  errors.push(...issues.errors);
  warnings.push(...issues.warnings);
  return { source, data: resolved };
}
