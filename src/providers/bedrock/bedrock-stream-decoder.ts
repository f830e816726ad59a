// ConverseStream event-stream bytes → canonical stream events (../shared/reference/providers.md §6.4).
// Text blocks usually start with a delta (no contentBlockStart); tool blocks always get a start; every block
// ends with contentBlockStop. `messageStop` (finish) comes before `metadata` (usage), so the finish is held
// until the usage arrives or the body ends. `exception` / `error` messages end the stream with an error.
import { randomUUID } from 'node:crypto';
import { GatewayError, type StreamDecoder, type StreamEvent } from '../../canonical/index.ts';
import type { DecodeHints } from '../types.ts';
import { EventStreamReader, type EventMessage } from './event-stream.ts';
import { bedrockExceptionError } from './map-bedrock-error.ts';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';
import type { StreamPayloads } from './wire.ts';

type BlockKind = 'text' | 'reasoning' | 'tool_call' | 'redacted';
interface Block { index: number; kind: BlockKind; toolIndex?: number }

export function createBedrockStreamDecoder(modelId: string, hints: DecodeHints): StreamDecoder {
  return new BedrockStreamDecoder(modelId, hints);
}

const text = new TextDecoder();

class BedrockStreamDecoder implements StreamDecoder {
  private readonly reader = new EventStreamReader();
  private readonly model: string;
  private readonly jsonTool: string | undefined;
  private started = false;
  private done = false;
  private open: Block | null = null;
  /** Bedrock contentBlockIndex → canonical block. */
  private readonly blocks = new Map<number, Block>();
  private nextIndex = 0;
  private toolIndex = 0;
  private stop: { reason: string | undefined } | null = null;

  constructor(model: string, hints: DecodeHints) {
    this.model = model;
    this.jsonTool = hints.structuredOutputTool;
  }

