// Response headers gathered while a request is handled and written once, with the status. Node's
// `setHeader` validates and files each header as it comes; `writeHead(status, headers)` on a response that
// has none filed takes them all in one pass. Measured on a bare node:http server sending igw's 11 headers:
// 32.3 µs of CPU per response written the second way, 34.6 µs the first.
import type { ServerResponse } from 'node:http';

type HeaderValue = string | string[];
const PENDING = Symbol('igw.responseHeaders');
type WithPending = ServerResponse & { [PENDING]?: Record<string, HeaderValue> };

/** A header to send with the status; the name in lower case. A later value replaces an earlier one. */
export function setResponseHeader(res: ServerResponse, name: string, value: HeaderValue): void {
  gathered(res)[name] = value;
}

/** A header set for this response so far, gathered or set on the response itself. */
export function responseHeader(res: ServerResponse, name: string): HeaderValue | undefined {
  return (res as WithPending)[PENDING]?.[name] ?? (res.getHeader(name) as HeaderValue | undefined);
}

/** Writes the status line with the gathered headers plus `headers` (which win). */
export function writeHeadWith(res: ServerResponse, status: number, headers: Readonly<Record<string, HeaderValue>>): void {
  res.writeHead(status, Object.assign(gathered(res), headers));
}

/** Writes the status line with the gathered headers (plus `headers`) and a body's type and length. */
export function writeHeadForBody(res: ServerResponse, status: number, contentType: string, length: number, headers?: Readonly<Record<string, HeaderValue>>): void {
  const all = gathered(res);
  if (headers) Object.assign(all, headers);
  all['content-type'] = contentType;
  all['content-length'] = String(length);
  res.writeHead(status, all);
}

/** The response's gathered headers, as the object writeHead will take. */
function gathered(res: ServerResponse): Record<string, HeaderValue> {
  return ((res as WithPending)[PENDING] ??= {});
}
