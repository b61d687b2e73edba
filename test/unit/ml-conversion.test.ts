// The conversion model end to end on the generator's small shop (seed 1): trained on the earlier
// 70% of exposures, early-stopped and calibrated on the next 10%, scored on the last 20%, beside the
// baselines and the oracle (the simulation's true purchase probabilities). Measured on this shop
// (5 epochs, `npm run bench:conversion-quality -- --size small --epochs 5`): model AUC 0.875 vs
// popularity 0.821, logistic 0.866, oracle 0.919 (ratio 0.952); new products 0.773 vs popularity
// 0.621, logistic 0.747 (oracle 0.869, ratio 0.890). Before customer vectors were regularised harder
// (3 epochs, the best of them the 2nd): 0.872 (0.948) and new 0.754. The bands leave room for noise.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateShop } from '../../src/generator';
import { initBackend } from '../../src/ml/backend';
import { fitBaselines, type ConversionBaselines } from '../../src/ml/conversion/baselines';
import { evaluateConversion, type ConversionEvaluation } from '../../src/ml/conversion/evaluate';
import { loadGeneratorDataset } from '../../src/ml/conversion/generator-dataset';
import { CUSTOMER_KEYED, type CounterName } from '../../src/ml/conversion/history-state';
import { pairOwner } from '../../src/ml/conversion/labels';
import type { ConversionModel } from '../../src/ml/conversion/model';
import { exampleSet, prepareConversionData, type PreparedConversionData } from '../../src/ml/conversion/prepare';
import { extendProductFeatures } from '../../src/ml/conversion/product-features';
import { deserializeConversionModel, serializeConversionModel } from '../../src/ml/conversion/serialize';
import { trainConversionModel, type EpochReport, type TrainingReport } from '../../src/ml/conversion/train';

let dir: string;
let prep: PreparedConversionData;
let model: ConversionModel & { training: TrainingReport };
let baselines: ConversionBaselines;
let evaluation: ConversionEvaluation;
let reloaded: ConversionModel;
const epochs: EpochReport[] = [];

beforeAll(async () => {
  await initBackend({ candidates: ['wasm'] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'shelfwise-ml-'));
  await generateShop({ size: 'small', seed: 1, outDir: dir });
  const data = await loadGeneratorDataset(dir);
  prep = prepareConversionData(data);
  model = await trainConversionModel(prep, { seed: 1, maxEpochs: 5 }, (e) => epochs.push(e));
  baselines = fitBaselines(prep);
  evaluation = evaluateConversion(model, baselines, exampleSet(prep, prep.split.test));
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  model?.dispose();
});

