import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, type LoadedConfig } from '../../src/config/index.ts';

/** Writes `files` (name → YAML text) into a fresh temp folder; returns the folder. */
export async function writeFiles(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'igw-config-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

export async function load(yaml: string, opts: Parameters<typeof loadConfig>[1] = { mode: 'check', env: {} }): Promise<LoadedConfig> {
  const dir = await writeFiles({ 'config.yaml': yaml });
  return loadConfig(join(dir, 'config.yaml'), opts);
}

/** Loads `yaml` and returns the ConfigError it must throw. */
export async function loadError(yaml: string, opts: Parameters<typeof loadConfig>[1] = { mode: 'check', env: {} }): Promise<ConfigError> {
  try {
    await load(yaml, opts);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

export function messages(issues: readonly { message: string }[]): string {
  return issues.map((i) => i.message).join('\n');
}
