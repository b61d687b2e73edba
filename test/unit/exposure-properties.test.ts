// Randomised properties of the exposure allocator over many seeds and catalogue shapes (both
// exploration rules): budget, floors and caps hold exactly, the long-tail share and the guardrail hold
// whenever a plan is returned, infeasibility names a share that works, and plans are deterministic.
// Plus what the default ('improvement') exploration rule promises about where exploration goes.
import { allocateExposure, greedyAllocation, type AllocationInput, type ExposurePlan } from '../../src/ml/exposure/allocate';
import { betaExceedance, betaMean, normalCdf, regularizedIncompleteBeta } from '../../src/ml/exposure/posterior';
import { SeededRng } from '../../src/ml/random';

function randomInput(seed: number): AllocationInput {
  const rng = new SeededRng(seed);
  const n = 1 + rng.int(rng.next() < 0.2 ? 5 : 160);
  const tailMode = rng.int(4); // 0: none long-tail, 1: all, 2-3: mixed
  const budget = rng.next() < 0.05 ? 0 : rng.int(rng.next() < 0.3 ? 50 : 40_000);
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n);
  const isLongTail = new Uint8Array(n);
  const min = new Float64Array(n);
  const max = new Float64Array(n);
  const seen = new Float64Array(n);
  const floorRate = rng.next() < 0.3 ? 0.3 : 0.05;
  for (let i = 0; i < n; i++) {
    isLongTail[i] = tailMode === 0 ? 0 : tailMode === 1 ? 1 : rng.next() < 0.7 ? 1 : 0;
    const rate = Math.exp(Math.log(0.02) + rng.normal());
    // Prior strength log-uniform on [2, 2000]: from nearly flat to very confident.
    const strength = 2 * Math.exp(rng.next() * Math.log(1000));
    seen[i] = isLongTail[i] ? rng.int(80) : rng.int(20_000);
    const k = Math.min(seen[i], Math.round(seen[i] * rate));
    alpha[i] = Math.min(0.999, rate) * strength + k;
    beta[i] = (1 - Math.min(0.999, rate)) * strength + seen[i] - k;
    min[i] = rng.next() < floorRate ? rng.int(30) : 0;
    const capKind = rng.next();
    max[i] = capKind < 0.1 ? min[i] : capKind < 0.6 ? min[i] + rng.int(2000) : Infinity;
  }
  return {
    products: { alpha, beta, isLongTail, minImpressions: min, maxImpressions: max, impressionsSoFar: seen },
    budget,
    longTailMinShare: rng.next() < 0.2 ? 0 : rng.next(),
    explorationShare: rng.next() < 0.2 ? 0 : 0.3 * rng.next(),
    maxConversionLoss: rng.next() < 0.1 ? 0 : 0.15 * rng.next(),
    seed,
    explorationRule: rng.next() < 0.5 ? 'improvement' : 'thompson',
  };
}

function checkPlan(input: AllocationInput, r: ExposurePlan): void {
  const p = input.products;
  const n = p.alpha.length;
  let sum = 0;
  let capSum = 0;
  let tail = 0;
  let value = 0;
  let explo = 0;
  for (let i = 0; i < n; i++) {
    const x = r.impressions[i];
    const lo = p.minImpressions![i];
    const hi = p.maxImpressions![i];
    if (!Number.isInteger(x) || x < lo || x > hi) throw new Error(`product ${i}: ${x} outside [${lo}, ${hi}]`);
    if (r.explorationImpressions[i] < 0 || r.explorationImpressions[i] > x) throw new Error(`product ${i}: exploration ${r.explorationImpressions[i]} > ${x}`);
    sum += x;
    capSum += Math.min(Math.max(hi, lo), input.budget);
    if (p.isLongTail[i]) tail += x;
    value += x * betaMean(p.alpha[i], p.beta[i]);
    explo += r.explorationImpressions[i];
  }
  expect(sum).toBe(Math.min(input.budget, capSum));
  expect(r.totals.impressions).toBe(sum);
  expect(tail).toBeGreaterThanOrEqual(Math.ceil(input.longTailMinShare * sum - 1e-9));
  expect(r.totals.expectedConversions).toBeCloseTo(value, 6);
  expect(value).toBeGreaterThanOrEqual((1 - input.maxConversionLoss) * r.greedyExpectedConversions - 1e-9 * Math.max(1, value));
  expect(r.guardrailHolds).toBe(true);
  expect(explo).toBe(r.totals.explorationImpressions);
  expect(explo).toBeLessThanOrEqual(Math.floor(input.explorationShare * sum + 1e-9));
}

