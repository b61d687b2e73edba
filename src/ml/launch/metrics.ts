// Backtest metrics of weekly quantile forecasts against actual weekly units.
//
// Two P10–P90 coverages. `coverage80` counts the launch-weeks with P10 ≤ y ≤ P90. For weekly units —
// small counts, mostly zero — that share is not 80% even for the true distribution: when a week sells
// nothing with probability 60%, its true P10 and P50 are both 0 and every zero lands inside the band,
// so a correct forecast covers far more than 80%. `coverage80Counts` is the count-data version
// (the non-randomised PIT of Czado, Gneiting & Held, Biometrics 65(4), 2009): an observed count y
// occupies the probability interval [F(y − 1), F(y)] of the forecast distribution, and the share of
// that interval inside [0.1, 0.9] is how much of the observation the central 80% covers. A calibrated
// forecast scores 80% in expectation whatever the discreteness. F comes from the three quantiles
// alone (the split normal through P10/P50/P90 that plans use, `weekLevels`, without the mean's tail
// above P90 — the band is what is scored), rounded to whole units.
import { LEVELS, weekLevels } from './distribution';
import type { BacktestMetrics, WeeklyQuantiles } from './types';

/**
 * Shares of the PIT interval [fBelow, fAt] = [F(y − 1), F(y)] below 0.1 and above 0.9 (a point
 * interval — no forecast mass at y — counts whole on the side it falls).
 */
export function pitTails(fBelow: number, fAt: number): { below: number; above: number } {
  const lo = 0.1;
  const hi = 0.9;
  if (fAt - fBelow < 1e-12) return { below: fAt < lo ? 1 : 0, above: fAt > hi ? 1 : 0 };
  const width = fAt - fBelow;
  return { below: Math.max(0, Math.min(fAt, lo) - fBelow) / width, above: Math.max(0, fAt - Math.max(fBelow, hi)) / width };
}

/** Share of the PIT interval [F(y − 1), F(y)] inside [0.1, 0.9]. */
export function centralPitShare(fBelow: number, fAt: number): number {
  const { below, above } = pitTails(fBelow, fAt);
  return 1 - below - above;
}

/** F(y − 1) and F(y) of a week's forecast distribution rounded to whole units (levels ascending). */
export function countCdf(levels: ArrayLike<number>, y: number): [number, number] {
  let below = 0;
  let at = 0;
  for (let k = 0; k < levels.length; k++) {
    if (levels[k] < y - 0.5) below++;
    if (levels[k] < y + 0.5) at++;
  }
  return [below / levels.length, at / levels.length];
}

export function pinballLoss(y: number, q: number, tau: number): number {
  const d = y - q;
  return d >= 0 ? tau * d : (tau - 1) * d;
}

/** WAPE, weighted quantile losses, P10–P90 coverage and mean pinball over launches × weeks. */
export function backtestMetrics(actual: readonly number[][], forecasts: readonly WeeklyQuantiles[]): BacktestMetrics {
  if (actual.length !== forecasts.length) throw new Error('actuals and forecasts differ in length');
  let total = 0;
  let abs = 0;
  let pin10 = 0;
  let pin50 = 0;
  let pin90 = 0;
  let covered = 0;
  let pitCovered = 0;
  let cells = 0;
  const levels = new Float64Array(LEVELS);
  actual.forEach((y, i) => {
    const f = forecasts[i];
    for (let w = 0; w < y.length; w++) {
      total += y[w];
      abs += Math.abs(y[w] - f.p50[w]);
      pin10 += pinballLoss(y[w], f.p10[w], 0.1);
      pin50 += pinballLoss(y[w], f.p50[w], 0.5);
      pin90 += pinballLoss(y[w], f.p90[w], 0.9);
      if (y[w] >= f.p10[w] - 1e-9 && y[w] <= f.p90[w] + 1e-9) covered++;
      const [below, at] = countCdf(weekLevels(f.p10[w], f.p50[w], f.p90[w], NaN, levels), Math.round(y[w]));
      pitCovered += centralPitShare(below, at);
      cells++;
    }
  });
  const denom = total > 0 ? total : NaN;
  const wql10 = (2 * pin10) / denom;
  const wql50 = (2 * pin50) / denom;
  const wql90 = (2 * pin90) / denom;
  return {
    launches: actual.length,
    wape: abs / denom,
    wql10, wql50, wql90,
    wqlMean: (wql10 + wql50 + wql90) / 3,
    coverage80: cells > 0 ? covered / cells : NaN,
    coverage80Counts: cells > 0 ? pitCovered / cells : NaN,
    pinball: cells > 0 ? (pin10 + pin50 + pin90) / (3 * cells) : NaN,
  };
}
