// The closed loop plan → responses → posterior update → re-plan on planted catalogues whose true rates
// are known, and the off-policy estimate on logs generated from the synthetic shop's purchase model.
import { buildExposureWorld } from '../../bench/exposure-world';
import { allocateExposure, greedyAllocation } from '../../src/ml/exposure/allocate';
import { offPolicyEstimate } from '../../src/ml/exposure/ips';
import { sampleBinomial, simulateExposurePolicy, type SimulatedCatalogue, type SimulatedPolicy } from '../../src/ml/exposure/simulate';
import { posteriorFromPrediction } from '../../src/ml/exposure/posterior';
import { SeededRng } from '../../src/ml/random';

/**
 * 150 products: 20 head products, well measured in the history, true rates 1.5–3%; 130 long-tail
 * products with almost no history, rates log-normal around 0.8% — a few of them beat the head. The
 * prior prediction is the truth times a log-normal error (sd 0.6), shrunk halfway to the catalogue mean.
 */
function plantedCatalogue(seed: number): SimulatedCatalogue & { trueRate: Float64Array } {
  const rng = new SeededRng(seed);
  const n = 150;
  const trueRate = new Float64Array(n);
  const predicted = new Float64Array(n);
  const isLongTail = new Uint8Array(n);
  const historyImpressions = new Float64Array(n);
  const historyPurchases = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const head = i < 20;
    isLongTail[i] = head ? 0 : 1;
    trueRate[i] = head ? 0.015 + 0.015 * rng.next() : Math.min(0.2, 0.008 * Math.exp(0.9 * rng.normal()));
    predicted[i] = Math.exp(0.5 * Math.log(trueRate[i] * Math.exp(0.6 * rng.normal())) + 0.5 * Math.log(0.01));
    historyImpressions[i] = head ? 20_000 : rng.int(40);
    historyPurchases[i] = sampleBinomial(historyImpressions[i], trueRate[i], rng);
  }
  return { trueRate, predicted, isLongTail, historyImpressions, historyPurchases };
}

const CONFIG = { rounds: 8, budget: 30_000, maxImpressions: 1_500, priorStrength: 50 };
const SHELFWISE: SimulatedPolicy = { kind: 'shelfwise', maxConversionLoss: 0.05, longTailMinShare: 0.3, explorationShare: 0.05 };

describe('closed-loop exposure simulation', () => {
  it('draws Binomial purchases with the right mean and variance', () => {
    const rng = new SeededRng(9);
    const draws = Array.from({ length: 4000 }, () => sampleBinomial(2000, 0.01, rng));
    const m = draws.reduce((s, x) => s + x, 0) / draws.length;
    const v = draws.reduce((s, x) => s + (x - m) ** 2, 0) / (draws.length - 1);
    expect(m).toBeGreaterThan(19.6);
    expect(m).toBeLessThan(20.4);
    expect(v).toBeGreaterThan(18);
    expect(v).toBeLessThan(21.6);
    expect(sampleBinomial(50, 1, rng)).toBe(50);
    expect(sampleBinomial(0, 0.3, rng)).toBe(0);
    const high = Array.from({ length: 2000 }, () => sampleBinomial(10, 0.9, rng));
    expect(high.reduce((s, x) => s + x, 0) / high.length).toBeCloseTo(9, 1);
  });

  it('keeps Shelfwise within the guardrail of greedy, ahead of it by the last rounds, with shrinking regret', () => {
    let ahead = 0;
    let lastRatioSum = 0;
    const seeds = [1, 2, 3, 4, 5, 6];
    for (const seed of seeds) {
      const cat = plantedCatalogue(seed);
      const cfg = { ...CONFIG, seed };
      const greedy = simulateExposurePolicy(cat, { kind: 'greedy' }, cfg);
      const shelf = simulateExposurePolicy(cat, SHELFWISE, cfg);
      const oracle = simulateExposurePolicy(cat, { kind: 'oracle' }, cfg);
      const uniform = simulateExposurePolicy(cat, { kind: 'uniform' }, cfg);
      // The oracle is the oracle; uniform exposure is far worse than any learning policy.
      expect(oracle.totals.regret).toBe(0);
      expect(shelf.totals.trueExpectedConversions).toBeLessThanOrEqual(oracle.totals.trueExpectedConversions + 1e-6);
      expect(uniform.totals.trueExpectedConversions).toBeLessThan(0.8 * greedy.totals.trueExpectedConversions);
      // Guardrail in the loop: cumulative true expected conversions ≥ 0.95 × greedy's in every seed.
      expect(shelf.totals.trueExpectedConversions).toBeGreaterThanOrEqual(0.95 * greedy.totals.trueExpectedConversions);
      // Long-tail floor: every round at least 30% long-tail impressions (or the share the guardrail allowed).
      for (const r of shelf.rounds) expect(r.longTailShare).toBeGreaterThanOrEqual(r.longTailShareRequested - 1e-9);
      expect(shelf.totals.coverage).toBeGreaterThan(greedy.totals.coverage);
      // Regret shrinks: the last two rounds lose less than the first two.
      const reg = shelf.rounds.map((r) => r.regret);
      expect(reg[6] + reg[7]).toBeLessThan(reg[0] + reg[1]);
      const last = (run: typeof shelf) => run.rounds.slice(-3).reduce((s, r) => s + r.trueExpectedConversions, 0);
      const ratio = last(shelf) / last(greedy);
      lastRatioSum += ratio;
      if (ratio > 1) ahead++;
    }
    // Exploration finds the long-tail products that convert: ahead of greedy by the end in most seeds.
    expect(ahead).toBeGreaterThanOrEqual(4);
    expect(lastRatioSum / seeds.length).toBeGreaterThan(1.01);
  });

  it('is deterministic for a fixed seed', () => {
    const cat = plantedCatalogue(11);
    const a = simulateExposurePolicy(cat, SHELFWISE, { ...CONFIG, seed: 4 });
    const b = simulateExposurePolicy(cat, SHELFWISE, { ...CONFIG, seed: 4 });
    expect(a.rounds).toEqual(b.rounds);
    expect(Array.from(a.impressions)).toEqual(Array.from(b.impressions));
  });
});

