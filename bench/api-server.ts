// The API in its own process (started by bench/lib/api-child.ts), so the load generator does not share its event
// loop. Configuration comes from the environment the parent sets (DATABASE_URL, REDIS_URL, throttle,
// queue prefix). IPC: sends {type:'ready', url}; answers 'cpu' with its process.cpuUsage(), current RSS
// and peak RSS (getrusage maxrss, so a spike between two samples is not missed); exits on 'stop'.
// Used by bench/api.bench.ts and bench/predict.bench.ts.
import 'reflect-metadata';
import { serve } from '../src/server';

async function main() {
  const { api, stop } = await serve({ port: 0 });
  process.on('message', (msg: unknown) => {
    if (msg === 'cpu') process.send?.({ type: 'cpu', usage: process.cpuUsage(), rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 });
    if (msg === 'stop') stop().then(() => process.exit(0), () => process.exit(1));
  });
  process.on('disconnect', () => { stop().finally(() => process.exit(0)); });
  process.send?.({ type: 'ready', url: api.url });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