describe('conversion model on the small generated shop', () => {
  it('reports each epoch with its loss and validation AUC', () => {
    expect(epochs.length).toBeGreaterThanOrEqual(2);
    expect(epochs.length).toBeLessThanOrEqual(5);
    for (const e of epochs) {
      expect(e.loss).toBeGreaterThan(0);
      expect(e.valAuc).toBeGreaterThan(0.8);
    }
    expect(model.metadata.backend).toBe('wasm');
  });

  it('ranks held-out exposures better than popularity and close to the oracle', () => {
    const { model: m, popularity, logistic, oracle } = evaluation;
    expect(evaluation.rows).toBeGreaterThan(10_000);
    expect(m.calibrated.auc).toBeGreaterThan(popularity.auc + 0.02);
    expect(m.calibrated.auc).toBeGreaterThan(logistic.auc - 0.01);
    expect(oracle).toBeDefined();
    expect(evaluation.oracleRatio!).toBeGreaterThan(0.93);
    expect(evaluation.oracleRatio!).toBeLessThan(1.01);
  });

  it('scores new products (launched within 30 days of the split) better than popularity does', () => {
    const b = evaluation.buckets.new;
    expect(b.rows).toBeGreaterThan(500);
    expect(b.auc.model).toBeGreaterThan(b.auc.popularity + 0.1);
    expect(b.auc.model).toBeGreaterThan(b.auc.logistic);
    expect(b.oracleRatio!).toBeGreaterThan(0.85);
  });

  it('is calibrated on the validation slice, lowering ECE there, and stays calibrated on held-out rows', () => {
    const v = model.training.calibration.validation;
    expect(model.training.calibration.method).not.toBe('none');
    expect(v.eceAfter).toBeLessThan(v.eceBefore);
    expect(v.logLossAfter).toBeLessThanOrEqual(v.logLossBefore);
    // Held out, the raw model is already nearly calibrated (ECE ≈ 0.004–0.008 here): the calibrated
    // one must stay within a small band of it and of the truth's own ECE.
    expect(evaluation.model.calibrated.ece).toBeLessThan(0.01);
    expect(evaluation.model.calibrated.logLoss).toBeLessThan(evaluation.model.raw.logLoss + 0.001);
  });

  it('reloads from its serialised bytes and predicts identically', async () => {
    const bytes = await serializeConversionModel(model);
    const back = await deserializeConversionModel(bytes);
    const test = exampleSet(prep, prep.split.test);
    const a = model.predict(test.examples, { history: test.history });
    const b = back.predict(test.examples, { history: test.history });
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    expect(maxDiff).toBeLessThan(1e-6);
    const products = [0, 5, 17, 42];
    const at = prep.data.dataEnd;
    expect(Array.from(back.scoreCustomer(3, products, { time: at }))).toEqual(Array.from(model.scoreCustomer(3, products, { time: at })));
    reloaded = back;
  });

  it('forgets a customer: no counter, recent product or id vector of theirs survives a save and reload', async () => {
    const copy = reloaded;
    const c = prep.data.purchases.customer[0];
    expect(copy.history.counters.customerBuys.get(c)).toBeGreaterThan(0);
    copy.forgetCustomer(c);
    const back = await deserializeConversionModel(await serializeConversionModel(copy));
    const left: string[] = [];
    for (const [name, counter] of Object.entries(back.history.counters)) {
      const byCustomer = CUSTOMER_KEYED.has(name as CounterName);
      for (const key of counter.keys()) if ((byCustomer ? key : pairOwner(key)) === c) left.push(name);
    }
    expect(left).toEqual([]);
    expect(back.history.recent(c)).toEqual([]);
    const row = back.tables.customer.weights.subarray(c * back.config.dim, (c + 1) * back.config.dim);
    expect(Array.from(row).every((v) => v === 0)).toBe(true);
    expect(back.scoreCustomer(c, [0, 1], { time: prep.data.dataEnd }).every((p) => p > 0 && p < 1)).toBe(true);
    copy.dispose();
    back.dispose();
  });

  it('scores a product created after training from its content, and the score follows the content', () => {
    const base = prep.data.products;
    const twin = 10;
    const other = base.category.findIndex((c) => c !== base.category[twin]);
    const at = prep.data.dataEnd;
    const row = (p: number, title: string) => ({
      category: base.categories[base.category[p]], brand: base.brands[base.brand[p]] ?? null,
      price: Math.exp(base.logRelPrice[p]) * (base.categoryMedianPrice?.[base.category[p]] ?? 1),
      title, description: title, tags: [], launchedAt: at - 86_400_000, createdAt: at - 2 * 86_400_000,
    });
    model.updateProducts(extendProductFeatures(base, [row(twin, 'Copy of a known product'), row(other, 'A different thing entirely')]));
    const fresh = base.count;
    const customers = [1, 2, 3, 4, 5, 6, 7, 8];
    const scoresA = customers.map((c) => model.scoreCustomer(c, [fresh], { time: at, placement: 'new_arrivals' })[0]);
    const scoresB = customers.map((c) => model.scoreCustomer(c, [fresh + 1], { time: at, placement: 'new_arrivals' })[0]);
    for (const s of [...scoresA, ...scoresB]) {
      expect(Number.isFinite(s)).toBe(true);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(1);
    }
    const diff = scoresA.map((s, k) => Math.abs(s - scoresB[k]));
    expect(Math.max(...diff)).toBeGreaterThan(1e-4);
    model.updateProducts(base);
  });
});
