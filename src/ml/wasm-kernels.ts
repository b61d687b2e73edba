// Kernels the WASM backend lacks that training needs, written in JS over the WASM heap. Registered
// once per tfjs instance (so once per worker thread): registerKernel throws on a duplicate, and we
// check first.
import * as tf from '@tensorflow/tfjs';

/** The part of the WASM backend's class these kernels use (its .d.ts is not exported from the root). */
interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * UnsortedSegmentSum: out[s, ...] = Σ_{i: ids[i] = s} x[i, ...]. It is the gradient of gather (so of
 * every Embedding layer); ids outside [0, numSegments) are dropped, as TensorFlow does.
 */
function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const x = args.inputs.x as tf.TensorInfo;
  const segmentIds = args.inputs.segmentIds as tf.TensorInfo;
  const numSegments = Number((args.attrs as { numSegments: number }).numSegments);
  const idsRank = segmentIds.shape.length;
  const inner = x.shape.slice(idsRank).reduce((a, b) => a * b, 1);
  const outShape = [numSegments, ...x.shape.slice(idsRank)];
  const out = backend.makeOutput(outShape, x.dtype);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  const xs = backend.readSync(x.dataId);
  const ids = backend.readSync(segmentIds.dataId);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) dst[to + k] += xs[from + k];
  }
  return out;
}

const KERNELS: tf.KernelConfig[] = [
  { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc },
];

/** Registers the missing WASM kernels; safe to call any number of times. */
export function registerWasmKernels(): string[] {
  const have = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  const added: string[] = [];
  for (const k of KERNELS) {
    if (have.has(k.kernelName)) continue;
    tf.registerKernel(k);
    added.push(k.kernelName);
  }
  return added;
}

export const ADDED_WASM_KERNELS = KERNELS.map((k) => k.kernelName);
