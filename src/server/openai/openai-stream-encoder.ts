// Canonical stream events → OpenAI chunks (reference §1.4, §4.6). Every chunk carries the same id, created
// and model; tool calls are numbered by `toolIndex`; the finish chunk is sent when the finish arrives; the
// usage chunk (when the client asked for it) and `[DONE]` at the end. Errors: `data: {"error":…}`, then
// `[DONE]`, as the pass-through relay does.
import { sseData, type FinishReason, type Json, type StreamEncoder, type StreamEvent, type Usage } from '../../canonical/index.ts';
import { toOpenAIFinishReason, toOpenAIUsage } from '../../providers/index.ts';

interface Block {
  kind: 'text' | 'reasoning' | 'redacted_reasoning' | 'tool_call' | 'refusal';
  toolIndex?: number;
  argsSeen?: boolean;
  text?: string;
  signature?: string;
}

export function createOpenAIStreamEncoder(opts: { includeUsage: boolean }): StreamEncoder {
  let head = '';
  let usage: Usage | undefined;
  let finished = false;
  let closed = false;
  const blocks = new Map<number, Block>();
  const thinking: Json[] = [];

  const chunk = (delta: Json, finish: string | null = null): string => {
    // Decoders always begin with `start`; this default only keeps a malformed upstream from breaking JSON.
    head ||= `{"id":"chatcmpl-igw","object":"chat.completion.chunk","created":${Math.floor(Date.now() / 1000)},"model":"",`;
    const reason = finish === null ? 'null' : JSON.stringify(finish);
    const usage = opts.includeUsage ? ',"usage":null' : '';
    return sseData(`${head}"choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${reason}}]${usage}}`);
  };

  const finishChunk = (reason: FinishReason): string => {
    finished = true;
    return chunk({}, toOpenAIFinishReason(reason));
  };

  return {
    push(ev: StreamEvent): string {
      if (closed) return '';
      switch (ev.type) {
        case 'start':
          head = `{"id":${JSON.stringify(ev.id)},"object":"chat.completion.chunk","created":${ev.created},"model":${JSON.stringify(ev.model)},`;
          if (ev.usage) usage = ev.usage;
          return chunk({ role: 'assistant', content: '' });
        case 'block_start':
          return blockStart(ev.index, ev.block);
        case 'text_delta':
          return blocks.get(ev.index)?.kind === 'refusal' ? chunk({ refusal: ev.text }) : chunk({ content: ev.text });
        case 'reasoning_delta': {
          const b = blocks.get(ev.index);
          if (b) b.text = (b.text ?? '') + ev.text;
          return chunk({ reasoning_content: ev.text });
        }
        case 'reasoning_signature': {
          const b = blocks.get(ev.index);
          if (b) b.signature = (b.signature ?? '') + ev.signature;
          return '';
        }
        case 'tool_args_delta': {
          const b = blocks.get(ev.index);
          if (b) b.argsSeen = true;
          return chunk({ tool_calls: [{ index: ev.toolIndex, function: { arguments: ev.delta } }] });
        }
        case 'block_end':
          return blockEnd(ev.index);
        case 'usage':
          usage = ev.usage;
          return '';
        case 'finish':
          return finished ? '' : finishChunk(ev.reason);
        case 'end': {
          closed = true;
          let out = finished ? '' : finishChunk({ unified: 'stop', raw: null });
          if (opts.includeUsage && usage) out += sseData(`${head}"choices":[],"usage":${JSON.stringify(toOpenAIUsage(usage))}}`);
          return out + sseData('[DONE]');
        }
        case 'error': {
          closed = true;
          const e = ev.error;
          return sseData(JSON.stringify({ error: { message: e.message, type: e.type, param: null, code: e.code } })) + sseData('[DONE]');
        }
      }
    },
  };

  function blockStart(index: number, block: Extract<StreamEvent, { type: 'block_start' }>['block']): string {
    if (block.kind === 'tool_call') {
      blocks.set(index, { kind: 'tool_call', toolIndex: block.toolIndex, argsSeen: false });
      const call: Json = { index: block.toolIndex, id: block.id, type: 'function', function: { name: block.name, arguments: '' } };
      if (block.providerData) call.provider_data = block.providerData;
      return chunk({ tool_calls: [call] });
    }
    if (block.kind === 'redacted_reasoning') {
      thinking.push({ type: 'redacted_thinking', data: block.data });
      blocks.set(index, { kind: 'redacted_reasoning' });
      return chunk({ thinking_blocks: [...thinking] });
    }
    blocks.set(index, { kind: block.kind });
    return '';
  }

  /** A tool call that streamed no arguments gets `{}` (valid JSON); a thinking block reports all blocks so far. */
  function blockEnd(index: number): string {
    const b = blocks.get(index);
    if (b?.kind === 'tool_call' && !b.argsSeen) return chunk({ tool_calls: [{ index: b.toolIndex, function: { arguments: '{}' } }] });
    if (b?.kind === 'reasoning' && b.signature) {
      thinking.push({ type: 'thinking', thinking: b.text ?? '', signature: b.signature });
      return chunk({ thinking_blocks: [...thinking] });
    }
    return '';
  }
}
