import { bgnbdLogLikelihood, bgnbdLogLikelihoods, fitBgNbd } from '../../src/ml/clv/bgnbd';
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdConditionalExpectedPurchasesAt,
  bgnbdExpectedPurchases,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchase,
} from '../../src/ml/clv/bgnbd-predict';
import { customerLifetimeValue } from '../../src/ml/clv/clv';
import { fitGammaGamma } from '../../src/ml/clv/gamma-gamma';
import { groupTriples } from '../../src/ml/clv/grouping';
import { rfmSummary } from '../../src/ml/clv/rfm';
import { exactHistories, simulatePurchaseLog } from '../../src/ml/clv/simulate';

const START = Date.UTC(2023, 0, 1);
const DAY = 86_400_000;
// Days: a mean rate of one purchase every 250 days, half the customers gone after ~3 repeat purchases.
const TRUE = { r: 0.6, alpha: 150, a: 0.8, b: 2.5 };
const SPEND = { p: 4, q: 3.5, gamma: 60 };
const CAL_END = START + 730 * DAY; // acquisition over the first year, calibration ends after two
const HOLDOUT_END = CAL_END + 180 * DAY;

function simulated(customers: number, seed: number) {
  const log = simulatePurchaseLog({
    customers,
    bgnbd: TRUE,
    gammaGamma: SPEND,
    unit: 'days',
    startMs: START,
    acquisitionUnits: 365,
    untilUnits: 730 + 180,
    seed,
  });
  // Day-level summary (what production sees: the calibration end day is day 729, inclusive).
  const rfm = rfmSummary(log, { calibrationEndMs: CAL_END - DAY, holdoutEndMs: HOLDOUT_END - DAY, unit: 'days', nCustomers: customers });
  // Continuous-time summary of the same log: exactly the data the likelihood describes.
  const exact = exactHistories(log, customers, CAL_END, HOLDOUT_END, 'days');
  return { log, rfm, exact };
}

describe('BG/NBD on data simulated from known parameters', () => {
  const { log, rfm, exact } = simulated(40_000, 11);
  const fit = fitBgNbd(exact);

  it('recovers r, α, a and b within three standard errors (and 15%) from continuous-time histories', () => {
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[k] - TRUE[k])).toBeLessThan(3 * fit.standardErrors[k]);
      expect(Math.abs(fit.params[k] - TRUE[k]) / TRUE[k]).toBeLessThan(0.15);
    }
    expect(fit.converged).toBe(true);
  });

  it('recovers them within 12% from the day-level RFM summary, whose same-day merges bias the fit slightly', () => {
    const dayFit = fitBgNbd(rfm);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(dayFit.params[k] - TRUE[k]) / TRUE[k]).toBeLessThan(0.12);
    // Day-level data collapses 40,000 customers into far fewer (x, t_x, T) groups (fit time: bench:clv).
    expect(dayFit.groups).toBeLessThan(30_000);
  });

  it('predicts the holdout total without bias when given the true parameters', () => {
    // E[Σ actual | histories] = Σ E[Y(t) | history]: an exact identity under the true model.
    const predicted = bgnbdConditionalExpectedPurchases(TRUE, exact, 180);
    let p = 0;
    let a = 0;
    for (let i = 0; i < predicted.length; i++) {
      p += predicted[i];
      a += exact.holdoutPurchases[i];
    }
    expect(Math.abs(p - a) / a).toBeLessThan(0.03);
  });

  it('has calibrated purchase probabilities: predicted P(buy within 30 days) matches the observed share by decile', () => {
    const prob = bgnbdProbabilityOfPurchase(TRUE, exact, 30);
    const next30 = exactHistories(log, 40_000, CAL_END, CAL_END + 30 * DAY, 'days').holdoutPurchases;
    const order = Array.from(prob.keys()).sort((i, j) => prob[i] - prob[j]);
    for (let d = 0; d < 10; d++) {
      const idx = order.slice(d * 4000, (d + 1) * 4000);
      const mp = idx.reduce((s, i) => s + prob[i], 0) / idx.length;
      const mo = idx.reduce((s, i) => s + (next30[i] > 0 ? 1 : 0), 0) / idx.length;
      expect(Math.abs(mp - mo)).toBeLessThan(0.02);
    }
  });

  it('computes the same likelihood from groups as customer by customer, at an optimum the gradient confirms', () => {
    const perCustomer = bgnbdLogLikelihoods(fit.params, rfm);
    let total = 0;
    for (const v of perCustomer) total += v;
    expect(bgnbdLogLikelihood(fit.params, rfm)).toBeCloseTo(total, 6);
    expect(bgnbdLogLikelihood(fit.params, groupTriples(rfm.x, rfm.tx, rfm.T))).toBeCloseTo(total, 6);
    // At the optimum, moving any parameter by 0.1% lowers the likelihood.
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      for (const f of [0.999, 1.001]) expect(bgnbdLogLikelihood({ ...fit.params, [k]: fit.params[k] * f }, exact)).toBeLessThan(fit.logLikelihood);
    }
    expect(fit.gradientNorm).toBeLessThan(1e-6);
  });
});

