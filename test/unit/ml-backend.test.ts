// Backend selection: tfjs-node when its native binding loads, else WASM with the kernels we add;
// the pure-JS CPU backend only when a caller explicitly allows it.
import * as tf from '@tensorflow/tfjs';
import { currentBackend, initBackend, resetBackendSelection } from '../../src/ml/backend';
import { ADDED_WASM_KERNELS } from '../../src/ml/wasm-kernels';

describe('initBackend', () => {
  afterAll(() => resetBackendSelection());

  it('refuses to fall back to the CPU backend unless a caller allows it', async () => {
    await expect(initBackend({ candidates: [] })).rejects.toThrow(/CPU backend is far too slow/);
    expect(currentBackend()).toBeNull();
    const cpu = await initBackend({ candidates: [], allowCpu: true });
    expect(cpu.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    resetBackendSelection();
  });

  it('uses tfjs-node where its native binding loads, otherwise WASM, and says why', async () => {
    const info = await initBackend();
    expect(['tensorflow', 'wasm']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    expect(currentBackend()).toBe(info);
    if (info.name === 'wasm') expect(info.notes.join(' ')).toMatch(/tfjs-node/);
    resetBackendSelection();
  });

  it('selects WASM on request, reports its name and thread count, and is idempotent', async () => {
    const info = await initBackend({ candidates: ['wasm'] });
    expect(info.name).toBe('wasm');
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(await initBackend()).toBe(info);
    expect(currentBackend()?.name).toBe('wasm');
  });

  it('registers the kernels WASM lacks, so the gradient of gather sums repeated rows', async () => {
    await initBackend({ candidates: ['wasm'] });
    expect(ADDED_WASM_KERNELS).toContain('UnsortedSegmentSum');
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const grad = tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor1d([2, 0, 2], 'int32')).sum())(table);
    expect(Array.from(grad.dataSync())).toEqual([1, 1, 0, 0, 2, 2]);
    const seg = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 2, 0, 5], 'int32'), 3);
    expect(Array.from(seg.dataSync())).toEqual([4, 0, 2]);
  });

  it('trains a tf.layers Embedding model on WASM and its loss falls', async () => {
    await initBackend({ candidates: ['wasm'] });
    expect(tf.getBackend()).toBe('wasm');
    const model = tf.sequential();
    model.add(tf.layers.embedding({ inputDim: 50, outputDim: 8, inputLength: 1, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }) }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
    // Planted signal: ids below 25 are positive.
    const ids = tf.tensor2d(Array.from({ length: 400 }, (_, i) => [i % 50]), [400, 1], 'int32');
    const y = tf.tensor2d(Array.from({ length: 400 }, (_, i) => [i % 50 < 25 ? 1 : 0]), [400, 1]);
    const before = (model.evaluate(ids, y) as tf.Scalar).dataSync()[0];
    await model.fit(ids, y, { epochs: 6, batchSize: 50, verbose: 0, shuffle: false });
    const after = (model.evaluate(ids, y) as tf.Scalar).dataSync()[0];
    expect(before).toBeGreaterThan(0.6);
    expect(after).toBeLessThan(before * 0.2);
  });
});
