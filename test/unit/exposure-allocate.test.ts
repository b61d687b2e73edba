// The exposure allocator: hard constraints, the conversion guardrail, the greedy baseline, the
// trade-off curve, exposure metrics, Thompson exploration and the off-policy estimate.
import {
  allocateExposure,
  greedyAllocation,
  reasonCodes,
  reasonText,
  tradeoffCurve,
  type AllocationInput,
  type ExposurePlan,
} from '../../src/ml/exposure/allocate';
import { offPolicyEstimate } from '../../src/ml/exposure/ips';
import { catalogueCoverage, exposureGini, longTailShare } from '../../src/ml/exposure/metrics';
import { posteriorFromPrediction } from '../../src/ml/exposure/posterior';
import { SeededRng } from '../../src/ml/random';

interface Catalogue {
  trueRate: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
  isLongTail: Uint8Array;
  seen: Float64Array;
}

/** Head products: well observed, decent rates. Long tail: barely observed, rates spread widely. */
function simulateCatalogue(seed: number, n = 120, headShare = 0.25): Catalogue {
  const rng = new SeededRng(seed);
  const head = Math.round(n * headShare);
  const trueRate = new Float64Array(n);
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n);
  const isLongTail = new Uint8Array(n);
  const seen = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tail = i >= head;
    isLongTail[i] = tail ? 1 : 0;
    trueRate[i] = tail ? 0.005 + 0.07 * rng.next() : 0.03 + 0.03 * rng.next();
    const predicted = Math.min(0.2, Math.max(0.001, trueRate[i] * Math.exp(0.4 * rng.normal())));
    const nSeen = tail ? rng.int(60) : 1000 + rng.int(4000);
    let k = 0;
    for (let t = 0; t < nSeen; t++) if (rng.next() < trueRate[i]) k++;
    const post = posteriorFromPrediction(predicted, 30, nSeen, k);
    alpha[i] = post.alpha;
    beta[i] = post.beta;
    seen[i] = nSeen;
  }
  return { trueRate, alpha, beta, isLongTail, seen };
}

function baseInput(c: Catalogue, over: Partial<AllocationInput> = {}): AllocationInput {
  return {
    products: { alpha: c.alpha, beta: c.beta, isLongTail: c.isLongTail, impressionsSoFar: c.seen },
    budget: 20000,
    longTailMinShare: 0,
    explorationShare: 0,
    maxConversionLoss: 0.05,
    seed: 1,
    ...over,
  };
}

function feasible(r: ReturnType<typeof allocateExposure>): ExposurePlan {
  if (!r.feasible) throw new Error(`expected a feasible plan, got ${r.reason}: ${r.message}`);
  return r;
}

describe('allocateExposure: hard constraints', () => {
  it('always respects the budget, integer impressions, floors, caps, long-tail share and the guardrail', () => {
    let feasibleCount = 0;
    for (let seed = 1; seed <= 14; seed++) {
      const c = simulateCatalogue(seed, 80);
      const rng = new SeededRng(1000 + seed);
      const n = c.alpha.length;
      const min = new Float64Array(n);
      const max = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        min[i] = rng.next() < 0.3 ? rng.int(50) : 0;
        max[i] = rng.next() < 0.5 ? min[i] + 50 + rng.int(800) : Infinity;
      }
      const budget = 5000 + rng.int(20000);
      const input: AllocationInput = {
        products: { alpha: c.alpha, beta: c.beta, isLongTail: c.isLongTail, minImpressions: min, maxImpressions: max, impressionsSoFar: c.seen },
        budget,
        longTailMinShare: 0.5 * rng.next(),
        explorationShare: 0.2 * rng.next(),
        maxConversionLoss: 0.1 * rng.next(),
        seed,
      };
      const r = allocateExposure(input);
      if (!r.feasible) {
        expect(['GUARDRAIL_CONFLICT', 'LONG_TAIL_CAPACITY']).toContain(r.reason);
        expect(r.maxFeasibleLongTailShare).toBeLessThan(input.longTailMinShare);
        continue;
      }
      feasibleCount++;
      let capSum = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = r.impressions[i];
        expect(Number.isInteger(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(min[i]);
        expect(x).toBeLessThanOrEqual(max[i]);
        capSum += Math.min(max[i], budget);
        sum += x;
      }
      expect(sum).toBe(Math.min(budget, capSum));
      expect(r.totals.longTailShare).toBeGreaterThanOrEqual(input.longTailMinShare - 1e-12);
      expect(r.totals.expectedConversions).toBeGreaterThanOrEqual((1 - input.maxConversionLoss) * r.greedyExpectedConversions - 1e-6);
      expect(r.guardrailHolds).toBe(true);
      expect(r.explorationShareUsed).toBeLessThanOrEqual(input.explorationShare + 1e-12);
    }
    expect(feasibleCount).toBeGreaterThan(5);
  });

  it('reports floors that exceed the budget instead of breaking them', () => {
    const c = simulateCatalogue(3, 10);
    const r = allocateExposure(baseInput(c, { budget: 100, products: { ...baseInput(c).products, minImpressions: new Float64Array(10).fill(20) } }));
    expect(r.feasible).toBe(false);
    if (!r.feasible) expect(r.reason).toBe('FLOORS_EXCEED_BUDGET');
  });

  it('is deterministic for a fixed seed', () => {
    const c = simulateCatalogue(5);
    const input = baseInput(c, { longTailMinShare: 0.3, explorationShare: 0.1, maxConversionLoss: 0.1, seed: 42 });
    const a = feasible(allocateExposure(input));
    const b = feasible(allocateExposure(input));
    expect(Array.from(a.impressions)).toEqual(Array.from(b.impressions));
    expect(Array.from(a.reasons)).toEqual(Array.from(b.reasons));
  });
});

