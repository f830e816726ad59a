// Chat streaming (reference §1.4, §7, §10): builds the `data: <json>\n\n` events of a plan and writes them
// one `res.write` each, honouring backpressure and the stream faults (delay, cut, in-stream error).

import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AZURE_FIRST_EVENT, CHOICE_FILTER_RESULTS, STREAM_FILTER_JSON } from './azure.ts';
import type { ChatPlan, ChoicePlan } from './chat.ts';
import { streamErrorEvent } from './faults.ts';

export const DONE_EVENT = 'data: [DONE]\n\n';
const ROLE_DELTA = '{"role":"assistant","content":"","refusal":null}';
const AZURE_ANNOTATION = `,"content_filter_results":${JSON.stringify(CHOICE_FILTER_RESULTS)}`;

/** All events of the stream, ending with `data: [DONE]`. */
export function streamEvents(plan: ChatPlan, azure: boolean, includeUsage: boolean): string[] {
  const head = `data: {"id":"${plan.id}","object":"chat.completion.chunk","created":${plan.created},` +
    `"model":${JSON.stringify(plan.model)},"service_tier":"default","system_fingerprint":"fp_sim","choices":[`;
  const tail = includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
  const perChoice = plan.choices.map((c, i) => choiceEvents(c, i, azure).map((choice) => head + choice + tail));
  const events: string[] = azure ? [AZURE_FIRST_EVENT] : [];
  if (perChoice.length === 1) events.push(...perChoice[0]);
  else { // interleave choices like the real API
    const longest = Math.max(...perChoice.map((e) => e.length));
    for (let k = 0; k < longest; k++) for (const list of perChoice) if (k < list.length) events.push(list[k]);
  }
  if (includeUsage) events.push(`${head}],"usage":${JSON.stringify(plan.usage)}}\n\n`);
  events.push(DONE_EVENT);
  return events;
}

/** The serialized choice objects of one choice's chunks. */
function choiceEvents(c: ChoicePlan, index: number, azure: boolean): string[] {
  const empty = azure ? ',"content_filter_results":{}' : '';
  const filtered = azure ? `,"content_filter_results":${STREAM_FILTER_JSON}` : '';
  const choice = (delta: string, finish: string | null, filter: string) =>
    `{"index":${index},"delta":${delta},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}${filter}}`;
  const out: string[] = [];
  if (c.toolCalls.length === 0) {
    out.push(choice(ROLE_DELTA, null, empty));
    for (const piece of c.pieces) out.push(choice(`{"content":${JSON.stringify(piece)}}`, null, filtered));
    if (azure) out.push(`{"index":${index},"finish_reason":null${AZURE_ANNOTATION}}`); // annotation-only, no delta
  } else {
    c.toolCalls.forEach((t, k) => {
      const opening = `{"index":${k},"id":"${t.id}","type":"function","function":{"name":${JSON.stringify(t.name)},"arguments":""}}`;
      out.push(choice(k === 0 ? `{"role":"assistant","content":null,"tool_calls":[${opening}]}` : `{"tool_calls":[${opening}]}`, null, empty));
      for (const piece of t.argPieces) {
        out.push(choice(`{"tool_calls":[{"index":${k},"function":{"arguments":${JSON.stringify(piece)}}}]}`, null, empty));
      }
    });
  }
  out.push(choice('{}', c.finish, empty));
  return out;
}

export interface StreamFaults {
  delayMs?: number;
  /** Write this many data events, then drop the connection. */
  cutAfter?: number;
  /** Write this many data events, then an error event, then end. */
  errorAfter?: number;
  errorMessage?: string;
  /** The error event to send instead of OpenAI's (Anthropic streams). */
  errorEvent?: string;
  /** false when the last event is data too (Anthropic streams have no `[DONE]`). */
  endsWithDone?: boolean;
}

/** Writes `events` (headers already set) applying the faults; cheap synchronous loop without faults. */
export function writeStream(res: ServerResponse, events: string[], f: StreamFaults): void {
  const dataEvents = events.length - (f.endsWithDone === false ? 0 : 1); // without [DONE]
  let limit = events.length;
  let finish = () => { res.end(); };
  if (f.cutAfter !== undefined) {
    limit = Math.min(f.cutAfter, dataEvents);
    finish = () => cut(res);
  } else if (f.errorAfter !== undefined) {
    limit = Math.min(f.errorAfter, dataEvents);
    finish = () => { res.end(f.errorEvent ?? streamErrorEvent(f.errorMessage)); };
  }
  if (f.delayMs) void pumpSlowly(res, events, limit, f.delayMs).then((ok) => ok && finish());
  else pump(res, events, 0, limit, finish);
}

function pump(res: ServerResponse, events: string[], from: number, limit: number, finish: () => void): void {
  for (let i = from; i < limit;) {
    if (res.destroyed) return;
    if (!res.write(events[i++])) {
      void drained(res).then(() => pump(res, events, i, limit, finish));
      return;
    }
  }
  if (!res.destroyed) finish();
}

async function pumpSlowly(res: ServerResponse, events: string[], limit: number, delayMs: number): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    if (i > 0) await sleep(delayMs);
    if (res.destroyed) return false;
    if (!res.write(events[i])) await drained(res);
  }
  return !res.destroyed;
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Drops the connection after the bytes written so far reach the socket (no terminating chunk, no [DONE]). */
export function cut(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  res.flushHeaders(); // status line + headers reach the wire even when no event was written
  socket.end(() => socket.destroy());
}
