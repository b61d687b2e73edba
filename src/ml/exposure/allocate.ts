// Budgeted impression allocation for one placement. Expected conversions of n impressions of product i
// are n·E[θ_i] with θ_i ~ Beta(α_i, β_i), so with the exploration slice fixed the exploitation part is a
// linear programme over box constraints (floors, caps), one budget equality and one long-tail covering
// constraint; it is solved exactly by two greedy passes (long-tail products by posterior mean until the
// long-tail quota is met, then everyone by posterior mean). Exploration is a slice given to products the
// exploitation plan leaves out, in proportion to the posterior probability that each beats the product
// it would displace (Thompson sampling's expected allocation; a sequential Thompson sampler is the
// alternative rule), shrunk until the conversion guardrail holds. Budget, floors, caps and the long-tail
// share are hard; when the share and the guardrail conflict, the result is an infeasibility naming the
// largest long-tail share the guardrail allows.
import { SeededRng } from '../random';
import { betaExceedance, betaInterval, betaMean, betaVariance, normalQuantile, sampleBeta, type Interval } from './posterior';
import { catalogueCoverage, exposureGini, longTailShare } from './metrics';
import { waterFill } from './water-fill';

type Num = ArrayLike<number>;

/** Reason bits per product (a product can carry several). */
export const REASON = {
  MIN_FLOOR: 1,
  EXPLORATION: 2,
  LONG_TAIL_FLOOR: 4,
  HIGH_PREDICTED_CONVERSION: 8,
  CAPPED: 16,
} as const;
export type ReasonCode = keyof typeof REASON;
const REASON_ORDER: ReasonCode[] = ['EXPLORATION', 'LONG_TAIL_FLOOR', 'HIGH_PREDICTED_CONVERSION', 'MIN_FLOOR', 'CAPPED'];

export interface ExposureProducts {
  /** Posterior Beta parameters of each product's conversion rate at this placement. */
  alpha: Num;
  beta: Num;
  /** Non-zero for long-tail products. */
  isLongTail: Num;
  /** Hard per-product floor (default 0) and cap (default: no cap). Integers. */
  minImpressions?: Num;
  maxImpressions?: Num;
  /** Impressions observed so far at this placement (default 0); drives exploration eligibility. */
  impressionsSoFar?: Num;
}

export interface AllocationInput {
  products: ExposureProducts;
  /** Total impressions to place (integer ≥ 0). */
  budget: number;
  /** Required share of impressions on long-tail products, in [0, 1]. */
  longTailMinShare: number;
  /**
   * Most of the budget to spend on exploration, in [0, 1]. Shrunk if the guardrail needs it, and under
   * the 'improvement' rule to the expected test traffic of the products that could beat the plan.
   */
  explorationShare: number;
  /** ε: the plan must keep expected conversions ≥ (1 − ε) × the conversion-greedy plan's. */
  maxConversionLoss: number;
  seed: number;
  /**
   * Products with fewer observed impressions than this are eligible for exploration (default: no limit
   * under the 'improvement' rule, which already gives well-measured products nothing; 100 under 'thompson').
   */
  explorationMaxImpressions?: number;
  /**
   * How the exploration slice is spread. 'improvement' (default): over the products the exploitation
   * plan leaves out, in proportion to the posterior probability that the product's rate beats the rate
   * it would displace (the plan's marginal product; for long-tail products the long-tail quota's
   * marginal one when the quota binds) — the expected allocation of Thompson sampling for the plan's
   * product set, without its sampling noise. 'thompson': sequential Thompson draws in small chunks.
   */
  explorationRule?: 'improvement' | 'thompson';
  /** 'improvement' rule: purchases a test batch should show at the bar's rate (default 5). */
  explorationBatchPurchases?: number;
  /** Credible level of the intervals (default 0.9). */
  intervalLevel?: number;
}

