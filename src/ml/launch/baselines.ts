// The two baselines the demand model is backtested against, fitted on the same rows:
//   category average — per week, the empirical P10/P50/P90 and mean of the category's past launches
//     (all past launches when the category has none);
//   analog kNN — per week, the empirical quantiles and mean of the k analogs' actual units (the
//     category average when there are no analogs).
import type { AnalogHit } from './analogs';
import { sortedQuantile } from './distribution';
import type { LaunchStore } from './store';
import type { WeeklyQuantiles } from './types';

export function empiricalQuantiles(store: LaunchStore, rows: readonly number[]): WeeklyQuantiles {
  const W = store.weeks;
  const out: WeeklyQuantiles = { p10: [], p50: [], p90: [], mean: [] };
  const v = new Float64Array(rows.length);
  for (let w = 0; w < W; w++) {
    let s = 0;
    rows.forEach((r, i) => {
      v[i] = store.rows.units[r * W + w];
      s += v[i];
    });
    v.sort();
    out.p10.push(sortedQuantile(v, 0.1));
    out.p50.push(sortedQuantile(v, 0.5));
    out.p90.push(sortedQuantile(v, 0.9));
    out.mean.push(rows.length > 0 ? s / rows.length : 0);
  }
  return out;
}

export type CategoryAverage = (category: number) => WeeklyQuantiles;

/** Category-average launch curves over the rows `allow` admits (category 0 / unseen → all rows). */
export function fitCategoryAverage(store: LaunchStore, allow: (row: number) => boolean = () => true): CategoryAverage {
  const by = new Map<number, number[]>();
  const all: number[] = [];
  for (let r = 0; r < store.size; r++) {
    if (!allow(r)) continue;
    all.push(r);
    const c = store.rows.category[r];
    if (c <= 0) continue;
    let l = by.get(c);
    if (!l) by.set(c, (l = []));
    l.push(r);
  }
  const global = empiricalQuantiles(store, all);
  const curves = new Map<number, WeeklyQuantiles>();
  for (const [c, rows] of by) curves.set(c, empiricalQuantiles(store, rows));
  return (category) => curves.get(category) ?? global;
}

export function analogKnnForecast(store: LaunchStore, hits: readonly AnalogHit[], fallback: WeeklyQuantiles): WeeklyQuantiles {
  return hits.length === 0 ? fallback : empiricalQuantiles(store, hits.map((h) => h.row));
}
