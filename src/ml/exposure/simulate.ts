// Closed-loop simulation of exposure policies against known true conversion rates: each round a policy
// plans the placement's impression budget from its current posteriors, the impressions are served, the
// purchases are drawn from the TRUE rates (or by a caller-supplied sampler, e.g. shopper by shopper from
// the synthetic shop's purchase model), and the posteriors are updated before the next plan. Pure: typed
// arrays in, figures out; the bench wires it to the generator and tests use it on planted catalogues.
import { SeededRng } from '../random';
import { allocateExposure, greedyAllocation, type AllocationInput } from './allocate';
import { catalogueCoverage, exposureGini, longTailShare } from './metrics';
import { betaPrior } from './posterior';
import { waterFill } from './water-fill';

export interface SimulatedCatalogue {
  /** True per-impression conversion rate of each product at the placement (what the oracle knows). */
  trueRate: ArrayLike<number>;
  isLongTail: ArrayLike<number>;
  /** The conversion model's prediction for each product (prior mean). */
  predicted: ArrayLike<number>;
  /** Impressions and purchases logged at the placement before round 1 (default none). */
  historyImpressions?: ArrayLike<number>;
  historyPurchases?: ArrayLike<number>;
}

export type SimulatedPolicy =
  /** Greedy on the true rates: the best any policy could do under the same budget and caps. */
  | { kind: 'oracle' }
  /** Greedy on the posterior mean, no exploration, no long-tail floor. */
  | { kind: 'greedy' }
  /** The same number of impressions for every product (up to caps). */
  | { kind: 'uniform' }
  /** Impressions in proportion to fixed weights (e.g. organic popularity: today's ranking), up to caps. */
  | { kind: 'proportional'; weights: ArrayLike<number> }
  /** allocateExposure with its long-tail floor, exploration slice and guardrail. */
  | {
      kind: 'shelfwise';
      maxConversionLoss: number;
      longTailMinShare: number;
      explorationShare: number;
      explorationMaxImpressions?: number;
    };

export interface SimulationConfig {
  rounds: number;
  /** Impressions per round (integer). */
  budget: number;
  /** Per-product cap per round (integer; default: no cap). */
  maxImpressions?: number;
  /** Pseudo-impressions the prediction is worth in the prior. */
  priorStrength: number;
  seed: number;
  /**
   * Purchases from `impressions` impressions of `product` in a round. Default: a Binomial draw at the
   * true rate. Must be unbiased for the true rate, or the oracle is not the oracle.
   */
  drawPurchases?: (product: number, impressions: number, rng: SeededRng) => number;
}

export interface RoundFigures {
  round: number;
  impressions: number;
  /** Purchases drawn this round. */
  conversions: number;
  /** Σ impressions × true rate: the plan's conversions without the sampling noise. */
  trueExpectedConversions: number;
  /** The oracle plan's true expected conversions this round. */
  oracleExpectedConversions: number;
  /** oracle − trueExpected (pseudo-regret, ≥ 0). */
  regret: number;
  /** What the policy itself expected from the plan (posterior means). */
  plannedExpectedConversions: number;
  longTailShare: number;
  coverage: number;
  gini: number;
  explorationImpressions: number;
  /** Long-tail share the plan was asked for (shelfwise: lowered to the feasible maximum when needed). */
  longTailShareRequested: number;
}

export interface PolicyRun {
  rounds: RoundFigures[];
  totals: {
    impressions: number;
    conversions: number;
    trueExpectedConversions: number;
    oracleExpectedConversions: number;
    regret: number;
    longTailShare: number;
    /** Share of products with at least one impression over all rounds. */
    coverage: number;
    /** Gini of the cumulative exposure over all rounds (zero-exposure products included). */
    gini: number;
  };
  /** Cumulative impressions and purchases per product (history excluded). */
  impressions: Float64Array;
  purchases: Float64Array;
}

/** Binomial(n, p) by geometric waiting times: exact, O(n·p + 1) uniforms. */
export function sampleBinomial(n: number, p: number, rng: SeededRng): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(n, 1 - p, rng);
  const logQ = Math.log1p(-p);
  let k = 0;
  let pos = 0;
  for (;;) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    pos += Math.floor(Math.log(u) / logQ) + 1;
    if (pos > n) return k;
    k++;
  }
}

function checkCatalogue(c: SimulatedCatalogue): number {
  const n = c.trueRate.length;
  for (const [name, arr] of [
    ['isLongTail', c.isLongTail],
    ['predicted', c.predicted],
    ['historyImpressions', c.historyImpressions],
    ['historyPurchases', c.historyPurchases],
  ] as const) {
    if (arr && arr.length !== n) throw new RangeError(`${name} must have one entry per product`);
  }
  return n;
}

/** Uniform plan: budget split evenly (remainder rotated by round), then capped leftovers re-spread. */
function uniformPlan(n: number, budget: number, cap: number, round: number): Float64Array {
  const out = new Float64Array(n);
  const per = Math.min(cap, Math.floor(budget / n));
  let left = budget;
  for (let i = 0; i < n; i++) {
    out[i] = per;
    left -= per;
  }
  for (let k = 0; k < n && left > 0; k++) {
    const i = (round * 7919 + k) % n;
    if (out[i] < cap) {
      out[i]++;
      left--;
    }
  }
  return out;
}

/** Budget ∝ weights, water-filled under the cap, integers by largest remainder (ties by index). */
function proportionalPlan(weights: ArrayLike<number>, budget: number, cap: number): Float64Array {
  return waterFill(weights, budget, () => cap);
}

