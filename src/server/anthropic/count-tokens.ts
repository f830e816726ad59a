// POST /v1/messages/count_tokens → `{"input_tokens": N}` (reference §3.6). An ESTIMATE, the same for
// every model: about four characters per token over the text igw would send (system, messages, tool
// definitions and tool inputs/results), plus a flat 1,600 tokens per image or document. Good enough for
// context-window budgeting in clients such as Claude Code; not a billing number.
import { isObject, type Json } from '../../canonical/index.ts';

const CHARS_PER_TOKEN = 4;
const MEDIA_TOKENS = 1600;

export function estimateInputTokens(body: Json): number {
  const acc = { chars: 0, media: 0 };
  walk(body.system, acc);
  walk(body.messages, acc);
  if (Array.isArray(body.tools)) acc.chars += JSON.stringify(body.tools).length;
  return Math.max(1, Math.ceil(acc.chars / CHARS_PER_TOKEN) + acc.media * MEDIA_TOKENS);
}

function walk(v: unknown, acc: { chars: number; media: number }): void {
  if (typeof v === 'string') {
    acc.chars += v.length;
    return;
  }
  if (Array.isArray(v)) {
    for (const item of v) walk(item, acc);
    return;
  }
  if (!isObject(v)) return;
  switch (v.type) {
    case 'image':
    case 'document':
      acc.media++;
      return;
    case 'tool_use':
      acc.chars += JSON.stringify(v.input ?? {}).length + String(v.name ?? '').length;
      return;
    case 'thinking':
      acc.chars += String(v.thinking ?? '').length;
      return;
  }
  if ('text' in v) walk(v.text, acc);
  if ('content' in v) walk(v.content, acc);
}