describe('BG/NBD predictions', () => {
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

  it('gives a brand-new customer (x = 0, T = 0) the population curve E[X(t)]', () => {
    for (const t of [0.5, 5, 39, 500]) {
      const [e] = bgnbdConditionalExpectedPurchases(params, { x: [0], tx: [0], T: [0] }, t);
      expect(e).toBeCloseTo(bgnbdExpectedPurchases(params, t), 12);
    }
  });

  it('agrees with numerical integration of the purchase rate over the population (E[X(t)] by quadrature)', () => {
    // E[X(t)] = E_{λ,p}[(1 − e^{−λpt})/p]: integrate over λ in closed form, over p by the midpoint rule
    // on a substitution that removes the p^(a−1) singularity.
    const t = 39;
    const { r, alpha, a, b } = params;
    const m = 200_000;
    let acc = 0;
    // p = u^(1/a): p^(a−1) dp = du / a
    let norm = 0;
    for (let j = 0; j < m; j++) {
      const u = (j + 0.5) / m;
      const p = Math.pow(u, 1 / a);
      const w = Math.pow(1 - p, b - 1);
      norm += w;
      acc += w * (1 - Math.pow(alpha / (alpha + p * t), r)) / p;
    }
    expect(acc / norm).toBeCloseTo(bgnbdExpectedPurchases(params, t), 4);
  });

  it('makes P(alive) fall as a customer’s last purchase recedes, and rise with frequency at fixed recency', () => {
    const pa = bgnbdProbabilityAlive(params, { x: [3, 3, 3, 6], tx: [30, 20, 5, 30], T: [38, 38, 38, 38] });
    expect(pa[0]).toBeGreaterThan(pa[1]);
    expect(pa[1]).toBeGreaterThan(pa[2]);
    expect(bgnbdProbabilityAlive(params, { x: [0], tx: [0], T: [38] })[0]).toBe(1);
    const hi = bgnbdProbabilityAlive(params, { x: [6], tx: [37.9], T: [38] })[0];
    const lo = bgnbdProbabilityAlive(params, { x: [1], tx: [37.9], T: [38] })[0];
    expect(hi).toBeGreaterThan(lo);
  });

  it('returns cumulative expectations that increase with the horizon, and NaN for rows that are not customers', () => {
    const data = { x: [0, 2, 10, 4], tx: [0, 10, 30, 0], T: [20, 30, 31, NaN] };
    const [e1, e2, e3] = bgnbdConditionalExpectedPurchasesAt(params, data, [4, 13, 52]);
    for (let i = 0; i < 3; i++) {
      expect(e1[i]).toBeGreaterThan(0);
      expect(e2[i]).toBeGreaterThan(e1[i]);
      expect(e3[i]).toBeGreaterThan(e2[i]);
    }
    expect(e1[3]).toBeNaN();
  });
});

describe('Gamma-Gamma and CLV on simulated spend', () => {
  const { rfm } = simulated(20_000, 3);

  it('recovers the spend parameters through the population mean pγ/(q − 1) within 5%', () => {
    const fit = fitGammaGamma({ x: rfm.x, meanSpend: rfm.meanRepeatSpend });
    const trueMean = (SPEND.p * SPEND.gamma) / (SPEND.q - 1);
    expect(Math.abs(fit.populationMeanSpend - trueMean) / trueMean).toBeLessThan(0.05);
    for (const k of ['p', 'q', 'gamma'] as const) expect(Math.abs(fit.params[k] - SPEND[k])).toBeLessThan(3 * fit.standardErrors[k]);
    expect(Math.abs(fit.frequencySpendCorrelation)).toBeLessThan(0.05);
  });

  it('discounts later months more: a higher discount rate lowers every CLV, and a 0 margin zeroes it', () => {
    const data = { ...rfm, meanSpend: rfm.meanRepeatSpend };
    const opts = { horizonMonths: 24, monthlyDiscountRate: 0.01, margin: 0.25, unit: 'days' as const };
    const base = customerLifetimeValue(TRUE, SPEND, data, opts);
    const steep = customerLifetimeValue(TRUE, SPEND, data, { ...opts, monthlyDiscountRate: 0.05 });
    const none = customerLifetimeValue(TRUE, SPEND, data, { ...opts, margin: 0 });
    for (let i = 0; i < 2000; i++) {
      if (!rfm.observed[i]) continue;
      expect(steep.clv[i]).toBeLessThan(base.clv[i]);
      expect(none.clv[i]).toBe(0);
    }
    expect(() => customerLifetimeValue(TRUE, SPEND, data, { ...opts, horizonMonths: 0 })).toThrow(/horizonMonths/);
  });
});
