// `streamGenerateContent?alt=sse` bytes → canonical stream events (../shared/reference/providers.md §5, §10).
// Each `data:` event is a GenerateContentResponse carrying only new parts (no `event:` names, no [DONE]);
// function calls arrive whole; `finishReason` and the final usage are on the last event; an `{"error":…}`
// event is a failure. Text and thoughts are emitted as soon as they arrive; one block is open at a time.
import { GatewayError, SseReader, type BlockStart, type StreamDecoder, type StreamEvent } from '../../canonical/index.ts';
import { createdOf, responseIdOf, toolCallId } from './gemini-ids.ts';
import { geminiErrorFrom } from './map-gemini-error.ts';
import { blockedPromptFinish, mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { mapGeminiUsage } from './map-gemini-usage.ts';
import type { GeminiErrorBody, GeminiPart, GeminiResponse } from './wire.ts';

type OpenKind = 'text' | 'reasoning';

export function createGeminiStreamDecoder(upstreamModel: string): StreamDecoder {
  return new GeminiStreamDecoder(upstreamModel);
}

class GeminiStreamDecoder implements StreamDecoder {
  private readonly reader = new SseReader();
  private readonly model: string;
  private id = '';
  private started = false;
  private done = false;
  private open: { kind: OpenKind; index: number } | null = null;
  private nextIndex = 0;
  private toolIndex = 0;

  constructor(model: string) {
    this.model = model;
  }

  push(chunk: Uint8Array): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const ev of this.reader.push(chunk)) this.onData(ev.data, out);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const ev of this.reader.end()) this.onData(ev.data, out);
    if (this.done) return out;
    this.done = true;
    out.push({ type: 'error', error: incomplete() });
    return out;
  }

  private onData(data: string, out: StreamEvent[]): void {
    if (this.done) return;
    let json: GeminiResponse & GeminiErrorBody;
    try {
      json = JSON.parse(data) as GeminiResponse & GeminiErrorBody;
    } catch {
      return this.fail(out, new GatewayError({ status: 502, kind: 'server', code: 'bad_upstream_stream', message: 'Gemini sent a stream event that is not JSON' }));
    }
    if (json.error) return this.fail(out, geminiErrorFrom(200, json.error));
    this.onResponse(json, out);
  }

  private onResponse(r: GeminiResponse, out: StreamEvent[]): void {
    if (!this.started) {
      this.started = true;
      this.id = responseIdOf(r.responseId);
      out.push({ type: 'start', id: this.id, model: r.modelVersion ?? this.model, created: createdOf(r.createTime) });
    }
    const candidate = r.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) this.onPart(part, out);
    const blocked = candidate ? undefined : r.promptFeedback?.blockReason;
    const last = candidate?.finishReason !== undefined || blocked !== undefined;
    if (last) this.close(out); // blocks end before the final usage and the finish
    if (r.usageMetadata) out.push({ type: 'usage', usage: mapGeminiUsage(r.usageMetadata) });
    if (!last) return;
    const reason = blocked ? blockedPromptFinish(blocked) : mapGeminiFinishReason(candidate?.finishReason, this.toolIndex > 0);
    out.push({ type: 'finish', reason }, { type: 'end' });
    this.done = true;
  }

  private onPart(p: GeminiPart, out: StreamEvent[]): void {
    if (p.functionCall) return this.onFunctionCall(p, out);
    if (typeof p.text !== 'string' || p.text === '') return;
    const kind: OpenKind = p.thought ? 'reasoning' : 'text';
    const index = this.ensureOpen(kind, out);
    out.push(kind === 'text' ? { type: 'text_delta', index, text: p.text } : { type: 'reasoning_delta', index, text: p.text });
  }

  /** A call arrives whole: open, all arguments in one delta, close. */
  private onFunctionCall(p: GeminiPart, out: StreamEvent[]): void {
    const fc = p.functionCall!;
    this.close(out);
    const index = this.nextIndex++;
    const toolIndex = this.toolIndex++;
    const block: BlockStart = {
      kind: 'tool_call',
      toolIndex,
      id: toolCallId(fc.id, this.id, toolIndex, p.thoughtSignature),
      name: fc.name,
      ...(p.thoughtSignature ? { providerData: { gemini: { thoughtSignature: p.thoughtSignature } } } : {}),
    };
    out.push({ type: 'block_start', index, block });
    out.push({ type: 'tool_args_delta', index, toolIndex, delta: JSON.stringify(fc.args ?? {}) });
    out.push({ type: 'block_end', index });
  }

  private ensureOpen(kind: OpenKind, out: StreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index;
    this.close(out);
    const index = this.nextIndex++;
    this.open = { kind, index };
    out.push({ type: 'block_start', index, block: kind === 'text' ? { kind: 'text' } : { kind: 'reasoning' } });
    return index;
  }

  private close(out: StreamEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'block_end', index: this.open.index });
    this.open = null;
  }

  private fail(out: StreamEvent[], error: GatewayError): void {
    this.done = true;
    out.push({ type: 'error', error });
  }
}

function incomplete(): GatewayError {
  return new GatewayError({
    status: 502,
    kind: 'connection',
    code: 'upstream_stream_incomplete',
    message: 'Gemini stream ended before its finishReason',
  });
}
