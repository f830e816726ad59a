// Small HTTP helpers: body reading with a size cap, JSON responses, request ids.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GatewayError, badRequest } from '../canonical/index.ts';
import { writeHeadForBody } from './response-headers.ts';

const REQUEST_ID_RE = /^[\w.:\-]{1,128}$/;

/** Takes the client's `x-request-id` when it is a sane token, else makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : uuidV7();
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Request ids key the spend log;
 * ids that grow with time are appended to its index instead of landing on a random page of it, which made
 * each embedded-store write touch a page per row (2.5x the cost per row at 100k rows).
 *
 * The random bits are drawn once per millisecond and the ids of that millisecond count up in their last 16
 * bits (RFC 9562 section 6.2, a dedicated counter): unique, still in time order, and without a draw from the
 * system's random source per request.
 */
export function uuidV7(now = Date.now()): string {
  if (now !== idMs || idCount === 0xffff) startMillisecond(now);
  idCount++;
  return `${idHead}${HEX_BYTE[idCount >> 8]}${HEX_BYTE[idCount & 0xff]}`;
}

/** '00' to 'ff'. */
const HEX_BYTE = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

let idMs = Number.NaN;
let idCount = 0;
/** The id up to its last four hex digits: 'tttttttt-tttt-7rrr-Vrrr-rrrrrrrr'. */
let idHead = '';

function startMillisecond(now: number): void {
  // The 48 bits of milliseconds as hex, a byte at a time from the table: `now.toString(16)` formats a number
  // past 2^31 digit by digit with a floating-point remainder (~2,000 instructions; callgrind, fmod).
  const high = Math.floor(now / 0x1000000);
  const low = now - high * 0x1000000;
  const b = (n: number): string => HEX_BYTE[n & 0xff];
  // randomUUID() is 'xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx' with the RFC variant bits in V: keep its random tail.
  const random = randomUUID();
  idHead = `${b(high >> 16)}${b(high >> 8)}${b(high)}${b(low >> 16)}-${b(low >> 8)}${b(low)}-7${random.slice(15, 32)}`;
  idMs = now;
  // Start the counter at a random point of its lower half: the next id of the millisecond cannot be guessed
  // from one id alone, and 32k ids fit before it wraps (when it would, a fresh draw starts over).
  idCount = parseInt(random.slice(32, 36), 16) & 0x7fff;
}

export function tooLarge(limit: number): GatewayError {
  return new GatewayError({
    status: 413,
    kind: 'payload_too_large',
    code: 'request_too_large',
    message: `Request body exceeds the ${formatBytes(limit)} limit (general_settings.max_request_size_mb).`,
  });
}

/**
 * Reads the whole body, refusing more than `limit` bytes before reading them where possible. Plain stream
 * listeners, not `for await`: bodies are a few hundred bytes and the async iterator costs more than the copy.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return collectBody(req, limit, () => tooLarge(limit));
}

/** Collects a readable stream into one Buffer; `overLimit` (when the stream passes `limit` bytes) rejects. */
export function collectBody(stream: Readable, limit = Infinity, overLimit?: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        stream.resume();
        reject(overLimit ? overLimit() : new Error(`body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    // A stream closed before its end (the peer went away) never emits 'end'.
    const onClose = (): void => {
      cleanup();
      reject(stream.errored ?? Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    };
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Parses a JSON object body; anything else is a 400 that says what was wrong. */
export function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  return readBody(req, limit).then((raw) => parseJsonObject(raw.toString('utf8')));
}

/** A JSON object body and the text it was parsed from. */
export interface JsonBody {
  value: Record<string, unknown>;
  text: string;
}

/** readJsonObject, keeping the text: a pass-through can send it on instead of serialising the object again. */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  return readBody(req, limit).then((raw) => {
    const text = raw.toString('utf8');
    return { value: parseJsonObject(text), text };
  });
}

function parseJsonObject(text: string): Record<string, unknown> {
  if (text.length === 0) throw badRequest('Request body is empty; send a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Malformed JSON in request body: ${(err as Error).message}`, null, 'invalid_json');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Request body must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}.`, null, 'invalid_json');
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: string | Buffer, headers?: Record<string, string>): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  writeHeadForBody(res, status, 'application/json', length, headers);
  res.end(body);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(2)} MB` : `${n} bytes`;
}
