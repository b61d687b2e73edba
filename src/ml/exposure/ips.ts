// Off-policy estimate of a plan's conversions from logged impressions of the placement. Each logged
// impression k showed product p_k with logging propensity μ_k (probability that the logging policy
// gave that impression to p_k) and purchased r_k ∈ {0, 1}. The plan, as a policy, shows product i with
// probability π_i = impressions_i / Σ impressions. With w_k = π_{p_k} / μ_k:
//   IPS   = (1/N) Σ w_k r_k                (unbiased, high variance)
//   SNIPS = Σ w_k r_k / Σ w_k              (self-normalised: slightly biased, far lower variance)
// Both estimate the conversion rate per impression; × plan impressions gives plan conversions.
// Intervals: normal approximation (delta method for SNIPS) or a seeded percentile bootstrap.
import { SeededRng } from '../random';
import { normalQuantile, type Interval } from './posterior';

export interface LoggedImpressions {
  product: ArrayLike<number>;
  propensity: ArrayLike<number>;
  purchased: ArrayLike<number>;
}

export interface OffPolicyOptions {
  /** Confidence level (default 0.95). */
  level?: number;
  /** 'normal' (default) or 'bootstrap'. */
  interval?: 'normal' | 'bootstrap';
  bootstrapSamples?: number;
  seed?: number;
}

export interface OffPolicyEstimate {
  /** Estimated conversions per impression under the plan. */
  rate: number;
  rateInterval: Interval;
  /** rate × plan impressions. */
  conversions: number;
  conversionsInterval: Interval;
}

export interface OffPolicyResult {
  ips: OffPolicyEstimate;
  snips: OffPolicyEstimate;
  /** Kish effective sample size (Σw)² / Σw²: how many logged impressions the estimate is really worth. */
  effectiveSampleSize: number;
  /** Share of the plan's impressions on products that never appear in the logs (not estimable; counted as 0). */
  unsupportedPlanShare: number;
  logged: number;
}

function weights(planImpressions: ArrayLike<number>, logs: LoggedImpressions): { w: Float64Array; r: Float64Array; total: number; unsupported: number } {
  const N = logs.product.length;
  if (logs.propensity.length !== N || logs.purchased.length !== N) throw new RangeError('log arrays must have equal length');
  let total = 0;
  for (let i = 0; i < planImpressions.length; i++) {
    if (!(planImpressions[i] >= 0)) throw new RangeError('plan impressions must be non-negative');
    total += planImpressions[i];
  }
  if (!(total > 0)) throw new RangeError('plan has no impressions');
  const w = new Float64Array(N);
  const r = new Float64Array(N);
  const seenProduct = new Uint8Array(planImpressions.length);
  for (let k = 0; k < N; k++) {
    const p = logs.product[k];
    const mu = logs.propensity[k];
    if (!Number.isInteger(p) || p < 0 || p >= planImpressions.length) throw new RangeError(`log ${k}: unknown product ${p}`);
    if (!(mu > 0 && mu <= 1)) throw new RangeError(`log ${k}: propensity must be in (0, 1]`);
    w[k] = planImpressions[p] / total / mu;
    r[k] = logs.purchased[k] ? 1 : 0;
    seenProduct[p] = 1;
  }
  let unsupported = 0;
  for (let i = 0; i < planImpressions.length; i++) if (!seenProduct[i]) unsupported += planImpressions[i];
  return { w, r, total, unsupported: unsupported / total };
}

function ipsRate(w: Float64Array, r: Float64Array, idx?: Int32Array): number {
  const N = idx ? idx.length : w.length;
  let s = 0;
  for (let j = 0; j < N; j++) {
    const k = idx ? idx[j] : j;
    s += w[k] * r[k];
  }
  return N > 0 ? s / N : NaN;
}

function snipsRate(w: Float64Array, r: Float64Array, idx?: Int32Array): number {
  const N = idx ? idx.length : w.length;
  let s = 0;
  let sw = 0;
  for (let j = 0; j < N; j++) {
    const k = idx ? idx[j] : j;
    s += w[k] * r[k];
    sw += w[k];
  }
  return sw > 0 ? s / sw : 0;
}

function scale(rate: number, iv: Interval, total: number): OffPolicyEstimate {
  const lower = Math.max(0, iv.lower);
  return { rate, rateInterval: { lower, upper: iv.upper }, conversions: rate * total, conversionsInterval: { lower: lower * total, upper: iv.upper * total } };
}

/** IPS and SNIPS estimates of `planImpressions`' conversions from logged impressions. */
export function offPolicyEstimate(planImpressions: ArrayLike<number>, logs: LoggedImpressions, options: OffPolicyOptions = {}): OffPolicyResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError('level must be in (0, 1)');
  const { w, r, total, unsupported } = weights(planImpressions, logs);
  const N = w.length;
  if (N === 0) throw new RangeError('no logged impressions');
  const ips = ipsRate(w, r);
  const snips = snipsRate(w, r);
  let sw = 0;
  let sw2 = 0;
  let varIps = 0;
  let varSn = 0;
  for (let k = 0; k < N; k++) {
    sw += w[k];
    sw2 += w[k] * w[k];
    const d = w[k] * r[k] - ips;
    varIps += d * d;
    const e = w[k] * (r[k] - snips);
    varSn += e * e;
  }
  varIps /= N > 1 ? N * (N - 1) : 1;
  varSn = sw > 0 ? varSn / (sw * sw) : 0;
  let ipsIv: Interval;
  let snIv: Interval;
  if ((options.interval ?? 'normal') === 'bootstrap') {
    const B = options.bootstrapSamples ?? 500;
    const rng = new SeededRng(options.seed ?? 0);
    const a = new Float64Array(B);
    const b = new Float64Array(B);
    const idx = new Int32Array(N);
    for (let t = 0; t < B; t++) {
      for (let j = 0; j < N; j++) idx[j] = rng.int(N);
      a[t] = ipsRate(w, r, idx);
      b[t] = snipsRate(w, r, idx);
    }
    a.sort();
    b.sort();
    const lo = Math.floor(((1 - level) / 2) * (B - 1));
    const hi = Math.ceil(((1 + level) / 2) * (B - 1));
    ipsIv = { lower: a[lo], upper: a[hi] };
    snIv = { lower: b[lo], upper: b[hi] };
  } else {
    const z = normalQuantile(0.5 + level / 2);
    ipsIv = { lower: ips - z * Math.sqrt(varIps), upper: ips + z * Math.sqrt(varIps) };
    snIv = { lower: snips - z * Math.sqrt(varSn), upper: snips + z * Math.sqrt(varSn) };
  }
  return {
    ips: scale(ips, ipsIv, total),
    snips: scale(snips, snIv, total),
    effectiveSampleSize: sw2 > 0 ? (sw * sw) / sw2 : 0,
    unsupportedPlanShare: unsupported,
    logged: N,
  };
}
