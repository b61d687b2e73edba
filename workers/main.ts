// The worker process: `npm run worker`. Consumes every queue (or those in SHELFWISE_QUEUES);
// stops taking jobs on SIGTERM/SIGINT and lets running ones finish.
import 'reflect-metadata';
import { openRuntime } from '../src/runtime';
import { handlers } from './handlers';
import { startWorkers } from './worker-runtime';

export async function main(): Promise<void> {
  const rt = await openRuntime();
  const workers = await startWorkers({ ...rt, handlers });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.log.info({ signal }, 'worker shutting down');
    await workers.close();
    await rt.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (require.main === module) {
  main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
}
