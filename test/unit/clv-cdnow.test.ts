// BG/NBD and Gamma-Gamma on the CDNOW 1/10 sample, reproducing Fader, Hardie & Lee (2005).
//
// Data: CDNOW customer purchase data, 1/10 systematic sample of the January–March 1997 cohort
// (2,357 customers, 6,919 lines), as published by Bruce Hardie (brucehardie.com/datasets) and copied
// from the lifetimes repository (CamDavidsonPilon/lifetimes @ 4f2833f, lifetimes/datasets/); see
// ../shared/data/cdnow/PROVENANCE.md. Papers:
// - P. S. Fader, B. G. S. Hardie and K. L. Lee (2005). "Counting Your Customers" the Easy Way: An
//   Alternative to the Pareto/NBD Model. Marketing Science 24(2), 275–284  (BG/NBD: r = 0.243,
//   α = 4.414, a = 0.793, b = 2.426, LL = −9582.4, on 39 weeks of calibration).
// - P. S. Fader, B. G. S. Hardie and K. L. Lee (2005). RFM and CLV: Using Iso-value Curves for Customer
//   Base Analysis. Journal of Marketing Research 42(4), 415–430  (Gamma-Gamma on the 946 customers with
//   calibration repeat purchases, z̄ = mean value of their REPEAT transactions: p = 6.25, q = 3.74,
//   γ = 15.44).
// File layout (CDNOW_sample.txt, CRLF, whitespace-separated, no header): master customer id, sample
// customer id 1..2357, date YYYYMMDD, number of CDs, dollar value. Calibration: 1997-01-01..1997-09-30
// (39 weeks); holdout: 1997-10-01..1998-06-30 (39 weeks). Same-day transactions merge into one.

import { pearson } from '../../src/ml/metrics';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CDNOW_DIR, loadCdnowSample } from '../helpers/cdnow';
import { fitBgNbd, type BgNbdFit } from '../../src/ml/clv/bgnbd';
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchase,
} from '../../src/ml/clv/bgnbd-predict';
import { customerLifetimeValue } from '../../src/ml/clv/clv';
import { fitGammaGamma, gammaGammaExpectedSpend, type GammaGammaFit } from '../../src/ml/clv/gamma-gamma';
import { rfmSummary, type RfmSummary } from '../../src/ml/clv/rfm';

const DATA_DIR = CDNOW_DIR;
const loadSample = loadCdnowSample;

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};
const within = (got: number, want: number, rel: number): void => expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(rel);

