// The per-merchant token bucket against a real Redis, each test on its own random key.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { refund, tryConsume } from '../../src/graphql/cost/throttle';
import { connectRedis } from '../../src/infra/redis';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('throttle bucket', () => {
  let redis: Redis;
  let key: string;
  const serverSeconds = async () => { const [s, us] = await redis.time(); return Number(s) + Number(us) / 1e6; };

  beforeAll(() => { redis = new Redis(REDIS_URL); });
  afterAll(async () => { await redis.quit(); });
  beforeEach(() => { key = `shelfwise-test:throttle:${randomBytes(6).toString('hex')}`; });
  afterEach(async () => { await redis.del(key); });

  it('starts full and reports its limits', async () => {
    const status = await tryConsume(redis, key, 0, { capacity: 1000, restoreRate: 50 });
    expect(status).toEqual({ allowed: true, currentlyAvailable: 1000, maximumAvailable: 1000, restoreRate: 50, retryAfterSeconds: 0 });
    expect(await redis.exists(key)).toBe(0); // a full bucket keeps no state
  });

  it('drains, then refuses without taking anything and says when the cost will fit', async () => {
    const bucket = { capacity: 100, restoreRate: 10 };
    expect((await tryConsume(redis, key, 60, bucket)).allowed).toBe(true);
    const refused = await tryConsume(redis, key, 60, bucket);
    expect(refused.allowed).toBe(false);
    expect(refused.currentlyAvailable).toBeGreaterThanOrEqual(40);
    expect(refused.currentlyAvailable).toBeLessThanOrEqual(42);
    // 20 points missing at 10 points/s
    expect(refused.retryAfterSeconds).toBeGreaterThan(1.7);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(2);
    const after = await tryConsume(redis, key, 0, bucket);
    expect(after.currentlyAvailable).toBeGreaterThanOrEqual(40);
    expect(after.currentlyAvailable).toBeLessThanOrEqual(43);
  });

  it('never allows a cost larger than the whole bucket', async () => {
    const status = await tryConsume(redis, key, 101, { capacity: 100, restoreRate: 10 });
    expect(status.allowed).toBe(false);
    expect(status.retryAfterSeconds).toBe(Infinity);
  });

  it('refills at the restore rate, measured on the Redis clock', async () => {
    const bucket = { capacity: 1000, restoreRate: 100 };
    const before = await serverSeconds();
    expect((await tryConsume(redis, key, 1000, bucket)).allowed).toBe(true);
    await sleep(400);
    const status = await tryConsume(redis, key, 0, bucket);
    const elapsed = (await serverSeconds()) - before;
    expect(status.currentlyAvailable).toBeGreaterThanOrEqual(Math.floor(0.38 * bucket.restoreRate));
    expect(status.currentlyAvailable).toBeLessThanOrEqual(Math.ceil(elapsed * bucket.restoreRate));
  });

  it('never refills past its capacity, and forgets a bucket once it would be full again', async () => {
    const bucket = { capacity: 10, restoreRate: 1000 };
    await tryConsume(redis, key, 10, bucket);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10 + 1000);
    await sleep(50);
    expect((await tryConsume(redis, key, 0, bucket)).currentlyAvailable).toBe(10);
  });

  it('gives refunds back, up to the capacity', async () => {
    const bucket = { capacity: 100, restoreRate: 0.01 };
    await tryConsume(redis, key, 80, bucket);
    const refunded = await refund(redis, key, 50, bucket);
    expect(refunded.allowed).toBe(true);
    expect(refunded.currentlyAvailable).toBe(70);
    expect((await refund(redis, key, 1000, bucket)).currentlyAvailable).toBe(100);
    expect((await refund(redis, key, -30, bucket)).currentlyAvailable).toBe(100); // a negative refund takes nothing
  });

  it('never goes negative under concurrent consumption from several connections', async () => {
    const bucket = { capacity: 100, restoreRate: 0.001 };
    const conns = [redis, new Redis(REDIS_URL), new Redis(REDIS_URL)];
    try {
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => tryConsume(conns[i % 3], key, 7, bucket)));
      expect(results.filter((r) => r.allowed)).toHaveLength(14); // 14 × 7 = 98 ≤ 100 < 15 × 7
      expect(Math.min(...results.map((r) => r.currentlyAvailable))).toBeGreaterThanOrEqual(0);
      expect((await tryConsume(redis, key, 0, bucket)).currentlyAvailable).toBe(2);
    } finally {
      await Promise.all(conns.slice(1).map((c) => c.quit()));
    }
  });

  it('loads its script on a server that has never seen it', async () => {
    // A private server: SCRIPT FLUSH on the shared one would disturb other suites' scripts.
    const own = await connectRedis();
    try {
      await own.connection.script('FLUSH');
      expect((await tryConsume(own.connection, key, 5, { capacity: 10, restoreRate: 1 })).currentlyAvailable).toBe(5);
      expect((await tryConsume(own.connection, key, 5, { capacity: 10, restoreRate: 1 })).allowed).toBe(true);
    } finally {
      await own.close();
    }
  });
});
