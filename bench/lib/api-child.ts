// The real API in a child process for the HTTP benchmarks (bench/api-server.ts), configured through
// its environment: the bench database and Redis prefix, no embedded worker, and a throttle bucket so
// large it never refuses (its Redis script still runs on every request). Optionally started under
// `taskset -c <core>` — at start, so every thread it creates inherits the core. BENCH_CPU_PROF_DIR
// makes it write a V8 CPU profile when it stops.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const UNLIMITED = '1000000000';

export interface ChildUsage {
  usage: NodeJS.CpuUsage;
  rss: number;
  /** Peak RSS (getrusage maxrss). */
  maxRss: number;
}

export interface ApiChild {
  url: string;
  pid: number;
  usage(): Promise<ChildUsage>;
  /** Asks it to stop cleanly and waits for its exit. */
  stop(): Promise<void>;
  /** SIGTERM if still running (for `finally` blocks), and waits for its exit. */
  kill(): Promise<void>;
}

export async function startApiChild(o: { databaseUrl: string; redisUrl: string; queuePrefix: string; core?: string | null }): Promise<ApiChild> {
  const profDir = process.env.BENCH_CPU_PROF_DIR;
  const nodeArgs = [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), path.join(__dirname, '..', 'api-server.js')];
  const env = {
    ...process.env, DATABASE_URL: o.databaseUrl, REDIS_URL: o.redisUrl, SHELFWISE_QUEUE_PREFIX: o.queuePrefix,
    HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', SHELFWISE_EMBEDDED_WORKER: 'false',
    SHELFWISE_THROTTLE_BUCKET: UNLIMITED, SHELFWISE_THROTTLE_RESTORE_RATE: UNLIMITED,
  };
  const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
  const child: ChildProcess = o.core
    ? spawn('taskset', ['-c', o.core, process.execPath, ...nodeArgs], { env, stdio })
    : spawn(process.execPath, nodeArgs, { env, stdio });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API child exited with code ${code} before listening`)));
    child.on('message', (m: { type?: string; url?: string }) => { if (m.type === 'ready' && m.url) resolve(m.url); });
  });
  return {
    url,
    pid: child.pid!,
    usage: () => new Promise<ChildUsage>((resolve) => {
      const on = (m: { type?: string } & Partial<ChildUsage>) => {
        if (m.type === 'cpu') { child.off('message', on); resolve({ usage: m.usage!, rss: m.rss!, maxRss: m.maxRss! }); }
      };
      child.on('message', on);
      child.send('cpu');
    }),
    async stop() {
      if (!exited) child.send('stop');
      await exit;
    },
    async kill() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}