describe('allocateExposure: randomised hard constraints', () => {
  it('respects budget, floors, caps, long-tail share and the guardrail exactly over 150 random shapes', () => {
    const outcomes = { feasible: 0, floors: 0, conflict: 0, explored: 0 };
    for (let seed = 1; seed <= 150; seed++) {
      const input = randomInput(seed);
      const r = allocateExposure(input);
      let floorSum = 0;
      for (let i = 0; i < input.products.alpha.length; i++) floorSum += input.products.minImpressions![i];
      if (floorSum > input.budget) {
        expect(r.feasible).toBe(false);
        if (!r.feasible) expect(r.reason).toBe('FLOORS_EXCEED_BUDGET');
        outcomes.floors++;
        continue;
      }
      if (r.feasible) {
        checkPlan(input, r);
        outcomes.feasible++;
        if (r.totals.explorationImpressions > 0) outcomes.explored++;
        continue;
      }
      // Share and guardrail (or capacity) conflict: the named share is below the request and works.
      outcomes.conflict++;
      expect(['GUARDRAIL_CONFLICT', 'LONG_TAIL_CAPACITY']).toContain(r.reason);
      expect(r.maxFeasibleLongTailShare).toBeLessThan(input.longTailMinShare);
      const retry = allocateExposure({ ...input, longTailMinShare: r.maxFeasibleLongTailShare });
      expect(retry.feasible).toBe(true);
      if (retry.feasible) checkPlan({ ...input, longTailMinShare: r.maxFeasibleLongTailShare }, retry);
    }
    // The generator reaches every branch, so the properties are not vacuous.
    expect(outcomes.feasible).toBeGreaterThan(60);
    expect(outcomes.conflict).toBeGreaterThan(5);
    expect(outcomes.floors).toBeGreaterThan(2);
    expect(outcomes.explored).toBeGreaterThan(20);
  });

  it('is deterministic for a fixed seed under both exploration rules, and the seed matters for Thompson', () => {
    let differs = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const input = { ...randomInput(seed), longTailMinShare: 0.2, explorationShare: 0.2, maxConversionLoss: 0.5 };
      for (const rule of ['improvement', 'thompson'] as const) {
        const a = allocateExposure({ ...input, explorationRule: rule });
        const b = allocateExposure({ ...input, explorationRule: rule });
        expect(a.feasible).toBe(b.feasible);
        if (a.feasible && b.feasible) {
          expect(Array.from(a.impressions)).toEqual(Array.from(b.impressions));
          expect(Array.from(a.explorationImpressions)).toEqual(Array.from(b.explorationImpressions));
          expect(Array.from(a.reasons)).toEqual(Array.from(b.reasons));
        }
      }
      const t1 = allocateExposure({ ...input, explorationRule: 'thompson' });
      const t2 = allocateExposure({ ...input, explorationRule: 'thompson', seed: input.seed + 1000 });
      if (t1.feasible && t2.feasible && Array.from(t1.explorationImpressions).join() !== Array.from(t2.explorationImpressions).join()) differs++;
    }
    expect(differs).toBeGreaterThan(3);
  });
});

