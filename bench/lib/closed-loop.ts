// Runs an async operation in a closed loop in this process: `concurrency` loops, each starting the
// next call when the previous one settled, for a warm-up and then a measured window.
import { performance } from 'node:perf_hooks';

export interface LoopResult { completed: number; errors: number; errorSamples: string[]; windowMs: number; latenciesMs: number[] }

export async function closedLoop(op: () => Promise<void>, o: { concurrency: number; warmupMs: number; durationMs: number }): Promise<LoopResult> {
  const t0 = performance.now();
  const from = t0 + o.warmupMs;
  const to = from + o.durationMs;
  const res: LoopResult = { completed: 0, errors: 0, errorSamples: [], windowMs: o.durationMs, latenciesMs: [] };
  const loop = async () => {
    for (;;) {
      const start = performance.now();
      if (start >= to) return;
      try {
        await op();
        const end = performance.now();
        if (start >= from && end <= to) { res.completed++; res.latenciesMs.push(end - start); }
      } catch (err) {
        res.errors++;
        if (res.errorSamples.length < 5) res.errorSamples.push(String((err as Error)?.message ?? err).slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  return res;
}
