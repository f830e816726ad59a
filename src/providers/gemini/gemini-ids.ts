// Tool-call ids for Gemini function calls. The API may omit `functionCall.id` (§5), but OpenAI and Anthropic
// clients join results to calls by id, so one is made from the response id and the call's position: stable
// for a given response (golden tests, retries of the decoder) and unique across turns.
import { randomUUID } from 'node:crypto';
import { idWithSignature } from './thought-signature.ts';

export function toolCallId(apiId: string | undefined, responseId: string, k: number, signature: string | undefined): string {
  return idWithSignature(apiId ?? `call_${responseId}_${k}`, signature);
}

/** The response id, or a fresh one when Gemini sent none (Vertex and older models may omit it). */
export function responseIdOf(responseId: string | undefined): string {
  return responseId ?? randomUUID().replace(/-/g, '');
}

/** Vertex sends `createTime` (RFC 3339); AI Studio does not, so the receive time stands in. */
export function createdOf(createTime: string | undefined): number {
  const ms = createTime === undefined ? NaN : Date.parse(createTime);
  return Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000);
}