describe("the 'improvement' exploration rule", () => {
  /** 20 well-measured head products, an unmeasured promising tail product, a well-measured poor one. */
  function planted(): AllocationInput {
    const n = 40;
    const alpha = new Float64Array(n);
    const beta = new Float64Array(n);
    const isLongTail = new Uint8Array(n);
    const seen = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const head = i < 20;
      isLongTail[i] = head ? 0 : 1;
      const rate = head ? 0.02 + 0.001 * i : 0.008;
      seen[i] = head ? 50_000 : 400;
      alpha[i] = rate * (seen[i] + 50);
      beta[i] = (1 - rate) * (seen[i] + 50);
    }
    // Products 37 and 38: no data, priors worth 20 impressions at 1% and 1.5% — plausibly better than the bar.
    alpha[37] = 0.2;
    beta[37] = 19.8;
    seen[37] = 0;
    alpha[38] = 0.3;
    beta[38] = 19.7;
    seen[38] = 0;
    // Product 39: 200k impressions at 0.5% — certainly worse than the bar.
    alpha[39] = 1000;
    beta[39] = 199_000;
    seen[39] = 200_000;
    return {
      products: { alpha, beta, isLongTail, impressionsSoFar: seen, maxImpressions: new Float64Array(n).fill(1000) },
      budget: 10_000,
      longTailMinShare: 0,
      explorationShare: 0.05,
      maxConversionLoss: 0.2,
      seed: 3,
      // Test batches worth 50 purchases at the bar: a full cap (1000) each, so the split is ∝ probability.
      explorationBatchPurchases: 50,
    };
  }

  it('explores products that could beat the marginal product, never those the plan already exploits or that are known to be worse', () => {
    const input = planted();
    const r = allocateExposure(input);
    if (!r.feasible) throw new Error(r.message);
    const g = greedyAllocation(input).impressions;
    expect(r.explorationImpressions[39]).toBe(0);
    for (let i = 0; i < 40; i++) if (g[i] > 0) expect(r.explorationImpressions[i]).toBe(0);
    // Demand = P(θ > bar) × test batch (here the cap); the bar is the marginal greedy product's mean.
    let bar = Infinity;
    for (let i = 0; i < 40; i++) if (g[i] > 0) bar = Math.min(bar, input.products.alpha[i] / (input.products.alpha[i] + input.products.beta[i]));
    let demand = 0;
    for (let i = 0; i < 40; i++) {
      if (g[i] > 0) continue;
      const p = betaExceedance(input.products.alpha[i], input.products.beta[i], bar);
      if (p > 1e-4) demand += p * Math.min(1000, Math.ceil(50 / bar));
    }
    expect(r.totals.explorationImpressions).toBe(Math.min(500, Math.round(demand)));
    const p37 = betaExceedance(0.2, 19.8, bar);
    const p38 = betaExceedance(0.3, 19.7, bar);
    expect(p38).toBeGreaterThan(p37);
    expect(r.explorationImpressions[38] / r.explorationImpressions[37]).toBeCloseTo(p38 / p37, 1);
    // Most goes to the two unmeasured products; the measured 0.8% tail products (20–36) get little.
    expect(r.explorationImpressions[37] + r.explorationImpressions[38]).toBeGreaterThan(0.6 * r.totals.explorationImpressions);
    for (let i = 20; i < 37; i++) expect(r.explorationImpressions[i]).toBeLessThan(r.explorationImpressions[37]);
    // As the unmeasured products get measured (here: 400 impressions at 1%), the demand falls.
    const alpha = Float64Array.from(input.products.alpha);
    const beta = Float64Array.from(input.products.beta);
    const seen = Float64Array.from(input.products.impressionsSoFar!);
    for (const i of [37, 38]) {
      alpha[i] += 4;
      beta[i] += 396;
      seen[i] += 400;
    }
    const later = allocateExposure({ ...input, products: { ...input.products, alpha, beta, impressionsSoFar: seen } });
    if (!later.feasible) throw new Error(later.message);
    expect(later.totals.explorationImpressions).toBeLessThan(0.5 * r.totals.explorationImpressions);
  });

  it('lets well-measured products out of exploration without an impression cut-off', () => {
    const input = planted();
    const limited = allocateExposure({ ...input, explorationMaxImpressions: 100 });
    if (!limited.feasible) throw new Error(limited.message);
    for (let i = 0; i < 40; i++) if (limited.explorationImpressions[i] > 0) expect(input.products.impressionsSoFar![i]).toBeLessThan(100);
    expect(limited.explorationImpressions[37] + limited.explorationImpressions[38]).toBeGreaterThan(0.8 * limited.totals.explorationImpressions);
  });

  it('computes P(θ > x) consistently with the incomplete beta and the normal limit', () => {
    expect(betaExceedance(2, 5, 0.3)).toBeCloseTo(1 - regularizedIncompleteBeta(0.3, 2, 5), 12);
    expect(betaExceedance(3000, 7000, 0.3)).toBeCloseTo(0.5, 2);
    // Normal approximation above 200/200: within a few thousandths (skew), plenty for exploration weights.
    expect(betaExceedance(300, 700, 0.32)).toBeCloseTo(1 - regularizedIncompleteBeta(0.32, 300, 700), 2);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});
