// Per-merchant token bucket in Redis (Shopify's "leaky bucket" as seen by clients): `capacity`
// points when idle, restored continuously at `restoreRate` points per second. A request reserves its
// requested cost up front and is refunded the difference once its actual cost is known.
//
// Every change runs in one Lua script, so concurrent requests on any number of API replicas can never
// overdraw a bucket, and the clock is Redis's own (TIME), so replicas with skewed clocks agree.
// State: a hash {tokens, ts (µs)} that expires once the bucket would be full again — an idle merchant
// costs no memory, and a missing key means exactly "full". Needs Redis ≥ 6.2 (effects replication).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface BucketOptions {
  /** Points a merchant can spend at once (Shopify: 1000). */
  capacity: number;
  /** Points restored per second (Shopify: 50). */
  restoreRate: number;
}

export const DEFAULT_BUCKET: BucketOptions = { capacity: 1000, restoreRate: 50 };

export interface ThrottleStatus {
  /** False when the bucket lacked the points; nothing was taken then. */
  allowed: boolean;
  /** Whole points left after this call (Shopify reports integers). */
  currentlyAvailable: number;
  maximumAvailable: number;
  restoreRate: number;
  /** Seconds until the refused cost would fit (0 when allowed). Infinite if the cost exceeds the capacity. */
  retryAfterSeconds: number;
}

// ARGV: capacity, restoreRate, delta (> 0 take if it fits; ≤ 0 give back, capped at capacity).
// Returns {allowed, tokens (string: Lua numbers become integers on the way out)}.
const SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local delta = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * rate / 1000000)
  ts = now
end
local allowed = 1
if delta > 0 then
  if delta <= tokens then tokens = tokens - delta else allowed = 0 end
else
  tokens = math.min(capacity, tokens - delta)
end
if tokens >= capacity then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%d', ts))
  redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
end
return {allowed, string.format('%.6f', tokens)}
`;
const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');

/** Takes `requestedCost` points if the bucket holds them; otherwise takes nothing. A cost of 0 just reads the bucket. */
export function tryConsume(redis: Redis, key: string, requestedCost: number, bucket: BucketOptions = DEFAULT_BUCKET): Promise<ThrottleStatus> {
  return run(redis, key, Math.max(0, requestedCost), bucket);
}

/** Gives back `points` (e.g. requested − actual cost), never filling past capacity. Negative or 0 is a no-op read. */
export function refund(redis: Redis, key: string, points: number, bucket: BucketOptions = DEFAULT_BUCKET): Promise<ThrottleStatus> {
  return run(redis, key, -Math.max(0, points), bucket);
}

async function run(redis: Redis, key: string, delta: number, bucket: BucketOptions): Promise<ThrottleStatus> {
  assertBucket(bucket);
  const args = [key, bucket.capacity, bucket.restoreRate, delta] as const;
  let reply: unknown;
  try {
    reply = await redis.evalsha(SCRIPT_SHA, 1, ...args);
  } catch (err) {
    if (!String((err as Error)?.message).includes('NOSCRIPT')) throw err;
    reply = await redis.eval(SCRIPT, 1, ...args); // first use on this server (or after SCRIPT FLUSH)
  }
  const [allowedFlag, tokensText] = reply as [number, string];
  const tokens = Number(tokensText);
  const allowed = allowedFlag === 1;
  return {
    allowed,
    currentlyAvailable: Math.floor(tokens + 1e-6),
    maximumAvailable: bucket.capacity,
    restoreRate: bucket.restoreRate,
    retryAfterSeconds: allowed ? 0 : delta > bucket.capacity ? Infinity : (delta - tokens) / bucket.restoreRate,
  };
}

export function assertBucket(bucket: BucketOptions): void {
  if (!(bucket.capacity > 0) || !(bucket.restoreRate > 0)) {
    throw new RangeError(`A throttle bucket needs a positive capacity and restore rate (got ${bucket.capacity} and ${bucket.restoreRate})`);
  }
}
