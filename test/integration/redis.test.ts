import { checkRedisVersion, connectRedis, REDIS_INSTALL_HELP, RedisUnavailableError } from '../../src/infra/redis';
import { TEST_REDIS_URL } from '../helpers/app';

describe('Redis', () => {
  it('starts a private redis-server when no URL is given, and stops it on close', async () => {
    const handle = await connectRedis(undefined);
    expect(handle.private).toBe(true);
    expect(handle.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(handle.url).not.toBe(TEST_REDIS_URL);
    expect(await handle.connection.ping()).toBe('PONG');
    const probe = handle.duplicate();
    await handle.close();
    // The server is gone: a fresh connection to its port fails.
    const { Redis } = await import('ioredis');
    const after = new Redis(handle.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    after.on('error', () => undefined);
    await expect(after.connect()).rejects.toThrow();
    after.disconnect();
    probe.disconnect();
  });

  it('connects to a configured server and checks its version', async () => {
    const handle = await connectRedis(TEST_REDIS_URL);
    try {
      expect(handle.private).toBe(false);
      const version = await checkRedisVersion(handle.connection);
      expect(version).toMatch(/^\d+\.\d+/);
    } finally { await handle.close(); }
  });

  it('explains how to install Redis when the configured server cannot be reached', async () => {
    const err = await connectRedis('redis://127.0.0.1:1').catch((e) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect(err.message).toMatch(/apt-get install -y redis-server/);
    expect(REDIS_INSTALL_HELP).toMatch(/brew install redis/);
    expect(REDIS_INSTALL_HELP).toMatch(/docker run/);
  });

  it('says how to install Redis when none is configured and no redis-server is on PATH', async () => {
    const err = await connectRedis(undefined, 'redis-server-that-is-not-installed').catch((e) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect(err.message).toMatch(/no redis-server-that-is-not-installed is on PATH/);
    expect(err.message).toMatch(/REDIS_URL/);
    expect(err.message).toMatch(/apt-get install -y redis-server/);
  });
});
