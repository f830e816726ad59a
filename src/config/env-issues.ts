// What an unset `os.environ/NAME` reference means: a warning, except a missing master key when serving.
import type { UnsetRef } from './resolve-env.ts';
import type { ConfigIssue } from './types.ts';
import { issueAt, type YamlSource } from './yaml-paths.ts';

export type LoadMode = 'serve' | 'check';

export function envRefIssues(source: YamlSource, unset: readonly UnsetRef[], mode: LoadMode): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  for (const ref of unset) {
    if (mode === 'serve' && !source.included && isMasterKey(ref)) errors.push(issueAt(source, ref.segments, masterKeyMessage(ref)));
    else warnings.push(issueAt(source, ref.segments, unsetMessage(ref)));
  }
  return { errors, warnings };
}

function isMasterKey(ref: UnsetRef): boolean {
  return ref.segments.length === 2 && ref.segments[0] === 'general_settings' && ref.segments[1] === 'master_key';
}

function unsetMessage(ref: UnsetRef): string {
  if (ref.name === '') return 'os.environ/ reference without a variable name';
  return `environment variable ${ref.name} is ${ref.empty ? 'empty' : 'not set'}`;
}

// Starting without the key would serve every request unauthenticated, which the config asked not to do.
function masterKeyMessage(ref: UnsetRef): string {
  if (ref.name === '') return 'os.environ/ reference without a variable name; name the variable that holds the master key';
  return `${unsetMessage(ref)}; set ${ref.name} to the master key before starting igw (it will not run without the authentication this config asks for)`;
}