export interface ExposurePlan {
  feasible: true;
  /** Integer impressions per product (Float64Array holding integers). */
  impressions: Float64Array;
  /** Of which exploration impressions. */
  explorationImpressions: Float64Array;
  /** Bitmask of REASON per product; use `reasonCodes` / `reasonText` to read. */
  reasons: Uint8Array;
  expectedConversions: Float64Array;
  expectedConversionsLower: Float64Array;
  expectedConversionsUpper: Float64Array;
  totals: {
    impressions: number;
    expectedConversions: number;
    /** Normal approximation over the independent posteriors (parameter uncertainty). */
    expectedConversionsInterval: Interval;
    longTailShare: number;
    coverage: number;
    gini: number;
    explorationImpressions: number;
  };
  greedyExpectedConversions: number;
  /** 1 − expected / greedy (≥ 0; ≤ ε by construction). */
  conversionCost: number;
  /** Exploration share actually used (≤ requested; lowered only when the guardrail required it). */
  explorationShareUsed: number;
  guardrailHolds: boolean;
}

export type InfeasibilityReason = 'FLOORS_EXCEED_BUDGET' | 'LONG_TAIL_CAPACITY' | 'GUARDRAIL_CONFLICT';

export interface ExposureInfeasible {
  feasible: false;
  reason: InfeasibilityReason;
  message: string;
  /** Largest long-tail share that satisfies capacity and the guardrail (NaN if floors exceed the budget). */
  maxFeasibleLongTailShare: number;
  greedyExpectedConversions: number;
  tradeoff: TradeoffPoint[];
}

export type AllocationResult = ExposurePlan | ExposureInfeasible;

export interface TradeoffPoint {
  longTailShare: number;
  feasible: boolean;
  /** Expected conversions of the best plan meeting this share (no exploration); NaN if infeasible. */
  expectedConversions: number;
  /** expectedConversions / greedy. */
  relativeToGreedy: number;
  /** Whether this share satisfies the guardrail at the input's ε. */
  meetsGuardrail: boolean;
}

// ---------------------------------------------------------------------------------------------------

interface Prepared {
  n: number;
  mean: Float64Array;
  lt: Uint8Array;
  floor: Float64Array;
  cap: Float64Array;
  seen: Float64Array;
  /** Product indices by posterior mean, descending (ties by index). */
  order: Int32Array;
  /** Long-tail products in the same order. */
  ltOrder: Int32Array;
  total: number;
  floorSum: number;
  ltCapSum: number;
}

