// The test Redis (127.0.0.1:6379 unless IGW_TEST_REDIS_URL says otherwise), shared by parallel test files:
// each run writes under a prefix of its own and deletes it afterwards.
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.IGW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let n = 0;

/** A key and channel prefix no other test run uses. */
export function uniquePrefix(name: string): string {
  return `igw-test-${name}:${process.pid}:${Date.now().toString(36)}:${n++}:`;
}

export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
