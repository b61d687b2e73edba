// Backtest metrics of weekly quantile forecasts against actual weekly units.
import type { BacktestMetrics, WeeklyQuantiles } from './types';

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
  let cells = 0;
  actual.forEach((y, i) => {
    const f = forecasts[i];
    for (let w = 0; w < y.length; w++) {
      total += y[w];
      abs += Math.abs(y[w] - f.p50[w]);
      pin10 += pinballLoss(y[w], f.p10[w], 0.1);
      pin50 += pinballLoss(y[w], f.p50[w], 0.5);
      pin90 += pinballLoss(y[w], f.p90[w], 0.9);
      if (y[w] >= f.p10[w] - 1e-9 && y[w] <= f.p90[w] + 1e-9) covered++;
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
    pinball: cells > 0 ? (pin10 + pin50 + pin90) / (3 * cells) : NaN,
  };
}
