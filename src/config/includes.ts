// LiteLLM's top-level `include:`: files, relative to the config's folder, whose model_list is appended.
import { dirname, isAbsolute, join } from 'node:path';
import { readYamlFile } from './load-yaml.ts';
import { isPlainMap } from './resolve-env.ts';
import type { ConfigIssue } from './types.ts';
import { issueAt, type YamlSource } from './yaml-paths.ts';

export interface IncludedFile {
  source: YamlSource;
  data: Record<string, unknown>;
}

export interface Includes {
  files: IncludedFile[];
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

export async function loadIncludes(main: YamlSource, include: unknown): Promise<Includes> {
  const result: Includes = { files: [], errors: [], warnings: [] };
  if (include === undefined || include === null) return result;
  if (!Array.isArray(include)) {
    result.errors.push(issueAt(main, ['include'], 'expected a list of YAML file paths, relative to this file'));
    return result;
  }
  for (const [i, entry] of include.entries()) {
    if (typeof entry !== 'string' || entry.trim() === '') {
      result.errors.push(issueAt(main, ['include', i], 'expected a YAML file path'));
      continue;
    }
    const file = isAbsolute(entry) ? entry : join(dirname(main.file), entry);
    const parsed = await readYamlFile(file, true);
    if (!parsed.ok) {
      result.errors.push(...parsed.issues.map((issue) => blame(main, i, file, issue)));
      continue;
    }
    const data = parsed.data ?? {};
    if (!isPlainMap(data)) {
      result.errors.push(issueAt(main, ['include', i], `${file} must be a map with a model_list`));
      continue;
    }
    result.files.push({ source: parsed.source, data });
    const ignored = Object.keys(data).filter((key) => key !== 'model_list');
    if (ignored.length > 0) {
      result.warnings.push({ path: '', file, message: `only model_list is read from an included file; ignored: ${ignored.join(', ')}` });
    }
  }
  return result;
}

/** A missing include is reported at `include[i]` in the main file; a broken one in its own file. */
function blame(main: YamlSource, i: number, file: string, issue: ConfigIssue): ConfigIssue {
  if (issue.line !== undefined) return issue;
  return issueAt(main, ['include', i], `${issue.message}: ${file}`);
}