/** Runs one policy for `config.rounds` rounds. Deterministic for a fixed seed. */
export function simulateExposurePolicy(catalogue: SimulatedCatalogue, policy: SimulatedPolicy, config: SimulationConfig): PolicyRun {
  const n = checkCatalogue(catalogue);
  if (!Number.isInteger(config.budget) || config.budget < 0) throw new RangeError('budget must be a non-negative integer');
  const cap = config.maxImpressions ?? Infinity;
  const rng = new SeededRng(config.seed);
  const draw = config.drawPurchases ?? ((j: number, k: number, g: SeededRng) => sampleBinomial(k, catalogue.trueRate[j], g));
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n);
  const seen = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const prior = betaPrior(catalogue.predicted[i], config.priorStrength);
    const h = catalogue.historyImpressions ? catalogue.historyImpressions[i] : 0;
    const k = catalogue.historyPurchases ? catalogue.historyPurchases[i] : 0;
    alpha[i] = prior.alpha + k;
    beta[i] = prior.beta + h - k;
    seen[i] = h;
  }
  const lt = Uint8Array.from({ length: n }, (_, i) => (catalogue.isLongTail[i] ? 1 : 0));
  const maxImpressions = cap === Infinity ? undefined : new Float64Array(n).fill(cap);
  // The oracle: greedy on the true rates (a Beta so concentrated that its mean is the rate).
  const huge = 1e12;
  const trueAlpha = Float64Array.from({ length: n }, (_, i) => Math.max(1e-9, catalogue.trueRate[i]) * huge);
  const trueBeta = Float64Array.from({ length: n }, (_, i) => Math.max(1e-9, 1 - catalogue.trueRate[i]) * huge);
  const oracle = greedyAllocation({
    products: { alpha: trueAlpha, beta: trueBeta, isLongTail: lt, maxImpressions },
    budget: config.budget,
    longTailMinShare: 0,
    explorationShare: 0,
    maxConversionLoss: 0,
    seed: 0,
  }).impressions;
  let oracleValue = 0;
  for (let i = 0; i < n; i++) oracleValue += oracle[i] * catalogue.trueRate[i];

  const cumImpr = new Float64Array(n);
  const cumBuy = new Float64Array(n);
  const rounds: RoundFigures[] = [];
  for (let t = 0; t < config.rounds; t++) {
    const input: AllocationInput = {
      products: { alpha, beta, isLongTail: lt, maxImpressions, impressionsSoFar: seen },
      budget: config.budget,
      longTailMinShare: 0,
      explorationShare: 0,
      maxConversionLoss: 0,
      seed: (config.seed * 1000 + t) | 0,
    };
    let plan: Float64Array;
    let planned = 0;
    let explo = 0;
    let requested = 0;
    if (policy.kind === 'oracle') plan = oracle;
    else if (policy.kind === 'greedy') plan = greedyAllocation(input).impressions;
    else if (policy.kind === 'uniform') plan = uniformPlan(n, config.budget, cap, t);
    else if (policy.kind === 'proportional') plan = proportionalPlan(policy.weights, config.budget, cap);
    else {
      requested = policy.longTailMinShare;
      const ask: AllocationInput = {
        ...input,
        longTailMinShare: policy.longTailMinShare,
        explorationShare: policy.explorationShare,
        maxConversionLoss: policy.maxConversionLoss,
        explorationMaxImpressions: policy.explorationMaxImpressions,
      };
      let r = allocateExposure(ask);
      if (!r.feasible && r.reason !== 'FLOORS_EXCEED_BUDGET') {
        // What a merchandiser does with the userError: accept the largest share the guardrail allows.
        requested = r.maxFeasibleLongTailShare;
        r = allocateExposure({ ...ask, longTailMinShare: requested });
      }
      if (!r.feasible) throw new Error(`simulation: infeasible plan (${r.reason}): ${r.message}`);
      plan = r.impressions;
      explo = r.totals.explorationImpressions;
    }
    let impressions = 0;
    let conversions = 0;
    let trueExpected = 0;
    for (let i = 0; i < n; i++) {
      const x = plan[i];
      planned += x * (alpha[i] / (alpha[i] + beta[i]));
      if (x <= 0) continue;
      const k = draw(i, x, rng);
      impressions += x;
      conversions += k;
      trueExpected += x * catalogue.trueRate[i];
      cumImpr[i] += x;
      cumBuy[i] += k;
      alpha[i] += k;
      beta[i] += x - k;
      seen[i] += x;
    }
    rounds.push({
      round: t + 1,
      impressions,
      conversions,
      trueExpectedConversions: trueExpected,
      oracleExpectedConversions: oracleValue,
      regret: Math.max(0, oracleValue - trueExpected),
      plannedExpectedConversions: planned,
      longTailShare: longTailShare(plan, lt),
      coverage: catalogueCoverage(plan),
      gini: exposureGini(plan),
      explorationImpressions: explo,
      longTailShareRequested: requested,
    });
  }
  const sum = (f: (r: RoundFigures) => number): number => rounds.reduce((s, r) => s + f(r), 0);
  return {
    rounds,
    totals: {
      impressions: sum((r) => r.impressions),
      conversions: sum((r) => r.conversions),
      trueExpectedConversions: sum((r) => r.trueExpectedConversions),
      oracleExpectedConversions: sum((r) => r.oracleExpectedConversions),
      regret: sum((r) => r.regret),
      longTailShare: longTailShare(cumImpr, lt),
      coverage: catalogueCoverage(cumImpr),
      gini: exposureGini(cumImpr),
    },
    impressions: cumImpr,
    purchases: cumBuy,
  };
}
