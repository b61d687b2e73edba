// The API entry point. With an external database (DATABASE_URL) run it next to any number of
// `npm run worker` processes; `npm start` (cli/main.ts serve) also starts workers in-process when
// the database is embedded, since only one process may open a PGlite directory.
import 'reflect-metadata';
import { RunningApi, startApi } from './app';
import { openRuntime, Runtime } from './runtime';

export interface ServeOptions {
  /** Starts workers in this process (embedded mode); returns their closer. */
  startWorkers?: (rt: Runtime) => Promise<{ close(): Promise<void> }>;
  port?: number;
}

export async function serve(opts: ServeOptions = {}): Promise<{ rt: Runtime; api: RunningApi; stop(): Promise<void> }> {
  const rt = await openRuntime();
  const workers = rt.config.embeddedWorker && opts.startWorkers ? await opts.startWorkers(rt) : undefined;
  const api = await startApi(rt, { host: rt.config.host, port: opts.port ?? rt.config.port });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await api.stop();
    await workers?.close();
    await rt.close();
  };
  return { rt, api, stop };
}

export function stopOnSignals(stop: () => Promise<void>) {
  const handler = (signal: string) => {
    process.stderr.write(`\n${signal}: shutting down\n`);
    stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}

if (require.main === module) {
  serve().then(({ stop, rt }) => {
    if (rt.config.embeddedWorker) rt.log.warn('embedded database without workers: run `npm start` instead to process jobs');
    stopOnSignals(stop);
  }).catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
}