describe('CDNOW (Fader, Hardie & Lee 2005): 2,357 customers, 39 calibration weeks', () => {
  let rfm: RfmSummary;
  let bg: BgNbdFit;
  let gg: GammaGammaFit;

  beforeAll(() => {
    const log = loadSample();
    expect(log.customer.length).toBe(6919);
    rfm = rfmSummary(log, { calibrationEndMs: Date.UTC(1997, 8, 30), holdoutEndMs: Date.UTC(1998, 5, 30), unit: 'weeks' });
    bg = fitBgNbd(rfm);
    gg = fitGammaGamma({ x: rfm.x, meanSpend: rfm.meanRepeatSpend });
  });

  it('derives the published per-customer (x, t_x, T, z̄) from the raw log with distinct purchase days', () => {
    const csv = readFileSync(path.join(DATA_DIR, 'cdnow_customers_summary_with_transactions.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    expect(csv.length).toBe(2357);
    let mismatches = 0;
    for (const line of csv) {
      const [id, x, tx, T, zbar] = line.split(',').map(Number);
      const i = id - 1;
      // The CSV rounds to cents and to 1/100 week.
      if (rfm.x[i] !== x || Math.abs(rfm.tx[i] - tx) > 0.005 + 1e-9 || Math.abs(rfm.T[i] - T) > 0.005 + 1e-9 || Math.abs(rfm.meanRepeatSpend[i] - zbar) > 0.005 + 1e-9) {
        mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    let zeroClass = 0;
    for (let i = 0; i < 2357; i++) if (rfm.x[i] === 0) zeroClass++;
    expect(zeroClass).toBe(1411);
    expect(sum(rfm.x)).toBe(2457);
    expect(sum(rfm.holdoutPurchases)).toBe(1882);
    expect(rfm.holdoutLength).toBe(39);
  });

  it('fits BG/NBD within 1% of the published r = 0.243, α = 4.414, a = 0.793, b = 2.426 and LL = −9582.4', () => {
    within(bg.params.r, 0.243, 0.01);
    within(bg.params.alpha, 4.414, 0.01);
    within(bg.params.a, 0.793, 0.01);
    within(bg.params.b, 2.426, 0.01);
    expect(Math.abs(bg.logLikelihood - -9582.4)).toBeLessThan(0.05);
    expect(bg.converged).toBe(true);
    expect(bg.customers).toBe(2357);
    // Every start reaches the same optimum.
    for (const ll of bg.startLogLikelihoods) expect(Math.abs(ll - bg.logLikelihood)).toBeLessThan(1e-6);
    expect(bg.standardErrors.r).toBeGreaterThan(0.005);
    expect(bg.standardErrors.r).toBeLessThan(0.03);
  });

  it('fits Gamma-Gamma on the 946 repeat customers within 1% of the published p = 6.25, q = 3.74, γ = 15.44', () => {
    expect(gg.customers).toBe(946);
    within(gg.params.p, 6.25, 0.01);
    within(gg.params.q, 3.74, 0.01);
    within(gg.params.gamma, 15.44, 0.01);
    // Mean repeat spend $35.08 in the data; the model's population mean pγ/(q−1) is close to it.
    within(gg.populationMeanSpend, 35.08, 0.03);
    expect(Math.abs(gg.frequencySpendCorrelation)).toBeLessThan(0.2);
  });

  it('forecasts the 39 holdout weeks: aggregate repeat purchases and the per-customer correlation', () => {
    const predicted = bgnbdConditionalExpectedPurchases(bg.params, rfm, 39);
    const total = sum(predicted);
    const actual = sum(rfm.holdoutPurchases); // 1,882
    const corr = pearson(predicted, rfm.holdoutPurchases);
    // Cohort-level tracking (the paper's Figure 2): Σ_i E[X(78 − trial week_i)] against the 4,339
    // cumulative repeat transactions at week 78.
    const jan1 = Date.UTC(1997, 0, 1) / 86_400_000;
    let cumulative78 = 0;
    for (let i = 0; i < rfm.x.length; i++) cumulative78 += bgnbdExpectedPurchases(bg.params, 78 - (rfm.firstDay[i] - jan1) / 7);
    // The x = 3 group, which the paper singles out: 100 customers, 1.56 holdout purchases each.
    let n3 = 0;
    let p3 = 0;
    let a3 = 0;
    for (let i = 0; i < rfm.x.length; i++) {
      if (rfm.x[i] !== 3) continue;
      n3++;
      p3 += predicted[i];
      a3 += rfm.holdoutPurchases[i];
    }
    console.log(
      `CDNOW holdout weeks 40–78: BG/NBD predicts ${total.toFixed(1)} repeat purchases, actual ${actual} ` +
        `(${((100 * (total - actual)) / actual).toFixed(1)}%); per-customer correlation ${corr.toFixed(3)}; ` +
        `cumulative at week 78 ${cumulative78.toFixed(0)} vs 4339; x = 3 group (${n3}): ${(p3 / n3).toFixed(2)} vs ${(a3 / n3).toFixed(2)}`,
    );
    expect(actual).toBe(1882);
    // The BG/NBD conditional forecast under-predicts this holdout by ~12% (independently: mpmath gives
    // the same 1653.41 at these parameters); bands, not exact values.
    expect(total / actual).toBeGreaterThan(0.82);
    expect(total / actual).toBeLessThan(1.0);
    expect(corr).toBeGreaterThan(0.55);
    expect(Math.abs(cumulative78 - 4339) / 4339).toBeLessThan(0.06);
    expect(n3).toBe(100);
    expect(Math.abs(p3 / n3 - a3 / n3)).toBeLessThan(0.25);
  });

  it('matches an independent mpmath computation of the conditional expectation sum at fixed parameters', () => {
    // mpmath 1.3.0, 30 digits, hyp2f1 directly, same (x, t_x, T) from the raw log.
    const params = { r: 0.24259452277615695, alpha: 4.41360188944845, a: 0.792921927824371, b: 2.425906547170548 };
    const total = sum(bgnbdConditionalExpectedPurchases(params, rfm, 39));
    expect(Math.abs(total - 1653.40874390367568) / 1653.4).toBeLessThan(1e-12);
  });

  it('gives every customer a P(alive), a purchase probability and a CLV that order them sensibly', () => {
    const pAlive = bgnbdProbabilityAlive(bg.params, rfm);
    const p7 = bgnbdProbabilityOfPurchase(bg.params, rfm, 1);
    for (let i = 0; i < pAlive.length; i++) {
      expect(pAlive[i]).toBeGreaterThan(0);
      expect(pAlive[i]).toBeLessThanOrEqual(1);
      expect(p7[i]).toBeGreaterThanOrEqual(0);
      expect(p7[i]).toBeLessThan(pAlive[i] + 1e-15);
    }
    const spend = gammaGammaExpectedSpend(gg.params, { x: rfm.x, meanSpend: rfm.meanRepeatSpend });
    const value = customerLifetimeValue(bg.params, gg.params, { ...rfm, meanSpend: rfm.meanRepeatSpend }, {
      horizonMonths: 12,
      monthlyDiscountRate: 0.01,
      margin: 0.3,
      unit: 'weeks',
    });
    const undiscounted = customerLifetimeValue(bg.params, gg.params, { ...rfm, meanSpend: rfm.meanRepeatSpend }, {
      horizonMonths: 12,
      monthlyDiscountRate: 0,
      margin: 0.3,
      unit: 'weeks',
    });
    for (let i = 0; i < 2357; i++) {
      expect(value.clv[i]).toBeGreaterThan(0);
      expect(value.clv[i]).toBeLessThan(undiscounted.clv[i]);
      expect(undiscounted.clv[i]).toBeCloseTo(0.3 * spend[i] * value.expectedPurchases[i], 8);
    }
    // Customers who bought again more recently are worth more in the holdout: the top CLV decile buys
    // several times as often as the bottom half.
    const order = Array.from(value.clv.keys()).sort((p, q) => value.clv[q] - value.clv[p]);
    const top = order.slice(0, 236);
    const bottom = order.slice(1178);
    const mean = (idx: number[]): number => idx.reduce((s, i) => s + rfm.holdoutPurchases[i], 0) / idx.length;
    expect(mean(top)).toBeGreaterThan(4 * mean(bottom));
  });
});