describe('allocateExposure: guardrail and long-tail share', () => {
  it('meets the requested long-tail share when the guardrail allows it', () => {
    const c = simulateCatalogue(11);
    const greedyShare = longTailShare(greedyAllocation(baseInput(c)).impressions, c.isLongTail);
    const r = feasible(allocateExposure(baseInput(c, { longTailMinShare: 0.3, maxConversionLoss: 0.5 })));
    expect(r.totals.longTailShare).toBeGreaterThanOrEqual(0.3);
    expect(r.totals.longTailShare).toBeGreaterThanOrEqual(greedyShare);
  });

  it('reports a guardrail conflict naming exactly the largest long-tail share the guardrail allows', () => {
    for (const seed of [2, 4, 8]) {
      const c = simulateCatalogue(seed);
      const caps = new Float64Array(c.alpha.length).fill(300);
      const input = baseInput(c, {
        products: { ...baseInput(c).products, maxImpressions: caps },
        budget: 10000,
        longTailMinShare: 1,
        maxConversionLoss: 0.003,
        explorationShare: 0.1,
      });
      const r = allocateExposure(input);
      expect(r.feasible).toBe(false);
      if (r.feasible) continue;
      expect(r.reason).toBe('GUARDRAIL_CONFLICT');
      expect(r.message).toMatch(/largest share the guardrail allows/);
      const s = r.maxFeasibleLongTailShare;
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(1);
      // At the named share the plan exists and holds the guardrail; one more long-tail impression breaks it.
      const atMax = feasible(allocateExposure({ ...input, longTailMinShare: s }));
      expect(atMax.totals.longTailShare).toBeGreaterThanOrEqual(s);
      expect(atMax.guardrailHolds).toBe(true);
      const beyond = allocateExposure({ ...input, longTailMinShare: s + 1 / input.budget });
      expect(beyond.feasible).toBe(false);
      // The curve returned with the error includes the named share as a guardrail-meeting point.
      expect(r.tradeoff.some((p) => Math.abs(p.longTailShare - s) < 1e-12 && p.meetsGuardrail)).toBe(true);
    }
  });

  it('shrinks exploration rather than breaking the guardrail', () => {
    const c = simulateCatalogue(6);
    // Large test batches under the default rule, so exploration demand exceeds what ε = 1% pays for.
    for (const over of [{ explorationBatchPurchases: 1e6 }, { explorationRule: 'thompson' as const }]) {
      const free = feasible(allocateExposure(baseInput(c, { explorationShare: 0.5, maxConversionLoss: 1, ...over })));
      const r = feasible(allocateExposure(baseInput(c, { explorationShare: 0.5, maxConversionLoss: 0.01, ...over })));
      expect(free.totals.explorationImpressions).toBeGreaterThan(r.totals.explorationImpressions);
      expect(r.totals.explorationImpressions).toBeGreaterThan(0);
      expect(r.guardrailHolds).toBe(true);
      expect(r.explorationShareUsed).toBeLessThan(0.5);
      expect(r.conversionCost).toBeLessThanOrEqual(0.01 + 1e-12);
      // Binding: the guardrail is (nearly) used up.
      expect(r.conversionCost).toBeGreaterThan(0.009);
    }
  });
});

