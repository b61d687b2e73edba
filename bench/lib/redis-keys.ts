// Removes a benchmark's Redis keys (its random prefix) when it ends.
import type { Redis } from 'ioredis';

export async function dropKeys(conn: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await conn.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await conn.del(...keys);
  } while (cursor !== '0');
}
