// Runs CPU-heavy work (model training, batch scoring) in a worker thread so the calling event loop
// — BullMQ lock renewal, the API — never stalls. The thread module exports a function
// `(input, post) => Promise<result>`; `post` sends progress messages back.
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.register) require(workerData.register);
require('reflect-metadata');
const fn = require(workerData.module)[workerData.exportName];
Promise.resolve(fn(workerData.input, (m) => parentPort.postMessage({ type: 'message', message: m })))
  .then((result) => parentPort.postMessage({ type: 'result', result }, collectTransfers(result)))
  .catch((err) => parentPort.postMessage({ type: 'error', error: { message: err && err.message || String(err), stack: err && err.stack } }));
function collectTransfers(v) {
  const out = new Set();
  const walk = (x, depth) => {
    if (!x || depth > 4) return;
    if (ArrayBuffer.isView(x) && x.buffer instanceof ArrayBuffer && x.byteLength === x.buffer.byteLength) out.add(x.buffer);
    else if (typeof x === 'object') for (const k of Object.keys(x)) walk(x[k], depth + 1);
  };
  walk(v, 0);
  return [...out];
}
`;

/**
 * Calls `exportName` of `modulePath` (an absolute path to a .js or, when running from source, .ts
 * file) in a new thread with `input`, transferring `transfer` buffers; resolves with its result.
 */
export function runInThread<I, R, M = unknown>(modulePath: string, exportName: string, input: I,
  opts: { transfer?: ArrayBuffer[]; onMessage?: (m: M) => void } = {}): Promise<R> {
  const register = modulePath.endsWith('.ts') ? path.join(__dirname, 'ts-register.js') : undefined;
  return new Promise<R>((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { module: modulePath, exportName, input, register },
      transferList: opts.transfer,
    });
    let settled = false;
    worker.on('message', (m: { type: string; message?: M; result?: R; error?: { message: string; stack?: string } }) => {
      if (m.type === 'message') opts.onMessage?.(m.message as M);
      else if (m.type === 'result') { settled = true; resolve(m.result as R); void worker.terminate(); }
      else if (m.type === 'error') {
        settled = true;
        const e = new Error(m.error?.message);
        e.stack = m.error?.stack;
        reject(e);
        void worker.terminate();
      }
    });
    worker.on('error', (err) => { if (!settled) { settled = true; reject(err); } });
    worker.on('exit', (code) => { if (!settled) { settled = true; reject(new Error(`worker thread exited with code ${code}`)); } });
  });
}

/** The path of a sibling module, whether running compiled (.js) or from source (.ts). */
export function siblingModule(dir: string, base: string): string {
  const ext = path.extname(__filename); // .js compiled, .ts under ts-jest
  return path.join(dir, `${base}${ext}`);
}
