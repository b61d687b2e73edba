// `npm run bench:conversion-quality [-- --size small|medium|small,medium] [--seed 1] [--epochs N] [--options JSON] [--json]`
//
// The conversion model's held-out quality on the generator's shops, where each exposure's true
// purchase probability is known: overall and per popularity bucket (head / torso / tail / new) AUC of
// the model, the popularity and logistic baselines and the oracle (true probabilities), with the
// model ÷ oracle ratios the issue's goals are stated in (overall ≥ 0.97×, each bucket ≥ 0.95×).
// Training is the product's default (early stopping on validation AUC) unless --epochs caps it.
// Shops are generated once into .data/bench-shops/<size>-<seed> (as bench:ml does) and reused.
import { initBackend } from '../src/ml/backend';
import { fitBaselines } from '../src/ml/conversion/baselines';
import { evaluateConversion, type ConversionEvaluation } from '../src/ml/conversion/evaluate';
import { loadGeneratorDataset } from '../src/ml/conversion/generator-dataset';
import { BUCKETS, exampleSet, prepareConversionData } from '../src/ml/conversion/prepare';
import { trainConversionModel, type TrainConversionOptions } from '../src/ml/conversion/train';
import { flag } from './lib/args';
import { ensureShop } from './lib/ensure-shop';

interface QualityResult {
  size: string;
  seed: number;
  rows: { train: number; validation: number; test: number };
  epochs: number;
  bestEpoch: number;
  trainExamplesPerSecond: number;
  trainWallSeconds: number;
  /** Validation AUC of the kept epoch (what early stopping chose on; compare changes on this). */
  bestValAuc: number;
  evaluation: ConversionEvaluation;
}

async function measure(size: string, seed: number, maxEpochs: number | undefined, extra: TrainConversionOptions): Promise<QualityResult> {
  const { dir } = await ensureShop(size, seed, { childProcess: true }); // keeps the generator's world out of this heap
  const data = await loadGeneratorDataset(dir);
  const prep = prepareConversionData(data);
  const t = performance.now();
  const model = await trainConversionModel(prep, { seed, ...(maxEpochs ? { maxEpochs } : {}), ...extra }, (e) =>
    console.log(`[${size}-${seed}] epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, val AUC ${e.valAuc.toFixed(4)}, ${Math.round(e.examplesPerSecond)} ex/s`));
  const trainWallSeconds = (performance.now() - t) / 1000;
  const baselines = fitBaselines(prep);
  const evaluation = evaluateConversion(model, baselines, exampleSet(prep, prep.split.test));
  const out: QualityResult = {
    size, seed, rows: { train: prep.split.train.length, validation: prep.split.validation.length, test: prep.split.test.length },
    epochs: model.training.epochs.length, bestEpoch: model.training.bestEpoch,
    trainExamplesPerSecond: model.training.trainExamplesPerSecond, trainWallSeconds, evaluation,
    bestValAuc: Math.max(...model.training.epochs.map((e) => e.valAuc)),
  };
  model.dispose();
  return out;
}

const f3 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));

function table(r: QualityResult): string {
  const e = r.evaluation;
  const lines = [
    `### ${r.size} shop, seed ${r.seed}: ${r.rows.train.toLocaleString('en-US')} train / ${r.rows.validation.toLocaleString('en-US')} validation / ` +
      `${e.rows.toLocaleString('en-US')} test rows (${e.positives.toLocaleString('en-US')} positives); ${r.epochs} epochs (best ${r.bestEpoch}), ` +
      `${Math.round(r.trainExamplesPerSecond).toLocaleString('en-US')} train ex/s, ${r.trainWallSeconds.toFixed(0)} s wall; ` +
      `validation AUC ${r.bestValAuc.toFixed(4)}`,
    '',
    '| rows | n | products | model | popularity | logistic | oracle | model ÷ oracle | goal |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| all | ${e.rows} | | ${f3(e.model.calibrated.auc)} | ${f3(e.popularity.auc)} | ${f3(e.logistic.auc)} | ${f3(e.oracle?.auc)} | ${f3(e.oracleRatio)} | 0.970 |`,
  ];
  for (const name of BUCKETS) {
    const b = e.buckets[name];
    lines.push(`| ${name} | ${b.rows} | ${b.products} | ${f3(b.auc.model)} | ${f3(b.auc.popularity)} | ${f3(b.auc.logistic)} | ${f3(b.auc.oracle)} | ${f3(b.oracleRatio)} | 0.950 |`);
  }
  lines.push('', `log loss ${e.model.calibrated.logLoss.toFixed(4)} (oracle ${e.oracle ? e.oracle.logLoss.toFixed(4) : '—'}), ECE ${e.model.calibrated.ece.toFixed(4)}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sizes = (flag('size') ?? 'small').split(',').map((s) => s.trim()).filter(Boolean);
  const seed = Number(flag('seed') ?? 1);
  const epochsFlag = flag('epochs');
  const maxEpochs = epochsFlag ? Number(epochsFlag) : undefined;
  // --options '{"customerL2":0.001}': training options over the defaults (for comparisons on validation AUC).
  const extra = JSON.parse(flag('options') ?? '{}') as TrainConversionOptions;
  const backend = await initBackend();
  console.log(`backend ${backend.name}${backend.notes.length ? ` (${backend.notes.join('; ')})` : ''}`);
  const out: string[] = [];
  for (const size of sizes) {
    const r = await measure(size, seed, maxEpochs, extra);
    if (process.argv.includes('--json')) console.log(JSON.stringify({ ...r, evaluation: { ...r.evaluation, model: { ...r.evaluation.model, calibrationCurve: undefined } } }));
    out.push(table(r));
  }
  console.log('\n' + out.join('\n\n'));
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