  push(chunk: Uint8Array): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.done) return out;
    let messages: EventMessage[];
    try {
      messages = this.reader.push(chunk);
    } catch (err) {
      this.fail(out, new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_stream', message: `Bedrock sent a corrupt event-stream message (${(err as Error).message})` }));
      return out;
    }
    for (const m of messages) if (!this.done) this.onMessage(m, out);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.done) return out;
    if (this.stop && this.reader.pending === 0) this.finish(out);
    else this.fail(out, new GatewayError({ status: 502, kind: 'connection', code: 'upstream_stream_incomplete', message: 'Bedrock stream ended before messageStop' }));
    return out;
  }

  private onMessage(m: EventMessage, out: StreamEvent[]): void {
    const type = m.headers[':message-type'];
    if (type === 'exception') return this.fail(out, bedrockExceptionError(m.headers[':exception-type'] ?? 'exception', text.decode(m.body)));
    if (type === 'error') {
      const message = m.headers[':error-message'] ?? m.headers[':error-code'] ?? 'stream error';
      return this.fail(out, bedrockExceptionError(m.headers[':error-code'] ?? 'error', JSON.stringify({ message })));
    }
    if (type !== 'event') return;
    let payload: unknown;
    try {
      payload = JSON.parse(text.decode(m.body));
    } catch {
      return this.fail(out, new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_stream', message: 'Bedrock sent an event that is not JSON' }));
    }
    this.onEvent(m.headers[':event-type'] ?? '', payload, out);
  }

  private onEvent(type: string, payload: unknown, out: StreamEvent[]): void {
    switch (type) {
      case 'messageStart': return this.onStart(out);
      case 'contentBlockStart': return this.onBlockStart(payload as StreamPayloads['contentBlockStart'], out);
      case 'contentBlockDelta': return this.onDelta(payload as StreamPayloads['contentBlockDelta'], out);
      case 'contentBlockStop': return this.onBlockStop(payload as StreamPayloads['contentBlockStop'], out);
      case 'messageStop': return this.onStop(payload as StreamPayloads['messageStop'], out);
      case 'metadata': return this.onMetadata(payload as StreamPayloads['metadata'], out);
    }
  }

  private onStart(out: StreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    out.push({ type: 'start', id: `msg_bdrk_${randomUUID().replace(/-/g, '').slice(0, 24)}`, model: this.model, created: Math.floor(Date.now() / 1000) });
  }

  private onBlockStart(p: StreamPayloads['contentBlockStart'], out: StreamEvent[]): void {
    this.onStart(out);
    const tool = p.start?.toolUse;
    if (!tool) return;
    if (tool.name === this.jsonTool) this.openBlock(p.contentBlockIndex, 'text', out);
    else this.openBlock(p.contentBlockIndex, 'tool_call', out, { id: tool.toolUseId, name: tool.name });
  }

  private onDelta(p: StreamPayloads['contentBlockDelta'], out: StreamEvent[]): void {
    this.onStart(out);
    const d = p.delta ?? {};
    const i = p.contentBlockIndex;
    if (typeof d.text === 'string') {
      const b = this.blockFor(i, 'text', out);
      if (d.text !== '') out.push({ type: 'text_delta', index: b.index, text: d.text });
    } else if (d.toolUse) {
      const b = this.blockFor(i, 'text', out);
      const delta = d.toolUse.input ?? '';
      if (delta === '') return;
      if (b.kind === 'tool_call') out.push({ type: 'tool_args_delta', index: b.index, toolIndex: b.toolIndex!, delta });
      else out.push({ type: 'text_delta', index: b.index, text: delta }); // structured output arrives as tool input
    } else if (d.reasoningContent) {
      this.onReasoning(i, d.reasoningContent, out);
    }
  }

  private onReasoning(i: number, r: { text?: string; signature?: string; redactedContent?: string }, out: StreamEvent[]): void {
    if (r.redactedContent !== undefined) {
      if (!this.blocks.has(i)) this.openBlock(i, 'redacted', out, undefined, r.redactedContent);
      return;
    }
    const b = this.blockFor(i, 'reasoning', out);
    if (typeof r.text === 'string' && r.text !== '') out.push({ type: 'reasoning_delta', index: b.index, text: r.text });
    if (typeof r.signature === 'string') out.push({ type: 'reasoning_signature', index: b.index, signature: r.signature });
  }

  private onBlockStop(p: StreamPayloads['contentBlockStop'], out: StreamEvent[]): void {
    const b = this.blocks.get(p.contentBlockIndex);
    if (b && this.open === b) this.closeOpen(out);
  }

  private onStop(p: StreamPayloads['messageStop'], out: StreamEvent[]): void {
    this.closeOpen(out);
    this.stop = { reason: p.stopReason };
  }

  private onMetadata(p: StreamPayloads['metadata'], out: StreamEvent[]): void {
    if (p.usage) out.push({ type: 'usage', usage: mapBedrockUsage(p.usage) });
    if (this.stop) this.finish(out);
  }

  /** The block for Bedrock index `i`, opened (as `kind`) on first sight — text blocks have no start event. */
  private blockFor(i: number, kind: BlockKind, out: StreamEvent[]): Block {
    return this.blocks.get(i) ?? this.openBlock(i, kind, out);
  }

  private openBlock(i: number, kind: BlockKind, out: StreamEvent[], tool?: { id: string; name: string }, redacted?: string): Block {
    this.closeOpen(out);
    const b: Block = { index: this.nextIndex++, kind };
    if (kind === 'tool_call') b.toolIndex = this.toolIndex++;
    this.blocks.set(i, b);
    this.open = b;
    if (kind === 'text') out.push({ type: 'block_start', index: b.index, block: { kind: 'text' } });
    else if (kind === 'reasoning') out.push({ type: 'block_start', index: b.index, block: { kind: 'reasoning' } });
    else if (kind === 'redacted') out.push({ type: 'block_start', index: b.index, block: { kind: 'redacted_reasoning', data: redacted ?? '' } });
    else out.push({ type: 'block_start', index: b.index, block: { kind: 'tool_call', toolIndex: b.toolIndex!, id: tool!.id, name: tool!.name } });
    return b;
  }

  private closeOpen(out: StreamEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'block_end', index: this.open.index });
    this.open = null;
  }

  private finish(out: StreamEvent[]): void {
    const structured = this.jsonTool !== undefined && this.toolIndex === 0;
    out.push({ type: 'finish', reason: mapBedrockStopReason(this.stop?.reason, structured) }, { type: 'end' });
    this.done = true;
  }

  private fail(out: StreamEvent[], error: GatewayError): void {
    this.done = true;
    out.push({ type: 'error', error });
  }
}
