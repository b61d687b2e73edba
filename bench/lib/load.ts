// A closed-loop HTTP load generator: `clients` keep-alive connections, each sending the next request
// as soon as the previous answer arrived. Counts only requests that complete inside the measured
// window (after the warm-up); latencies are those requests' full round trips.
import { performance } from 'node:perf_hooks';
import { httpPoster } from './http-post';

export interface LoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** True when a 200 response body is a success (e.g. no GraphQL `errors`). */
  ok: (body: string) => boolean;
}

export interface LoadResult {
  completed: number;
  /** Failed requests over the whole run, warm-up included. */
  errors: number;
  errorSamples: string[];
  windowMs: number;
  latenciesMs: number[];
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const poster = httpPoster(o.url, o.headers, o.clients);
  const t0 = performance.now();
  const measureFrom = t0 + o.warmupMs;
  const measureTo = measureFrom + o.durationMs;
  const res: LoadResult = { completed: 0, errors: 0, errorSamples: [], windowMs: o.durationMs, latenciesMs: [] };
  const fail = (why: string) => {
    res.errors++;
    if (res.errorSamples.length < 5) res.errorSamples.push(why.slice(0, 300));
  };

  const client = async () => {
    for (;;) {
      const start = performance.now();
      if (start >= measureTo) return;
      let outcome: string | null = null;
      try {
        const r = await poster.post(o.body);
        if (r.status !== 200) outcome = `HTTP ${r.status}: ${r.body}`;
        else if (!o.ok(r.body)) outcome = `GraphQL error: ${r.body}`;
      } catch (err) {
        outcome = `network: ${(err as Error).message}`;
      }
      const end = performance.now();
      if (outcome !== null) fail(outcome); // errors count in the warm-up too
      else if (start >= measureFrom && end <= measureTo) { res.completed++; res.latenciesMs.push(end - start); }
      if (outcome?.startsWith('network')) await new Promise((r) => setTimeout(r, 50));
    }
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  poster.close();
  return res;
}
