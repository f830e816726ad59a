// Gemini 3 400s when a function call is replayed without the `thoughtSignature` it came with
// (../shared/reference/providers.md §0.7, §5). The canonical form carries it in `providerData.gemini`, but an
// OpenAI client has nowhere to keep it: it only echoes the tool call id. So the signature also rides in the
// id, after a marker, as base64url (ids must stay within [A-Za-z0-9_-] for Anthropic clients). No state,
// so any replica can restore it.

const MARK = '__thought__';

/** `call_1` + signature → `call_1__thought__<base64url>`; the id alone when there is no signature. */
export function idWithSignature(id: string, signature: string | undefined): string {
  if (!signature) return id;
  return `${id}${MARK}${toBase64Url(signature)}`;
}

/** The id Gemini knows and the signature carried in it, if any. */
export function splitSignedId(id: string): { id: string; signature?: string } {
  const at = id.indexOf(MARK);
  if (at < 0) return { id };
  const encoded = id.slice(at + MARK.length);
  return encoded ? { id: id.slice(0, at), signature: fromBase64Url(encoded) } : { id: id.slice(0, at) };
}

function toBase64Url(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Back to padded standard base64, the form Gemini sent. */
function fromBase64Url(s: string): string {
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  return std + '='.repeat((4 - (std.length % 4)) % 4);
}