function prepare(input: AllocationInput): Prepared {
  const p = input.products;
  const n = p.alpha.length;
  if (p.beta.length !== n || p.isLongTail.length !== n) throw new RangeError('product arrays must have equal length');
  if (p.minImpressions && p.minImpressions.length !== n) throw new RangeError('minImpressions length mismatch');
  if (p.maxImpressions && p.maxImpressions.length !== n) throw new RangeError('maxImpressions length mismatch');
  if (p.impressionsSoFar && p.impressionsSoFar.length !== n) throw new RangeError('impressionsSoFar length mismatch');
  const budget = input.budget;
  if (!Number.isInteger(budget) || budget < 0) throw new RangeError('budget must be a non-negative integer');
  for (const [name, v] of [
    ['longTailMinShare', input.longTailMinShare],
    ['explorationShare', input.explorationShare],
    ['maxConversionLoss', input.maxConversionLoss],
  ] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1]`);
  }
  const mean = new Float64Array(n);
  const lt = new Uint8Array(n);
  const floor = new Float64Array(n);
  const cap = new Float64Array(n);
  const seen = new Float64Array(n);
  let capSum = 0;
  let floorSum = 0;
  let ltCapSum = 0;
  for (let i = 0; i < n; i++) {
    const a = p.alpha[i];
    const b = p.beta[i];
    if (!(a > 0) || !(b > 0)) throw new RangeError(`product ${i}: Beta parameters must be positive`);
    mean[i] = betaMean(a, b);
    lt[i] = p.isLongTail[i] ? 1 : 0;
    const lo = p.minImpressions ? p.minImpressions[i] : 0;
    const hi = p.maxImpressions ? p.maxImpressions[i] : Infinity;
    if (!Number.isInteger(lo) || lo < 0) throw new RangeError(`product ${i}: minImpressions must be a non-negative integer`);
    if (!(hi >= lo) || (hi !== Infinity && !Number.isInteger(hi))) {
      throw new RangeError(`product ${i}: maxImpressions must be an integer ≥ minImpressions`);
    }
    floor[i] = lo;
    cap[i] = Math.min(hi, budget);
    seen[i] = p.impressionsSoFar ? p.impressionsSoFar[i] : 0;
    capSum += Math.max(cap[i], lo);
    floorSum += lo;
    if (lt[i]) ltCapSum += Math.max(cap[i], lo);
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => mean[y] - mean[x] || x - y);
  const order = Int32Array.from(idx);
  const ltOrder = Int32Array.from(idx.filter((i) => lt[i] === 1));
  return { n, mean, lt, floor, cap, seen, order, ltOrder, total: Math.min(budget, capSum), floorSum, ltCapSum };
}

interface Filled {
  alloc: Float64Array;
  ltFill: Float64Array;
  meanFill: Float64Array;
  value: number;
  ok: boolean;
}

/** Optimal completion of a fixed base allocation with `ltRequired` long-tail impressions in total. */
function fill(pr: Prepared, base: Float64Array, ltRequired: number): Filled {
  const alloc = Float64Array.from(base);
  const ltFill = new Float64Array(pr.n);
  const meanFill = new Float64Array(pr.n);
  let used = 0;
  let ltHave = 0;
  for (let i = 0; i < pr.n; i++) {
    used += alloc[i];
    if (pr.lt[i]) ltHave += alloc[i];
  }
  let remaining = pr.total - used;
  let need = ltRequired - ltHave;
  for (let k = 0; k < pr.ltOrder.length && need > 0 && remaining > 0; k++) {
    const i = pr.ltOrder[k];
    const add = Math.min(pr.cap[i] - alloc[i], need, remaining);
    if (add > 0) {
      alloc[i] += add;
      ltFill[i] = add;
      need -= add;
      remaining -= add;
    }
  }
  for (let k = 0; k < pr.order.length && remaining > 0; k++) {
    const i = pr.order[k];
    const add = Math.min(pr.cap[i] - alloc[i], remaining);
    if (add > 0) {
      alloc[i] += add;
      meanFill[i] = add;
      remaining -= add;
    }
  }
  let value = 0;
  for (let i = 0; i < pr.n; i++) value += alloc[i] * pr.mean[i];
  return { alloc, ltFill, meanFill, value, ok: need <= 0 && remaining <= 0 };
}

function ltRequiredFor(share: number, total: number): number {
  return Math.max(0, Math.ceil(share * total - 1e-9));
}

function meetsGuardrail(value: number, greedy: number, eps: number): boolean {
  return value >= (1 - eps) * greedy - 1e-9 * Math.max(1, greedy);
}

/** Largest integer long-tail impressions L such that the best plan with ≥ L is feasible and meets the guardrail. */
function maxLongTailImpressions(pr: Prepared, greedy: number, eps: number): number {
  const base = pr.floor;
  const good = (L: number): boolean => {
    const f = fill(pr, base, L);
    return f.ok && meetsGuardrail(f.value, greedy, eps);
  };
  let lo = 0; // fill(…, 0) is the greedy plan: always good once floors fit
  let hi = pr.total;
  if (good(hi)) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (good(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

const DEFAULT_CURVE_SHARES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

function curve(pr: Prepared, greedy: number, eps: number, shares: readonly number[]): TradeoffPoint[] {
  return shares.map((s) => {
    if (!(s >= 0 && s <= 1)) throw new RangeError('shares must be in [0, 1]');
    const f = fill(pr, pr.floor, ltRequiredFor(s, pr.total));
    const value = f.ok ? f.value : NaN;
    return {
      longTailShare: s,
      feasible: f.ok,
      expectedConversions: value,
      relativeToGreedy: greedy > 0 ? value / greedy : f.ok ? 1 : NaN,
      meetsGuardrail: f.ok && meetsGuardrail(value, greedy, eps),
    };
  });
}

/** One Thompson round's chunk: which product, how many impressions. */
interface ExplorationStep {
  product: number;
  amount: number;
}

/**
 * Thompson sampling over eligible products (few impressions, spare cap): R rounds, each drawing θ_i from
 * every eligible posterior and giving the round's chunk to the argmax. The steps are returned in order so
 * that a prefix is a smaller exploration slice of the same draw sequence.
 */
function thompsonSteps(pr: Prepared, input: AllocationInput, amount: number, base: Float64Array): ExplorationStep[] {
  const threshold = input.explorationMaxImpressions ?? 100;
  const eligible: number[] = [];
  for (let i = 0; i < pr.n; i++) if (pr.seen[i] < threshold && pr.cap[i] > base[i]) eligible.push(i);
  const steps: ExplorationStep[] = [];
  if (amount <= 0 || eligible.length === 0) return steps;
  // Bound the work at ~4M draws while keeping chunks small enough to spread over many products.
  const rounds = Math.max(1, Math.min(amount, 4 * eligible.length, Math.floor(4_000_000 / eligible.length) || 1));
  const rng = new SeededRng(input.seed);
  const room = new Float64Array(pr.n);
  for (const i of eligible) room[i] = pr.cap[i] - base[i];
  const a = input.products.alpha;
  const b = input.products.beta;
  let left = amount;
  for (let r = 0; r < rounds && left > 0; r++) {
    let chunk = Math.floor(amount / rounds) + (r < amount % rounds ? 1 : 0);
    let best = -1;
    let bestDraw = -Infinity;
    for (const i of eligible) {
      if (room[i] <= 0) continue;
      const draw = sampleBeta(a[i], b[i], rng);
      if (draw > bestDraw) {
        bestDraw = draw;
        best = i;
      }
    }
    if (best < 0) break;
    chunk = Math.min(chunk, room[best], left);
    room[best] -= chunk;
    left -= chunk;
    steps.push({ product: best, amount: chunk });
  }
  return steps;
}

function applySteps(base: Float64Array, steps: ExplorationStep[], count: number): Float64Array {
  const out = Float64Array.from(base);
  for (let k = 0; k < count; k++) out[steps[k].product] += steps[k].amount;
  return out;
}

/**
 * Exploration demand of each product under the 'improvement' rule, for eligible products the
 * exploitation plan leaves out (0 for the rest): P(θ_i > bar_i) × a test batch — the impressions that
 * would show `explorationBatchPurchases` purchases if the product converted at the bar (within its
 * spare cap). A Thompson round would test product i with about that probability, so the demand is the
 * expected test traffic; it falls as the posteriors sharpen. bar_i is the posterior mean of the plan's
 * marginal product (the lowest mean it fills by posterior mean); for a long-tail product, when the
 * long-tail quota binds, the quota's marginal product instead (what its impressions would displace).
 */
function improvementWeights(pr: Prepared, input: AllocationInput, exploit: Filled): Float64Array {
  const threshold = input.explorationMaxImpressions ?? Infinity;
  const batch = input.explorationBatchPurchases ?? 5;
  if (!(batch > 0)) throw new RangeError('explorationBatchPurchases must be positive');
  let bar = Infinity;
  let ltBar = Infinity;
  for (let i = 0; i < pr.n; i++) {
    if (exploit.meanFill[i] > 0) bar = Math.min(bar, pr.mean[i]);
    if (exploit.ltFill[i] > 0) ltBar = Math.min(ltBar, pr.mean[i]);
  }
  if (bar === Infinity) {
    for (let i = 0; i < pr.n; i++) if (exploit.alloc[i] > 0) bar = Math.min(bar, pr.mean[i]);
  }
  const w = new Float64Array(pr.n);
  if (bar === Infinity) return w;
  const a = input.products.alpha;
  const b = input.products.beta;
  for (let i = 0; i < pr.n; i++) {
    if (exploit.alloc[i] > pr.floor[i] || pr.cap[i] <= pr.floor[i] || !(pr.seen[i] < threshold)) continue;
    const x = pr.lt[i] && ltBar < bar ? ltBar : bar;
    const p = betaExceedance(a[i], b[i], x);
    if (p > 1e-4) w[i] = p * Math.min(pr.cap[i] - pr.floor[i], Math.ceil(batch / x));
  }
  return w;
}

/** `amount` integer impressions spread in proportion to `weights`, each product within its spare cap (cap − floor). */
function spreadExploration(pr: Prepared, weights: Float64Array, amount: number): Float64Array {
  return waterFill(weights, amount, (i) => pr.cap[i] - pr.floor[i]);
}

/** Allocate the impression budget of one placement. Deterministic for a fixed seed. */
export function allocateExposure(input: AllocationInput): AllocationResult {
  const pr = prepare(input);
  const eps = input.maxConversionLoss;
  const level = input.intervalLevel ?? 0.9;
  if (pr.floorSum > input.budget) {
    return {
      feasible: false,
      reason: 'FLOORS_EXCEED_BUDGET',
      message: `product floors need ${pr.floorSum} impressions but the budget is ${input.budget}`,
      maxFeasibleLongTailShare: NaN,
      greedyExpectedConversions: NaN,
      tradeoff: [],
    };
  }
  const greedy = fill(pr, pr.floor, 0).value;
  const L = ltRequiredFor(input.longTailMinShare, pr.total);
  const best = fill(pr, pr.floor, L);
  if (!best.ok || !meetsGuardrail(best.value, greedy, eps)) {
    const Lmax = maxLongTailImpressions(pr, greedy, eps);
    const maxShare = pr.total > 0 ? Lmax / pr.total : 0;
    const reason: InfeasibilityReason = best.ok ? 'GUARDRAIL_CONFLICT' : 'LONG_TAIL_CAPACITY';
    const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
    const message =
      reason === 'GUARDRAIL_CONFLICT'
        ? `a long-tail share of ${pct(input.longTailMinShare)} would cost more than ${pct(eps)} of the greedy plan's expected conversions; the largest share the guardrail allows is ${pct(maxShare)}`
        : `long-tail products can absorb at most ${pct(maxShare)} of the budget within their caps, the other products' floors and the conversion guardrail`;
    const shares = [...DEFAULT_CURVE_SHARES, maxShare].sort((x, y) => x - y);
    return { feasible: false, reason, message, maxFeasibleLongTailShare: maxShare, greedyExpectedConversions: greedy, tradeoff: curve(pr, greedy, eps, shares) };
  }

  const explorationBudget = Math.min(Math.floor(input.explorationShare * pr.total + 1e-9), pr.total - pr.floorSum);
  const okAt = (f: Filled): boolean => f.ok && meetsGuardrail(f.value, greedy, eps);
  let plan: Filled;
  let explo: Float64Array;
  if ((input.explorationRule ?? 'improvement') === 'thompson') {
    // Exploration slice, shrunk (by prefix of the Thompson sequence) until the guardrail holds. Fixing more
    // impressions only shrinks the feasible set, so the optimum is non-increasing in the prefix length.
    const steps = thompsonSteps(pr, input, explorationBudget, pr.floor);
    const planFor = (k: number): Filled => fill(pr, applySteps(pr.floor, steps, k), L);
    let k = steps.length;
    plan = planFor(k);
    if (!okAt(plan)) {
      let lo = 0;
      let hi = k;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (okAt(planFor(mid))) lo = mid;
        else hi = mid;
      }
      k = lo;
      plan = k === 0 ? best : planFor(k);
    }
    explo = new Float64Array(pr.n);
    for (let s = 0; s < k; s++) explo[steps[s].product] += steps[s].amount;
  } else {
    // Largest exploration amount whose plan holds the guardrail (binary search; the spread is monotone
    // in the amount, so the plan's value is non-increasing in it).
    const weights = improvementWeights(pr, input, best);
    let demand = 0;
    for (let i = 0; i < pr.n; i++) demand += weights[i];
    const amountMax = Math.min(explorationBudget, Math.round(demand));
    const planFor = (amount: number): { f: Filled; x: Float64Array } => {
      const x = spreadExploration(pr, weights, amount);
      const base = Float64Array.from(pr.floor);
      for (let i = 0; i < pr.n; i++) base[i] += x[i];
      return { f: fill(pr, base, L), x };
    };
    let got = planFor(amountMax);
    if (!okAt(got.f)) {
      let lo = 0;
      let hi = amountMax;
      let loPlan: { f: Filled; x: Float64Array } = { f: best, x: new Float64Array(pr.n) };
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        const m = planFor(mid);
        if (okAt(m.f)) {
          lo = mid;
          loPlan = m;
        } else hi = mid;
      }
      got = loPlan;
    }
    plan = got.f;
    explo = got.x;
  }

  const n = pr.n;
  const reasons = new Uint8Array(n);
  const ec = new Float64Array(n);
  const ecLo = new Float64Array(n);
  const ecHi = new Float64Array(n);
  let totalVar = 0;
  let exploTotal = 0;
  const a = input.products.alpha;
  const b = input.products.beta;
  for (let i = 0; i < n; i++) {
    const x = plan.alloc[i];
    let r = 0;
    if (pr.floor[i] > 0) r |= REASON.MIN_FLOOR;
    if (explo[i] > 0) r |= REASON.EXPLORATION;
    if (plan.ltFill[i] > 0) r |= REASON.LONG_TAIL_FLOOR;
    if (plan.meanFill[i] > 0) r |= REASON.HIGH_PREDICTED_CONVERSION;
    if (x > 0 && x >= pr.cap[i] && pr.cap[i] < pr.total) r |= REASON.CAPPED;
    reasons[i] = r;
    exploTotal += explo[i];
    ec[i] = x * pr.mean[i];
    if (x > 0) {
      const iv = betaInterval(a[i], b[i], level);
      ecLo[i] = x * iv.lower;
      ecHi[i] = x * iv.upper;
      totalVar += x * x * betaVariance(a[i], b[i]);
    }
  }
  const z = normalQuantile(0.5 + level / 2) * Math.sqrt(totalVar);
  return {
    feasible: true,
    impressions: plan.alloc,
    explorationImpressions: explo,
    reasons,
    expectedConversions: ec,
    expectedConversionsLower: ecLo,
    expectedConversionsUpper: ecHi,
    totals: {
      impressions: pr.total,
      expectedConversions: plan.value,
      expectedConversionsInterval: { lower: Math.max(0, plan.value - z), upper: plan.value + z },
      longTailShare: longTailShare(plan.alloc, pr.lt),
      coverage: catalogueCoverage(plan.alloc),
      gini: exposureGini(plan.alloc),
      explorationImpressions: exploTotal,
    },
    greedyExpectedConversions: greedy,
    conversionCost: greedy > 0 ? Math.max(0, 1 - plan.value / greedy) : 0,
    explorationShareUsed: pr.total > 0 ? exploTotal / pr.total : 0,
    guardrailHolds: meetsGuardrail(plan.value, greedy, eps),
  };
}

