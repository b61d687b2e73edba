// Beta posterior numerics of the exposure planner.
import {
  betaInterval,
  betaMean,
  betaPrior,
  betaQuantile,
  lnGamma,
  posteriorFromPrediction,
  regularizedIncompleteBeta,
  sampleBeta,
  updatePosterior,
} from '../../src/ml/exposure/posterior';
import { SeededRng } from '../../src/ml/random';

describe('Beta posterior of a conversion rate', () => {
  it('puts the model prediction at the prior mean with the given pseudo-impressions', () => {
    const prior = betaPrior(0.04, 50);
    expect(prior.alpha).toBeCloseTo(2, 12);
    expect(prior.beta).toBeCloseTo(48, 12);
    expect(betaMean(prior.alpha, prior.beta)).toBeCloseTo(0.04, 12);
  });

  it('adds purchases to α and non-purchases to β, moving the mean toward the observed rate', () => {
    const post = updatePosterior(betaPrior(0.04, 50), 1000, 100);
    expect(post).toEqual({ alpha: 102, beta: 948 });
    expect(posteriorFromPrediction(0.04, 50, 1000, 100)).toEqual(post);
    expect(() => updatePosterior(post, 3, 4)).toThrow(RangeError);
  });

  it('computes ln Γ and the regularised incomplete beta against closed forms', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    // I_x(1, b) = 1 − (1 − x)^b ; I_x(a, 1) = x^a ; I_0.5(a, a) = 0.5
    expect(regularizedIncompleteBeta(0.3, 1, 7)).toBeCloseTo(1 - Math.pow(0.7, 7), 12);
    expect(regularizedIncompleteBeta(0.3, 4.5, 1)).toBeCloseTo(Math.pow(0.3, 4.5), 12);
    expect(regularizedIncompleteBeta(0.5, 300, 300)).toBeCloseTo(0.5, 10);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('inverts the CDF (Newton safeguarded by bisection), also for extreme parameters', () => {
    for (const [a, b] of [
      [0.5, 0.5],
      [2, 48],
      [0.02, 19.98],
      [5000, 95000],
    ]) {
      for (const p of [0.05, 0.5, 0.95]) {
        const q = betaQuantile(p, a, b);
        expect(regularizedIncompleteBeta(q, a, b)).toBeCloseTo(p, 7);
      }
    }
  });

  it('gives intervals that contain the mean, with the normal path agreeing with the exact one for large counts', () => {
    const exact = betaInterval(400, 9600, 0.9, 'exact');
    const approx = betaInterval(400, 9600, 0.9, 'normal');
    expect(exact.lower).toBeLessThan(0.04);
    expect(exact.upper).toBeGreaterThan(0.04);
    expect(Math.abs(exact.lower - approx.lower)).toBeLessThan(3e-4);
    expect(Math.abs(exact.upper - approx.upper)).toBeLessThan(3e-4);
  });

  it('draws Beta samples whose mean and variance match', () => {
    const rng = new SeededRng(7);
    for (const [a, b] of [
      [0.3, 6],
      [3, 40],
    ]) {
      let s = 0;
      let s2 = 0;
      const N = 20000;
      for (let i = 0; i < N; i++) {
        const x = sampleBeta(a, b, rng);
        s += x;
        s2 += x * x;
      }
      const m = s / N;
      const v = s2 / N - m * m;
      const tm = a / (a + b);
      const tv = (a * b) / ((a + b) ** 2 * (a + b + 1));
      expect(Math.abs(m - tm)).toBeLessThan(4 * Math.sqrt(tv / N));
      expect(v / tv).toBeGreaterThan(0.9);
      expect(v / tv).toBeLessThan(1.1);
    }
  });
});
