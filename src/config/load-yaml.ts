// Reading and parsing one YAML file the way PyYAML (and so LiteLLM) would accept it.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, visit, isScalar, type Document, type YAMLError } from 'yaml';
import type { ConfigIssue } from './types.ts';
import type { YamlSource } from './yaml-paths.ts';

export type ParsedYaml = { ok: true; source: YamlSource; data: unknown } | { ok: false; issues: ConfigIssue[] };

export async function readYamlFile(file: string, included: boolean): Promise<ParsedYaml> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read file (${(err as Error).message})`;
    return { ok: false, issues: [withFile({ path: '', message: reason }, file, included)] };
  }
  return parseYaml(text, file, included);
}

export function parseYaml(text: string, file: string, included: boolean): ParsedYaml {
  const lineCounter = new LineCounter();
  // Real LiteLLM configs repeat keys; PyYAML keeps the last one, and so does toJS() with uniqueKeys off.
  const doc = parseDocument(text, { uniqueKeys: false, merge: true, lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { ok: false, issues: doc.errors.map((err) => withFile(syntaxIssue(doc, lineCounter, err), file, included)) };
  }
  const source: YamlSource = { file, doc, lineCounter, included };
  try {
    return { ok: true, source, data: doc.toJS() };
  } catch (err) {
    // e.g. the alias-expansion cap that guards against "billion laughs" documents.
    return { ok: false, issues: [withFile({ path: '', message: `YAML error: ${(err as Error).message}` }, file, included)] };
  }
}

function syntaxIssue(doc: Document, lineCounter: LineCounter, err: YAMLError): ConfigIssue {
  // Only the first line of the parser's message: the rest is a code frame that may show a secret.
  const what = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const unclosed = err.code === 'MISSING_CHAR' ? unclosedQuoteStart(doc, err.pos[0]) : undefined;
  if (unclosed !== undefined) {
    const { line, col } = lineCounter.linePos(unclosed);
    return { path: '', line, column: col, message: `YAML syntax error: quoted string is never closed (${what})` };
  }
  const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
  return { path: '', line: pos.line, column: pos.col, message: `YAML syntax error: ${what}` };
}

/** The parser reports a missing closing quote at the end of the file; point at where the string opens. */
function unclosedQuoteStart(doc: Document, errorOffset: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (isScalar(node) && quoted && node.range && node.range[1] >= errorOffset) {
        start = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return start;
}

function withFile(issue: ConfigIssue, file: string, included: boolean): ConfigIssue {
  return included ? { ...issue, file } : issue;
}