describe('the conversion-greedy plan', () => {
  it('equals the allocation with long-tail share 0 and no exploration', () => {
    const c = simulateCatalogue(9);
    const max = new Float64Array(c.alpha.length).fill(700);
    const input = baseInput(c, { products: { ...baseInput(c).products, maxImpressions: max } });
    const g = greedyAllocation(input);
    const r = feasible(allocateExposure(input));
    expect(Array.from(r.impressions)).toEqual(Array.from(g.impressions));
    expect(r.totals.expectedConversions).toBeCloseTo(g.expectedConversions, 9);
    expect(r.greedyExpectedConversions).toBeCloseTo(g.expectedConversions, 9);
    expect(r.conversionCost).toBeCloseTo(0, 12);
    for (let i = 0; i < c.alpha.length; i++) {
      if (r.impressions[i] === 700) expect(reasonCodes(r, i)).toContain('CAPPED');
    }
  });

  it('maximises expected conversions: brute force over every allocation of a small instance', () => {
    const alpha = [2, 5, 1, 3];
    const beta = [40, 60, 30, 20];
    const min = [1, 0, 0, 0];
    const max = [4, 3, 6, 2];
    const budget = 8;
    const mean = alpha.map((a, i) => a / (a + beta[i]));
    let best = -Infinity;
    for (let a = min[0]; a <= max[0]; a++)
      for (let b = min[1]; b <= max[1]; b++)
        for (let c = min[2]; c <= max[2]; c++) {
          const d = budget - a - b - c;
          if (d < min[3] || d > max[3]) continue;
          best = Math.max(best, a * mean[0] + b * mean[1] + c * mean[2] + d * mean[3]);
        }
    const g = greedyAllocation({
      products: { alpha, beta, isLongTail: [0, 0, 1, 1], minImpressions: min, maxImpressions: max },
      budget,
      longTailMinShare: 0,
      explorationShare: 0,
      maxConversionLoss: 0,
      seed: 0,
    });
    expect(g.expectedConversions).toBeCloseTo(best, 12);
  });
});

describe('tradeoffCurve', () => {
  it('is non-increasing in long-tail share and starts at the greedy plan', () => {
    for (const seed of [1, 2, 3]) {
      const c = simulateCatalogue(seed);
      const input = baseInput(c);
      const shares = Array.from({ length: 21 }, (_, i) => i / 20);
      const curve = tradeoffCurve(input, shares);
      expect(curve[0].expectedConversions).toBeCloseTo(greedyAllocation(input).expectedConversions, 9);
      for (let i = 1; i < curve.length; i++) {
        expect(curve[i].feasible).toBe(true);
        expect(curve[i].expectedConversions).toBeLessThanOrEqual(curve[i - 1].expectedConversions + 1e-9);
      }
      const meets = curve.map((p) => p.meetsGuardrail);
      expect(meets.lastIndexOf(true)).toBe(meets.indexOf(false) === -1 ? meets.length - 1 : meets.indexOf(false) - 1);
    }
  });
});

describe('exposure metrics', () => {
  it('Gini is 0 for an equal allocation and (n−1)/n, near 1, when one product gets everything', () => {
    expect(exposureGini([5, 5, 5, 5])).toBeCloseTo(0, 12);
    const one = new Float64Array(1000);
    one[17] = 5000;
    expect(exposureGini(one)).toBeCloseTo(999 / 1000, 12);
    expect(exposureGini([0, 0, 0])).toBe(0);
    expect(exposureGini([1, 3])).toBeCloseTo(0.25, 12);
  });

  it('coverage counts zero-exposure products and long-tail share is by impressions', () => {
    expect(catalogueCoverage([0, 3, 0, 1])).toBe(0.5);
    expect(longTailShare([10, 30, 60], [0, 1, 1])).toBeCloseTo(0.9, 12);
  });

  it('plan totals agree with the metric functions', () => {
    const c = simulateCatalogue(12);
    const r = feasible(allocateExposure(baseInput(c, { longTailMinShare: 0.3, explorationShare: 0.1, maxConversionLoss: 0.2 })));
    expect(r.totals.gini).toBeCloseTo(exposureGini(r.impressions), 12);
    expect(r.totals.coverage).toBeCloseTo(catalogueCoverage(r.impressions), 12);
    const iv = r.totals.expectedConversionsInterval;
    expect(iv.lower).toBeLessThan(r.totals.expectedConversions);
    expect(iv.upper).toBeGreaterThan(r.totals.expectedConversions);
  });
});

