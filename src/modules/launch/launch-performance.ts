// After launch: actual weekly units against a scenario's forecast band. Weeks count from the launch
// date; only weeks complete at the data clock count for WAPE and alerts (a partial week is shown).
import type { PointRow } from './launch.repository';

const WEEK_MS = 7 * 86_400_000;

export interface PerfWeek { week: number; periodStart: Date; complete: boolean; actualUnits: number; p10: number; p50: number; p90: number; mean: number }
export interface PerfAlert { productId: number; week: number; periodStart: Date; direction: 'ABOVE_P90' | 'BELOW_P10'; actualUnits: number; p10: number; p90: number; message: string }
export interface PerfOutcome {
  weeksElapsed: number; actualUnits: number; forecastUnits: number; wape: number | null;
  weeks: PerfWeek[]; products: Array<{ productId: number; weeks: PerfWeek[]; wape: number | null }>; alerts: PerfAlert[];
}

/** `points` are one scenario's forecast points; `sales` are units per product and time since launch. */
export function comparePerformance(launchedAt: Date, clock: Date, productIds: number[], points: PointRow[],
  sales: Array<{ productId: number; t: Date; units: number }>, titles: Map<number, string>): PerfOutcome {
  const start = launchedAt.getTime();
  const byProduct = new Map<number, PointRow[]>();
  for (const p of points) {
    const list = byProduct.get(p.productId) ?? [];
    list.push(p);
    byProduct.set(p.productId, list);
  }
  const horizon = Math.max(0, ...[...byProduct.values()].map((l) => l.length));
  const actual = new Map<number, Float64Array>(productIds.map((id) => [id, new Float64Array(horizon)]));
  for (const s of sales) {
    const w = Math.floor((new Date(s.t).getTime() - start) / WEEK_MS);
    const a = actual.get(s.productId);
    if (a && w >= 0 && w < horizon) a[w] += s.units;
  }
  const elapsedWeeks = Math.max(0, Math.floor((clock.getTime() - start) / WEEK_MS));
  const visible = Math.min(horizon, Math.max(0, Math.ceil((clock.getTime() - start) / WEEK_MS)));
  const totals: PerfWeek[] = Array.from({ length: visible }, (_, w) => ({
    week: w + 1, periodStart: new Date(start + w * WEEK_MS), complete: w < elapsedWeeks, actualUnits: 0, p10: 0, p50: 0, p90: 0, mean: 0,
  }));
  const alerts: PerfAlert[] = [];
  let absErr = 0, sumActual = 0, sumForecast = 0, sumActualAll = 0;
  const products = productIds.map((productId) => {
    const pts = (byProduct.get(productId) ?? []).slice().sort((x, y) => new Date(x.periodStart).getTime() - new Date(y.periodStart).getTime());
    const a = actual.get(productId)!;
    let pAbs = 0, pAct = 0;
    const weeks: PerfWeek[] = [];
    for (let w = 0; w < visible && w < pts.length; w++) {
      const f = pts[w];
      const wk: PerfWeek = { week: w + 1, periodStart: new Date(start + w * WEEK_MS), complete: w < elapsedWeeks, actualUnits: a[w], p10: f.p10, p50: f.p50, p90: f.p90, mean: f.mean };
      weeks.push(wk);
      const t = totals[w];
      t.actualUnits += a[w]; t.p10 += f.p10; t.p50 += f.p50; t.p90 += f.p90; t.mean += f.mean;
      sumActualAll += a[w];
      if (!wk.complete) continue;
      pAbs += Math.abs(a[w] - f.p50); pAct += a[w];
      absErr += Math.abs(a[w] - f.p50); sumActual += a[w]; sumForecast += f.p50;
      const name = titles.get(productId) ?? `product ${productId}`;
      if (a[w] > f.p90) alerts.push({ productId, week: w + 1, periodStart: wk.periodStart, direction: 'ABOVE_P90', actualUnits: a[w], p10: f.p10, p90: f.p90,
        message: `${name}, week ${w + 1}: ${a[w]} units sold, above the forecast P90 of ${f.p90.toFixed(1)} — demand is stronger than planned; check stock` });
      else if (a[w] < f.p10) alerts.push({ productId, week: w + 1, periodStart: wk.periodStart, direction: 'BELOW_P10', actualUnits: a[w], p10: f.p10, p90: f.p90,
        message: `${name}, week ${w + 1}: ${a[w]} units sold, below the forecast P10 of ${f.p10.toFixed(1)} — the launch is under-performing` });
    }
    return { productId, weeks, wape: pAct > 0 ? pAbs / pAct : null };
  });
  return {
    weeksElapsed: Math.min(horizon, elapsedWeeks), actualUnits: sumActualAll, forecastUnits: sumForecast,
    wape: sumActual > 0 ? absErr / sumActual : null, weeks: totals, products, alerts,
  };
}
