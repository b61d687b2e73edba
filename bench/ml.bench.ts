// `npm run bench:ml [-- --size medium|large|medium,large] [--epochs 2] [--torch-seconds 25] [--no-torch]`
//
// The conversion model's speed on the generator's shops (seed 1): training examples/s, batch scoring
// predictions/s, online latency of scoreCustomer (100 products), test AUC (beside the oracle AUC of
// the simulation's true probabilities where truth/ has them) and peak RSS — beside the same
// architecture in PyTorch (bench/ml/torch_conversion.py: same tables, dims, towers, head widths and
// batch size, on synthetic tensors of the same sizes), run with dense Adam and with sparse embeddings
// + SparseAdam, when Debian's python3 has `torch` (python3-torch); otherwise a note and no PyTorch.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { initBackend } from '../src/ml/backend';
import { auc } from '../src/ml/metrics';
import { contextDim } from '../src/ml/conversion/context-features';
import { loadGeneratorDataset } from '../src/ml/conversion/generator-dataset';
import { RECENT_ENGAGED } from '../src/ml/conversion/history-state';
import { exampleSet, prepareConversionData } from '../src/ml/conversion/prepare';
import { DEFAULT_TRAIN_OPTIONS, trainConversionModel } from '../src/ml/conversion/train';
import { flag, numberFlag } from './lib/args';
import { RssSampler } from './lib/rss-sampler';
import { ensureShop } from './lib/ensure-shop';

const SEED = 1;
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = path.resolve(__dirname, '..', '..', 'bench', 'ml', 'torch_conversion.py');

interface TorchResult {
  mode: 'dense' | 'sparse';
  torch: string;
  threads: number;
  trainExamples: number;
  trainSeconds: number;
  trainExamplesPerSecond: number;
  scoreRows: number;
  scoreSeconds: number;
  predictionsPerSecond: number;
  parameters: number;
  peakRssBytes: number;
  finalLoss: number;
}

