import { ConfigError, parseConfig } from '../../src/config/config';

describe('configuration', () => {
  it('defaults to the embedded database and in-process workers when no DATABASE_URL is given', () => {
    const c = parseConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.embeddedWorker).toBe(true);
    expect(c.maxQueryCost).toBe(1000);
    expect(c.throttleRestoreRate).toBe(50);
    expect(c.dataDir.endsWith('.data')).toBe(true);
  });

  it('runs workers separately when a PostgreSQL URL is given', () => {
    const c = parseConfig({ DATABASE_URL: 'postgresql://u@h:5432/db' });
    expect(c.embeddedWorker).toBe(false);
  });

  it('reports every bad variable in one error', () => {
    let err: unknown;
    try { parseConfig({ PORT: 'eighty', REDIS_URL: 'not a url', LOG_LEVEL: 'loud' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/PORT/);
    expect(msg).toMatch(/REDIS_URL/);
    expect(msg).toMatch(/LOG_LEVEL/);
  });
});
