import type { ConfigIssue } from './types.ts';

/** A config that cannot be used; `message` lists every issue, one per line. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(file: string, issues: ConfigIssue[]) {
    super(formatIssues(file, issues));
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

/** `<file>: <yaml path> (line N): <message>`, one line per issue. */
export function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => formatIssue(file, issue)).join('\n');
}

function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === undefined ? '' : issue.column === undefined ? ` (line ${issue.line})` : ` (line ${issue.line}, column ${issue.column})`;
  const head = issue.path === '' ? `${issue.file ?? file}${where}` : `${issue.file ?? file}: ${issue.path}${where}`;
  return `${head}: ${issue.message}`;
}