describe('exploration', () => {
  it('goes to products with few impressions (default rule: at most the share, the expected test traffic)', () => {
    for (const seed of [1, 2, 3]) {
      const c = simulateCatalogue(seed);
      const r = feasible(allocateExposure(baseInput(c, { explorationShare: 0.2, maxConversionLoss: 1, seed })));
      expect(r.totals.explorationImpressions).toBeGreaterThan(0);
      expect(r.totals.explorationImpressions).toBeLessThanOrEqual(Math.floor(0.2 * 20000));
      for (let i = 0; i < c.alpha.length; i++) {
        if (r.explorationImpressions[i] > 0) {
          expect(c.seen[i]).toBeLessThan(100);
          expect(reasonText(r, i, c.seen[i])).toMatch(/^EXPLORATION: \d+ impressions so far/);
        }
      }
    }
  });

  it('Thompson rule: spends the whole share on products with few impressions, and mostly so even when every product is eligible', () => {
    let fewAll = 0;
    let totalAll = 0;
    for (const seed of [1, 2, 3]) {
      const c = simulateCatalogue(seed);
      const r = feasible(allocateExposure(baseInput(c, { explorationShare: 0.2, maxConversionLoss: 1, seed, explorationRule: 'thompson' })));
      expect(r.totals.explorationImpressions).toBe(Math.floor(0.2 * 20000));
      for (let i = 0; i < c.alpha.length; i++) {
        if (r.explorationImpressions[i] > 0) {
          expect(c.seen[i]).toBeLessThan(100);
          expect(reasonCodes(r, i)).toContain('EXPLORATION');
          expect(reasonText(r, i, c.seen[i])).toMatch(/^EXPLORATION: \d+ impressions so far/);
        }
      }
      const open = feasible(
        allocateExposure(baseInput(c, { explorationShare: 0.2, maxConversionLoss: 1, seed, explorationMaxImpressions: Infinity, explorationRule: 'thompson' })),
      );
      for (let i = 0; i < c.alpha.length; i++) {
        totalAll += open.explorationImpressions[i];
        if (c.seen[i] < 100) fewAll += open.explorationImpressions[i];
      }
    }
    expect(fewAll / totalAll).toBeGreaterThan(0.7);
  });
});

describe('off-policy estimate of a plan', () => {
  it('SNIPS covers the simulated true conversions of a plan in most seeds', () => {
    let covered = 0;
    let ipsCovered = 0;
    const seeds = 20;
    for (let seed = 1; seed <= seeds; seed++) {
      const c = simulateCatalogue(seed, 60);
      const n = c.alpha.length;
      // Logging policy: popularity-skewed but with full support.
      const logW = new Float64Array(n);
      let z = 0;
      for (let i = 0; i < n; i++) z += logW[i] = c.isLongTail[i] ? 1 : 4;
      const rng = new SeededRng(500 + seed);
      const N = 6000;
      const product = new Int32Array(N);
      const propensity = new Float64Array(N);
      const purchased = new Uint8Array(N);
      const cdf = new Float64Array(n);
      let acc = 0;
      for (let i = 0; i < n; i++) cdf[i] = acc += logW[i] / z;
      for (let k = 0; k < N; k++) {
        const u = rng.next();
        let i = 0;
        while (i < n - 1 && cdf[i] < u) i++;
        product[k] = i;
        propensity[k] = logW[i] / z;
        purchased[k] = rng.next() < c.trueRate[i] ? 1 : 0;
      }
      const plan = feasible(allocateExposure(baseInput(c, { budget: 10000, longTailMinShare: 0.4, explorationShare: 0.1, maxConversionLoss: 0.3, seed })));
      let truth = 0;
      for (let i = 0; i < n; i++) truth += plan.impressions[i] * c.trueRate[i];
      const est = offPolicyEstimate(plan.impressions, { product, propensity, purchased });
      expect(est.logged).toBe(N);
      expect(est.effectiveSampleSize).toBeGreaterThan(0);
      expect(est.effectiveSampleSize).toBeLessThanOrEqual(N);
      const s = est.snips.conversionsInterval;
      if (truth >= s.lower && truth <= s.upper) covered++;
      const p = est.ips.conversionsInterval;
      if (truth >= p.lower && truth <= p.upper) ipsCovered++;
    }
    expect(covered).toBeGreaterThanOrEqual(16);
    expect(ipsCovered).toBeGreaterThanOrEqual(15);
  });

  it('offers a seeded bootstrap interval that brackets the point estimate', () => {
    const product = Int32Array.from({ length: 400 }, (_, k) => k % 4);
    const propensity = new Float64Array(400).fill(0.25);
    const purchased = Uint8Array.from({ length: 400 }, (_, k) => (k % 10 === 0 ? 1 : 0));
    const a = offPolicyEstimate([10, 20, 30, 40], { product, propensity, purchased }, { interval: 'bootstrap', seed: 3, bootstrapSamples: 200 });
    const b = offPolicyEstimate([10, 20, 30, 40], { product, propensity, purchased }, { interval: 'bootstrap', seed: 3, bootstrapSamples: 200 });
    expect(a).toEqual(b);
    expect(a.snips.conversionsInterval.lower).toBeLessThanOrEqual(a.snips.conversions);
    expect(a.snips.conversionsInterval.upper).toBeGreaterThanOrEqual(a.snips.conversions);
  });
});
