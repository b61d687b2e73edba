// Redis for queues, pub/sub and rate limits. REDIS_URL names a server; without it we start a
// private redis-server from PATH on a free port, stopped with this process.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

export const MIN_REDIS_VERSION = [6, 2] as const;

export const REDIS_INSTALL_HELP = [
  'Shelfwise needs Redis >= 6.2. Set REDIS_URL to a running server, or install redis-server so it is on PATH:',
  '  Debian/Ubuntu: sudo apt-get install -y redis-server',
  '  macOS:         brew install redis',
  '  a container:   docker run -d -p 6379:6379 redis:7  (then REDIS_URL=redis://127.0.0.1:6379)',
].join('\n');

export class RedisUnavailableError extends Error {}

export interface RedisHandle {
  url: string;
  /** A connection for commands (BullMQ-compatible: maxRetriesPerRequest null). */
  connection: Redis;
  /** Opens another connection to the same server (subscribers need their own). */
  duplicate(): Redis;
  /** Closes connections and stops a private server. */
  close(): Promise<void>;
  private: boolean;
}

export function redisOptions() {
  return { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false } as const;
}

export async function checkRedisVersion(conn: Redis): Promise<string> {
  const info = await conn.info('server');
  const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? '0.0.0';
  const [maj, min] = version.split('.').map(Number);
  if (maj < MIN_REDIS_VERSION[0] || (maj === MIN_REDIS_VERSION[0] && min < MIN_REDIS_VERSION[1])) {
    throw new RedisUnavailableError(`Redis ${version} is too old.\n${REDIS_INSTALL_HELP}`);
  }
  return version;
}

/** `serverBin` is the redis-server executable to start when no URL is given. */
export async function connectRedis(url?: string, serverBin = 'redis-server'): Promise<RedisHandle> {
  let child: ChildProcess | undefined;
  if (!url) ({ url, child } = await startPrivateRedis(serverBin));
  // Probe once with a connection that gives up, so an unreachable server is an error at start
  // rather than the endless reconnecting that BullMQ's connections (rightly) do later.
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await checkRedisVersion(probe);
  } catch (err) {
    child?.kill('SIGTERM');
    if (err instanceof RedisUnavailableError) throw err;
    throw new RedisUnavailableError(`Cannot reach Redis at ${url}: ${(err as Error).message}\n${REDIS_INSTALL_HELP}`);
  } finally {
    probe.disconnect();
  }
  const conns: Redis[] = [];
  const open = () => { const c = new Redis(url!, redisOptions()); c.on('error', () => undefined); conns.push(c); return c; };
  const connection = open();
  return {
    url, connection, private: Boolean(child),
    duplicate: open,
    async close() {
      await Promise.all(conns.map((c) => c.quit().catch(() => c.disconnect())));
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child!.once('exit', r));
      }
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startPrivateRedis(bin: string): Promise<{ url: string; child: ChildProcess }> {
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new RedisUnavailableError(`REDIS_URL is not set and no ${bin} is on PATH.\n${REDIS_INSTALL_HELP}`);
  }
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
  process.once('exit', stop);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 50));
  }
  stop();
  throw new RedisUnavailableError(`The private redis-server did not start on port ${port}.\n${REDIS_INSTALL_HELP}`);
}
