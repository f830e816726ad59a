// YAML paths (`model_list[2].litellm_params.rpm`) and their line numbers in the source document.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ConfigIssue } from './types.ts';

export type Segment = string | number;

/** A parsed YAML file: the data plus what is needed to point at lines in it. */
export interface YamlSource {
  /** The path as shown in messages (relative paths stay relative). */
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  /** Set for included files, so their issues name them instead of the main file. */
  included: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * The 1-based line of the deepest node along `segments` (a missing key points at its parent). Map entries
 * report the line of their key, which is where a reader looks even when the value starts on the next line.
 */
export function lineOf(source: YamlSource, segments: readonly Segment[]): number | undefined {
  let node: unknown = source.doc.contents;
  let offset = startOf(node);
  for (const segment of segments) {
    const step = childOf(node, segment);
    if (!step) break;
    node = step.node;
    offset = step.offset ?? offset;
  }
  return offset === undefined ? undefined : source.lineCounter.linePos(offset).line;
}

function childOf(node: unknown, segment: Segment): { node: unknown; offset?: number } | undefined {
  if (isMap(node)) {
    // Duplicate keys are allowed and the last one wins, as in PyYAML: search from the end.
    for (let i = node.items.length - 1; i >= 0; i--) {
      const pair = node.items[i];
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(segment)) return { node: pair.value, offset: startOf(pair.key) ?? startOf(pair.value) };
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
    const item = node.items[segment];
    return { node: item, offset: startOf(item) };
  }
  return undefined;
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** An issue at `segments` of `source`, with its line when the document has one. */
export function issueAt(source: YamlSource, segments: readonly Segment[], message: string): ConfigIssue {
  const issue: ConfigIssue = { path: formatPath(segments), message };
  const line = lineOf(source, segments);
  if (line !== undefined) issue.line = line;
  if (source.included) issue.file = source.file;
  return issue;
}
