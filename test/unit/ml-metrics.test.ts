// Pure numeric helpers of src/ml: metrics, calibration, hashing and the time split.
import { calibrate, calibrateAll, fitIsotonic, fitPlatt, logit, sigmoid } from '../../src/ml/calibration';
import { hashString, hashTokens, tokenize } from '../../src/ml/hashing';
import { auc, brier, calibrationCurve, ece, logLoss } from '../../src/ml/metrics';
import { SeededRng } from '../../src/ml/random';
import { timeSplit } from '../../src/ml/split';

describe('auc', () => {
  it('is the probability that a positive outranks a negative', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(auc([0.1, 0.2, 0.9], [1, 1, 0])).toBe(0);
  });

  it('counts ties as one half', () => {
    expect(auc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    // Positive at 0.5 ties one negative (½) and beats the other (1): (1.5 + 1) / 4.
    expect(auc([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])).toBeCloseTo((1.5 + 2) / 4, 12);
  });

  it('is NaN when a class is missing', () => {
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});

describe('log loss, Brier score and ECE', () => {
  it('match hand-computed values', () => {
    expect(logLoss([0.8, 0.3], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
    expect(brier([0.8, 0.3], [1, 0])).toBeCloseTo((0.04 + 0.09) / 2, 12);
    expect(logLoss([0, 1], [1, 0])).toBeLessThan(20); // clipped, finite
  });

  it('puts equal numbers of rows in each bin and measures the positive-class gap', () => {
    const p = [0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9];
    const y = [0, 0, 0, 1, 1, 1, 1, 0];
    const bins = calibrationCurve(p, y, 2);
    expect(bins.map((b) => b.count)).toEqual([4, 4]);
    expect(bins[0].observedRate).toBe(0.25);
    expect(bins[1].meanPredicted).toBeCloseTo(0.9, 12);
    // |0.1 − 0.25| and |0.9 − 0.75|, each with half the rows.
    expect(ece(p, y, 2).ece).toBeCloseTo(0.15, 12);
  });

  it('is zero for predictions equal to the observed rate of their bin', () => {
    expect(ece([0.5, 0.5, 0.25, 0.25, 0.25, 0.25], [1, 0, 1, 0, 0, 0], 2).ece).toBeCloseTo(0, 12);
  });
});

describe('calibration', () => {
  // True probabilities in [0.01, 0.3]; the model is over-confident and biased (doubled logit + 1).
  const rng = new SeededRng(3);
  const n = 20000;
  const truth = Float64Array.from({ length: n }, () => 0.01 + 0.29 * rng.next());
  const y = Uint8Array.from(truth, (p) => (rng.next() < p ? 1 : 0));
  const scores = Float32Array.from(truth, (p) => sigmoid(2 * logit(p) + 1));
  const fit = { p: scores.subarray(0, n / 2), y: y.subarray(0, n / 2) };
  const test = { p: scores.subarray(n / 2), y: y.subarray(n / 2) };
  const before = ece(test.p, test.y).ece;

  it('Platt scaling recovers the inverse of a logit distortion and lowers ECE and log loss', () => {
    const c = fitPlatt(fit.p, fit.y);
    if (c.kind !== 'platt') throw new Error('expected platt');
    expect(c.a).toBeGreaterThan(0.35);
    expect(c.a).toBeLessThan(0.65);
    const after = calibrateAll(c, test.p);
    expect(ece(after, test.y).ece).toBeLessThan(before / 3);
    expect(logLoss(after, test.y)).toBeLessThan(logLoss(test.p, test.y));
  });

  it('isotonic regression is monotone, interpolates between blocks and lowers ECE', () => {
    const c = fitIsotonic(fit.p, fit.y);
    if (c.kind !== 'isotonic') throw new Error('expected isotonic');
    for (let k = 1; k < c.y.length; k++) expect(c.y[k]).toBeGreaterThanOrEqual(c.y[k - 1]);
    const mid = (c.x[0] + c.x[1]) / 2;
    expect(calibrate(c, mid)).toBeCloseTo((c.y[0] + c.y[1]) / 2, 6);
    expect(ece(calibrateAll(c, test.p), test.y).ece).toBeLessThan(before / 2);
  });

  it('pools adjacent violators exactly on a small case', () => {
    const c = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1], { minProb: 0 });
    if (c.kind !== 'isotonic') throw new Error('expected isotonic');
    expect(c.y).toEqual([0, 0.5, 1]);
  });
});

describe('hashing', () => {
  it('is stable, spreads strings, and tokenizes titles into hashed ids with padding', () => {
    expect(hashString('wool')).toBe(hashString('wool'));
    expect(hashString('wool')).not.toBe(hashString('wook'));
    expect(tokenize('Sleek Cushion, Wool — hand-made in the UK')).toEqual(['sleek', 'cushion', 'wool', 'hand-made', 'hand', 'made', 'uk']);
    const ids = hashTokens([{ prefix: 't:', text: 'Wool Cushion' }, { prefix: 'd:', text: 'wool' }], 5, 64);
    expect(ids.length).toBe(5);
    expect(ids[0]).toBeGreaterThan(0);
    expect(ids[2]).toBeGreaterThan(0); // d:wool differs from t:wool
    expect(Array.from(ids.subarray(3))).toEqual([0, 0]);
  });
});

describe('timeSplit', () => {
  it('puts every validation and test row after every training row', () => {
    const times = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const s = timeSplit(times, { validationShare: 0.1, testShare: 0.2 });
    expect(s.train.length + s.validation.length + s.test.length).toBe(1000);
    expect(s.test.length).toBe(200);
    const maxTrain = Math.max(...Array.from(s.train, (i) => times[i]));
    const minVal = Math.min(...Array.from(s.validation, (i) => times[i]));
    const minTest = Math.min(...Array.from(s.test, (i) => times[i]));
    expect(maxTrain).toBeLessThan(minVal);
    expect(Math.max(...Array.from(s.validation, (i) => times[i]))).toBeLessThan(minTest);
  });
});