describe('off-policy estimate on logs generated from the synthetic shop', () => {
  it('SNIPS covers the true conversions of a Shelfwise plan in most seeds', () => {
    // The generator's tiny shop, its home page: true rates per product from the purchase model; logs
    // drawn impression by impression (shopper, slot, purchase) under a popularity-skewed logging policy.
    const w = buildExposureWorld({ size: 'tiny', seed: 5, slots: 6, historyImpressions: 20_000 });
    const n = w.trueRate.length;
    const logShare = new Float64Array(n);
    let z = 0;
    for (let i = 0; i < n; i++) z += logShare[i] = 0.5 / n + w.popularity[i];
    for (let i = 0; i < n; i++) logShare[i] /= z;
    const cdf = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) cdf[i] = acc += logShare[i];
    const alpha = new Float64Array(n);
    const beta = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = posteriorFromPrediction(w.predicted[i], 50, w.historyImpressions[i], w.historyPurchases[i]);
      alpha[i] = p.alpha;
      beta[i] = p.beta;
    }
    let covered = 0;
    let sumRelErr = 0;
    const seeds = 20;
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = new SeededRng(700 + seed);
      const N = 30_000;
      const product = new Int32Array(N);
      const propensity = new Float64Array(N);
      const purchased = new Uint8Array(N);
      for (let k = 0; k < N; k++) {
        const u = rng.next();
        let i = 0;
        while (i < n - 1 && cdf[i] <= u) i++;
        product[k] = i;
        propensity[k] = logShare[i];
        purchased[k] = w.drawPurchases(i, 1, rng);
      }
      const plan = allocateExposure({
        products: { alpha, beta, isLongTail: w.isLongTail, maxImpressions: new Float64Array(n).fill(1000), impressionsSoFar: w.historyImpressions },
        budget: 10_000,
        longTailMinShare: 0.4,
        explorationShare: 0.05,
        maxConversionLoss: 0.2,
        seed,
      });
      if (!plan.feasible) throw new Error(plan.message);
      let truth = 0;
      for (let i = 0; i < n; i++) truth += plan.impressions[i] * w.trueRate[i];
      const est = offPolicyEstimate(plan.impressions, { product, propensity, purchased });
      expect(est.unsupportedPlanShare).toBe(0);
      const iv = est.snips.conversionsInterval;
      if (truth >= iv.lower && truth <= iv.upper) covered++;
      sumRelErr += Math.abs(est.snips.conversions - truth) / truth;
    }
    expect(covered).toBeGreaterThanOrEqual(16);
    expect(sumRelErr / seeds).toBeLessThan(0.25);
  });

  it('the greedy plan on the true rates is the oracle: no plan under the same caps does better', () => {
    const cat = plantedCatalogue(3);
    const n = cat.trueRate.length;
    const huge = 1e12;
    const alpha = Float64Array.from(cat.trueRate, (r) => r * huge);
    const beta = Float64Array.from(cat.trueRate, (r) => (1 - r) * huge);
    const caps = new Float64Array(n).fill(1500);
    const oracle = greedyAllocation({ products: { alpha, beta, isLongTail: cat.isLongTail, maxImpressions: caps }, budget: 30_000, longTailMinShare: 0, explorationShare: 0, maxConversionLoss: 0, seed: 0 });
    const run = simulateExposurePolicy(cat, { kind: 'oracle' }, { ...CONFIG, seed: 1 });
    expect(run.rounds[0].trueExpectedConversions).toBeCloseTo(oracle.expectedConversions, 6);
    for (const policy of [{ kind: 'greedy' }, { kind: 'uniform' }, SHELFWISE] as SimulatedPolicy[]) {
      const r = simulateExposurePolicy(cat, policy, { ...CONFIG, seed: 1 });
      for (const q of r.rounds) expect(q.trueExpectedConversions).toBeLessThanOrEqual(q.oracleExpectedConversions + 1e-6);
    }
  });
});
