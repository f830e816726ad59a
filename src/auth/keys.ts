// Virtual key material: generation, the SHA-256 digest that is all the store keeps, and the display name.
import { createHash, randomBytes } from 'node:crypto';

/** `sk-` and 32 URL-safe characters (192 random bits). */
export function generateKey(): string {
  return `sk-${randomBytes(24).toString('base64url')}`;
}

/** The stored form of a key (LiteLLM's `token`): SHA-256, hex. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** LiteLLM's `key_name`: `sk-...` and the key's last four characters. */
export function abbreviateKey(key: string): string {
  return `sk-...${key.slice(-4)}`;
}

/** Whether a string given to the API as a key is a key (`sk-…`) rather than its hash. */
export function looksLikeKey(s: string): boolean {
  return s.startsWith('sk-');
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The API accepts a key either as the `sk-…` key or as its token (hash), like LiteLLM. */
export function tokenOf(keyOrToken: string): string {
  return HEX64.test(keyOrToken) ? keyOrToken : hashKey(keyOrToken);
}