/** The conversion-greedy plan: floors, then fill by posterior mean up to caps. */
export function greedyAllocation(input: AllocationInput): { impressions: Float64Array; expectedConversions: number } {
  const pr = prepare(input);
  if (pr.floorSum > input.budget) throw new RangeError('product floors exceed the budget');
  const f = fill(pr, pr.floor, 0);
  return { impressions: f.alloc, expectedConversions: f.value };
}

/**
 * Expected conversions of the best plan (no exploration) at each long-tail share: the price of exposure.
 * Non-increasing in share; infeasible shares (caps) have NaN conversions.
 */
export function tradeoffCurve(input: AllocationInput, shares: readonly number[]): TradeoffPoint[] {
  const pr = prepare(input);
  if (pr.floorSum > input.budget) throw new RangeError('product floors exceed the budget');
  const greedy = fill(pr, pr.floor, 0).value;
  return curve(pr, greedy, input.maxConversionLoss, shares);
}

/** Reason codes of product i, most specific first. */
export function reasonCodes(plan: ExposurePlan, i: number): ReasonCode[] {
  return REASON_ORDER.filter((c) => (plan.reasons[i] & REASON[c]) !== 0);
}

/** Human-readable reason of product i, e.g. `EXPLORATION: 14 impressions so far`. */
export function reasonText(plan: ExposurePlan, i: number, impressionsSoFar?: number): string {
  const codes = reasonCodes(plan, i);
  if (codes.length === 0) return 'NO_EXPOSURE';
  return codes
    .map((c) => (c === 'EXPLORATION' && impressionsSoFar !== undefined ? `EXPLORATION: ${impressionsSoFar} impressions so far` : c))
    .join(', ');
}
