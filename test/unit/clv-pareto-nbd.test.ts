// Pareto/NBD likelihood: hard parameter values against high-precision references, and the fit on CDNOW
// (data and attribution: test/helpers/cdnow.ts, ../shared/data/cdnow/PROVENANCE.md).
//
// References: the closed form of Fader & Hardie (2005, note 009) evaluated with mpmath 1.3.0 at 50
// digits (mpmath's hyp2f1 is arbitrary-precision); two of the points were also checked by integrating
// the individual-level likelihood over the Gamma mixing densities (2-D mpmath.quad), which agreed to 13
// digits — so the formula, not only our 2F1, is what is being tested.
//
// The CDNOW comparison figures r = 0.55, α = 10.58, s = 0.61, β = 11.67 are the Pareto/NBD estimates
// the task brief attributes to Fader, Hardie & Lee (2005, Marketing Science 24(2)) for this sample. The
// search corpus held no copy of that table, so they are NOT independently verified here; the test
// therefore checks what holds regardless: our optimum is a true optimum (two starts agree), the
// purchase-rate parameters agree within 3%, and our likelihood is at least that of the cited point.
import { bgnbdLogLikelihood, fitBgNbd } from '../../src/ml/clv/bgnbd';
import { fitParetoNbd, paretoNbdLogLikelihood, paretoNbdLogLikelihoodOne, type ParetoNbdParams } from '../../src/ml/clv/pareto-nbd';
import { rfmSummary } from '../../src/ml/clv/rfm';
import { loadCdnowSample } from '../helpers/cdnow';

const CITED: ParetoNbdParams = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };

describe('Pareto/NBD log-likelihood where 2F1 is hard', () => {
  const cases: [string, ParetoNbdParams, number, number, number, number][] = [
    ['a one-off buyer (x = 0)', CITED, 0, 0, 39, -0.5174814046193432687],
    ['a heavy buyer: a = r + s + x = 151', CITED, 150, 38.5, 39, 15.01534368509539714],
    ['α ≫ β: z = 0.9985, the series near its singularity', { r: 0.55, alpha: 1000, s: 0.61, beta: 0.5 }, 5, 1, 40, -31.70831559034353385],
    ['β ≫ α with c − a − b = −51: 2F1(55, 52; 56; 0.9986)', { r: 2, alpha: 0.2, s: 3, beta: 500 }, 50, 0.5, 60, 158.3292075782889792],
    ['t_x within 0.001 of T: A₀ is a difference of nearly equal terms', CITED, 10, 39.999, 40, -27.42779854618567150],
    ['x = 400, β = 0.01: a = 402.8, z = 0.9998', { r: 0.3, alpha: 50, s: 2.5, beta: 0.01 }, 400, 70, 78, 53.26729873123312537],
  ];
  it.each(cases)('matches the 50-digit reference for %s', (_label, p, x, tx, T, want) => {
    const got = paretoNbdLogLikelihoodOne(p, x, tx, T);
    expect(Math.abs(got - want)).toBeLessThan(1e-9 * Math.max(1, Math.abs(want)));
  });
});

describe('Pareto/NBD on CDNOW (2,357 customers, 39 calibration weeks)', () => {
  const rfm = rfmSummary(loadCdnowSample(), { calibrationEndMs: Date.UTC(1997, 8, 30), unit: 'weeks' });
  const fit = fitParetoNbd(rfm);
  const again = fitParetoNbd(rfm, { start: CITED });
  const atCited = paretoNbdLogLikelihood(CITED, rfm);
  const bg = fitBgNbd(rfm);
  console.log(
    `Pareto/NBD on CDNOW: r=${fit.params.r.toFixed(4)} α=${fit.params.alpha.toFixed(3)} s=${fit.params.s.toFixed(4)} β=${fit.params.beta.toFixed(3)} ` +
      `LL=${fit.logLikelihood.toFixed(2)} (${fit.evaluations} evaluations over ${fit.groups} groups); LL at r=0.55 α=10.58 s=0.61 β=11.67: ${atCited.toFixed(2)}; ` +
      `BG/NBD LL=${bgnbdLogLikelihood(bg.params, rfm).toFixed(2)}`,
  );

  it('converges to the same optimum from two starts', () => {
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.logLikelihood - again.logLikelihood)).toBeLessThan(0.01);
    for (const k of ['r', 'alpha', 's', 'beta'] as const) expect(Math.abs(again.params[k] / fit.params[k] - 1)).toBeLessThan(0.01);
  });

  it('agrees with the cited purchase-rate estimates (r ≈ 0.55, α ≈ 10.58) within 3%', () => {
    expect(Math.abs(fit.params.r / 0.55 - 1)).toBeLessThan(0.03);
    expect(Math.abs(fit.params.alpha / 10.58 - 1)).toBeLessThan(0.03);
  });

  it('finds the dropout ridge: s and β trade off at a mean dropout rate s/β within 10% of the cited one, at a likelihood no lower', () => {
    // The likelihood is nearly flat along s/β = const on 39 weeks of data: our optimum (s ≈ 0.68,
    // β ≈ 14.2) is 0.09 log-likelihood units above the cited point.
    expect(Math.abs(fit.params.s / fit.params.beta / (0.61 / 11.67) - 1)).toBeLessThan(0.1);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(atCited);
    expect(fit.logLikelihood - atCited).toBeLessThan(1);
  });
});
