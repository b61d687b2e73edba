// Chooses the TensorFlow.js backend once per process (or worker thread): the native tfjs-node backend
// when it is installed, else WASM with our extra kernels. The pure-JS CPU backend is thousands of times
// slower for training, so it is used only when a caller explicitly allows it (tests of pure maths,
// tools); otherwise initBackend throws with the reason each faster backend failed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from './wasm-kernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Threads the backend computes with, where it says (WASM under Node: 1). */
  threads?: number;
  /** Why faster backends were not used (empty when the first choice worked). */
  notes: string[];
}

export interface InitBackendOptions {
  /** Accept the pure-JS CPU backend when neither tfjs-node nor WASM loads (never silently). */
  allowCpu?: boolean;
  /**
   * Fast backends to try, in order (default both). `['wasm']` skips tfjs-node even where it is
   * installed (benchmarks, tests of the WASM path); `[]` tries none (tests of the CPU refusal).
   */
  candidates?: readonly ('tensorflow' | 'wasm')[];
}

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

/** The backend initBackend selected, or null before it ran (for /readyz and model metadata). */
export function currentBackend(): BackendInfo | null {
  return current;
}

/** The folder holding the WASM backend's .wasm binaries (the package's dist folder). */
export function wasmBinaryDir(): string {
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  let dir = path.dirname(entry);
  for (let i = 0; i < 3; i++) {
    if (existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))) return dir + path.sep;
    if (existsSync(path.join(dir, 'dist', 'tfjs-backend-wasm.wasm'))) return path.join(dir, 'dist') + path.sep;
    dir = path.dirname(dir);
  }
  throw new Error(`tfjs-backend-wasm is installed (${entry}) but its .wasm files were not found next to it`);
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

async function tryNative(notes: string[]): Promise<boolean> {
  try {
    // Optional dependency: absent, or present without its native binding (install script skipped or
    // its libtensorflow download failed) — both are expected and mean "use WASM".
    require('@tensorflow/tfjs-node');
  } catch (err) {
    notes.push(`tfjs-node unavailable: ${message(err)}`);
    return false;
  }
  try {
    if (await tf.setBackend('tensorflow')) return true;
    notes.push('tfjs-node loaded but the tensorflow backend failed to initialise');
  } catch (err) {
    notes.push(`tfjs-node backend failed: ${message(err)}`);
  }
  return false;
}

async function tryWasm(notes: string[]): Promise<number | null> {
  try {
    // Loaded lazily (and by require, so the CJS bundle shares our tfjs-core instance): importing it
    // registers the backend, which should happen only when we mean to use it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmBinaryDir());
    registerWasmKernels();
    if (await tf.setBackend('wasm')) return wasm.getThreadsCount();
    notes.push('the wasm backend failed to initialise');
  } catch (err) {
    notes.push(`wasm backend failed: ${message(err)}`);
  }
  return null;
}

async function select(opts: InitBackendOptions): Promise<BackendInfo> {
  const notes: string[] = [];
  for (const candidate of opts.candidates ?? ['tensorflow', 'wasm']) {
    if (candidate === 'tensorflow' && (await tryNative(notes))) return { name: 'tensorflow', notes };
    if (candidate === 'wasm') {
      const threads = await tryWasm(notes);
      if (threads !== null) return { name: 'wasm', threads, notes };
    }
  }
  if (notes.length === 0) notes.push('no fast backend was tried');
  if (!opts.allowCpu) {
    throw new Error(
      `No fast TensorFlow.js backend: ${notes.join('; ')}. The pure-JS CPU backend is far too slow to train on; ` +
        'install @tensorflow/tfjs-backend-wasm (or tfjs-node), or pass allowCpu to accept it.',
    );
  }
  await tf.setBackend('cpu');
  return { name: 'cpu', threads: 1, notes };
}

/**
 * Selects and initialises the backend. Idempotent: later calls return the first result (a failed
 * attempt is not cached, so a caller may retry with allowCpu). Call it once at the start of a
 * process or worker thread before any tfjs work.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (current) {
    if (current.name === 'cpu' && !opts.allowCpu) {
      throw new Error('The CPU backend was selected earlier with allowCpu; this caller does not allow it');
    }
    return current;
  }
  pending ??= select(opts);
  try {
    current = await pending;
    await tf.ready();
    return current;
  } finally {
    pending = null;
  }
}

/**
 * Forgets the selection so the next initBackend chooses again (tests, tools comparing backends).
 * Tensors and models created on the old backend must not be used afterwards.
 */
export function resetBackendSelection(): void {
  current = null;
}

/** Throws unless initBackend has run (model code calls this before touching tensors). */
export function requireBackend(): BackendInfo {
  if (!current) throw new Error('initBackend() must be awaited before training or scoring');
  return current;
}