interface TfResult {
  size: string;
  backend: string;
  threads?: number;
  rows: { train: number; validation: number; test: number };
  loadSeconds: number;
  prepareSeconds: number;
  epochs: number;
  trainExamplesPerSecondReported: number;
  trainExamplesPerSecondWall: number;
  trainWallSeconds: number;
  scoreRows: number;
  predictionsPerSecond: number;
  onlineP50Ms: number;
  onlineP99Ms: number;
  testAuc: number;
  oracleAuc?: number;
  oracleRows?: number;
  peakRssBytes: number;
  shape: Record<string, unknown>;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

async function benchTf(size: string, epochs: number): Promise<TfResult> {
  const { dir } = await ensureShop(size, SEED);
  const rss = new RssSampler(100).begin();
  let t = performance.now();
  const data = await loadGeneratorDataset(dir);
  const loadSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const prep = prepareConversionData(data);
  const prepareSeconds = (performance.now() - t) / 1000;
  const backend = await initBackend();
  console.log(`[${size}] ${data.exposures.count} exposures (train ${prep.split.train.length}, validation ${prep.split.validation.length}, ` +
    `test ${prep.split.test.length}); backend ${backend.name}${backend.notes.length ? ` (${backend.notes.join('; ')})` : ''}`);

  t = performance.now();
  const model = await trainConversionModel(prep, { seed: SEED, maxEpochs: epochs }, (e) =>
    console.log(`[${size}] epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, val AUC ${e.valAuc.toFixed(4)}, ${Math.round(e.examplesPerSecond)} ex/s`));
  const trainWallSeconds = (performance.now() - t) / 1000;
  const trainedRows = model.training.epochs.length * prep.split.train.length;

  // Batch scoring of the test split (point-in-time history and recent items, as evaluation uses them).
  const test = exampleSet(prep, prep.split.test);
  // Warm-up on a slice (kernels, product vectors: the product side is computed once per model).
  const warm = exampleSet(prep, prep.split.test.slice(0, 4096));
  model.predict(warm.examples, { history: warm.history, recent: warm.recent });
  t = performance.now();
  const p = model.predict(test.examples, { history: test.history, recent: test.recent });
  const scoreSeconds = (performance.now() - t) / 1000;
  const testAuc = auc(p, test.examples.label);
  let oracleAuc: number | undefined;
  let oracleRows: number | undefined;
  const truth = test.examples.truthP;
  if (truth) {
    const rows: number[] = [];
    for (let i = 0; i < truth.length; i++) if (Number.isFinite(truth[i])) rows.push(i);
    if (rows.length > 0) {
      oracleRows = rows.length;
      oracleAuc = auc(rows.map((i) => truth[i]), rows.map((i) => test.examples.label[i]));
    }
  }

  // Online path: 1,000 calls of scoreCustomer with 100 products each, at the data's end.
  const nProducts = data.products.count;
  const nCustomers = data.customers.count;
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const at = data.dataEnd;
  const lat: number[] = [];
  for (let call = 0; call < 1050; call++) {
    const c = Math.floor(rand() * nCustomers);
    const idx = Int32Array.from({ length: 100 }, () => Math.floor(rand() * nProducts));
    const s = performance.now();
    model.scoreCustomer(c, idx, { time: at });
    const ms = performance.now() - s;
    if (call >= 50) lat.push(ms); // 50 warm-up calls
  }
  lat.sort((a, b) => a - b);
  const peak = rss.end();
  const products = data.products;
  const shape = {
    rows: prep.split.train.length, customers: data.customers.count, products: products.count,
    categories: products.categories.length, brands: products.brands.length, tokenBuckets: products.tokenBuckets,
    tokensPerProduct: products.tokensPerProduct, recent: RECENT_ENGAGED, dim: DEFAULT_TRAIN_OPTIONS.dim,
    contentDim: DEFAULT_TRAIN_OPTIONS.contentDim, contentHidden: DEFAULT_TRAIN_OPTIONS.contentHidden,
    hidden: DEFAULT_TRAIN_OPTIONS.hidden, contextWidth: contextDim(prep.schema), batchSize: DEFAULT_TRAIN_OPTIONS.batchSize,
    customerHashBuckets: DEFAULT_TRAIN_OPTIONS.customerHashBuckets, scoreRows: test.examples.count,
    learningRate: DEFAULT_TRAIN_OPTIONS.learningRate, engagementWeight: DEFAULT_TRAIN_OPTIONS.engagementWeight,
  };
  model.dispose();
  return {
    size, backend: backend.name, threads: backend.threads,
    rows: { train: prep.split.train.length, validation: prep.split.validation.length, test: prep.split.test.length },
    loadSeconds, prepareSeconds, epochs: model.training.epochs.length,
    trainExamplesPerSecondReported: model.training.trainExamplesPerSecond,
    trainExamplesPerSecondWall: trainedRows / trainWallSeconds, trainWallSeconds,
    scoreRows: test.examples.count, predictionsPerSecond: test.examples.count / scoreSeconds,
    onlineP50Ms: quantile(lat, 0.5), onlineP99Ms: quantile(lat, 0.99), testAuc, oracleAuc, oracleRows,
    peakRssBytes: peak, shape,
  };
}

function torchAvailable(): { ok: boolean; note: string } {
  if (!existsSync(PYTHON)) return { ok: false, note: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import torch, sys; sys.stdout.write(torch.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) {
    return { ok: false, note: `${PYTHON} has no torch (${(r.stderr || '').trim().split('\n').pop()}); install Debian's python3-torch to compare` };
  }
  return { ok: true, note: `torch ${r.stdout.trim()}` };
}

function runTorch(mode: 'dense' | 'sparse', shape: Record<string, unknown>, seconds: number): TorchResult | string {
  const args = [TORCH_SCRIPT, '--mode', mode, '--max-seconds', String(seconds), '--shape', JSON.stringify(shape)];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) return `PyTorch ${mode} failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as TorchResult;
  } catch {
    return `PyTorch ${mode}: unreadable output ${line.slice(0, 200)}`;
  }
}

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const mb = (b: number) => `${Math.round(b / 2 ** 20).toLocaleString('en-US')} MB`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');

function table(tf: TfResult, torch: { dense?: TorchResult; sparse?: TorchResult }): string {
  const lines = [
    `### ${tf.size} shop (seed ${SEED}): ${fmt(tf.rows.train)} training rows, ${fmt(tf.scoreRows)} scored test rows, batch ${tf.shape.batchSize}`,
    '',
    '| implementation | training ex/s | scoring pred/s | TF.js ÷ this (train) | TF.js ÷ this (score) | peak RSS |',
    '|---|---:|---:|---:|---:|---:|',
    `| TF.js (${tf.backend}, ${tf.threads ?? '?'} thread) | ${fmt(tf.trainExamplesPerSecondReported)} (wall ${fmt(tf.trainExamplesPerSecondWall)}) | ${fmt(tf.predictionsPerSecond)} | 1.00× | 1.00× | ${mb(tf.peakRssBytes)} |`,
  ];
  for (const [label, r] of [['PyTorch dense Adam', torch.dense], ['PyTorch sparse + SparseAdam', torch.sparse]] as const) {
    if (!r) continue;
    lines.push(`| ${label} (torch ${r.torch}, ${r.threads} threads) | ${fmt(r.trainExamplesPerSecond)} | ${fmt(r.predictionsPerSecond)} | ` +
      `${ratio(tf.trainExamplesPerSecondReported, r.trainExamplesPerSecond)} | ${ratio(tf.predictionsPerSecond, r.predictionsPerSecond)} | ${mb(r.peakRssBytes)} |`);
  }
  lines.push('');
  lines.push(`TF.js: ${tf.epochs} epoch(s) in ${tf.trainWallSeconds.toFixed(1)} s wall (reported ex/s = training batches only; wall includes per-epoch ` +
    `validation and calibration); load ${tf.loadSeconds.toFixed(1)} s, prepare ${tf.prepareSeconds.toFixed(1)} s. ` +
    `Online scoreCustomer(100 products) over 1,000 calls: p50 ${tf.onlineP50Ms.toFixed(2)} ms, p99 ${tf.onlineP99Ms.toFixed(2)} ms. ` +
    `Test AUC ${tf.testAuc.toFixed(4)}` + (tf.oracleAuc !== undefined ? ` (oracle ${tf.oracleAuc.toFixed(4)} on ${fmt(tf.oracleRows!)} rows with truth; ` +
    `ratio ${(tf.testAuc / tf.oracleAuc).toFixed(3)}; ${tf.epochs} epoch(s) only).` : '.'));
  for (const r of [torch.dense, torch.sparse]) {
    if (r) lines.push(`PyTorch ${r.mode}: ${fmt(r.trainExamples)} synthetic examples in ${r.trainSeconds.toFixed(1)} s, ${fmt(r.parameters)} parameters, final loss ${r.finalLoss.toFixed(4)}.`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sizes = (flag('size') ?? 'medium').split(',').map((s) => s.trim()).filter(Boolean);
  const epochs = numberFlag('epochs', process.env.BENCH_ML_EPOCHS, 2);
  const torchSeconds = numberFlag('torch-seconds', process.env.BENCH_ML_TORCH_SECONDS, 25);
  const skipTorch = process.argv.includes('--no-torch');
  const out: string[] = [];
  for (const size of sizes) {
    const tf = await benchTf(size, epochs);
    const torch: { dense?: TorchResult; sparse?: TorchResult } = {};
    const notes: string[] = [];
    const avail = skipTorch ? { ok: false, note: '--no-torch' } : torchAvailable();
    if (!avail.ok) notes.push(`PyTorch skipped: ${avail.note}.`);
    else {
      for (const mode of ['dense', 'sparse'] as const) {
        console.log(`[${size}] PyTorch ${mode} (up to ${torchSeconds} s of training) …`);
        const r = runTorch(mode, { ...tf.shape, scoreRows: tf.scoreRows }, torchSeconds);
        if (typeof r === 'string') notes.push(r);
        else torch[mode] = r;
      }
    }
    out.push(table(tf, torch) + (notes.length ? '\n' + notes.join('\n') : ''));
    console.log(JSON.stringify({ tf, torch }));
  }
  console.log('\n' + out.join('\n\n'));
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
