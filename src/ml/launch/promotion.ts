// The pull of a promotion beyond its price cut, from history where promotions are known only through
// discounted sales. Such a promotion is seen only because something sold in it, and its weeks are
// inferred to end with the last week that sold at a discount — so that last week sold at least one
// unit by construction. Its likelihood is therefore Poisson for the weeks before it and zero-truncated
// for it: with μ_w the forecast units of week w and L the last promotion week,
//   Σ_{w<L} (y_w log μ_w − μ_w) + y_L log μ_L − μ_L − log(1 − e^(−μ_L)) + const.
// Without the truncation, lucky promotions pass for typical ones (a plain Poisson fit put the lift at
// the 4.0 limit on the medium generated shop).
// The lift multiplies the promotion weeks' exposure (the network's response to exposure is about
// proportional), and is the maximum-likelihood value on a grid from 1 (the price cut alone) to 4.
import type { LaunchDemandModel, PreparedForecast } from './model';

export interface SeenPromotion {
  prepared: PreparedForecast;
  /** Units sold in each week of the promotion (the last ≥ 1). */
  weekly: number[];
}

export const MAX_LIFT = 4;

export function fitPromotionLift(model: LaunchDemandModel, seen: readonly SeenPromotion[]): number {
  if (seen.length === 0) return 1;
  const prepared = seen.map((s) => s.prepared);
  let best = 1;
  let bestLl = -Infinity;
  for (let k = 0; Math.exp(k * 0.05) <= MAX_LIFT + 1e-9; k++) {
    const lift = Math.exp(k * 0.05);
    const forecasts = model.promotionWeeks(prepared, lift); // every seen promotion is promoted: one forecast each
    let ll = 0;
    seen.forEach((s, i) => {
      const last = s.weekly.length - 1;
      s.weekly.forEach((y, w) => {
        const mu = Math.max(forecasts[i].mean[w], 1e-6);
        ll += y * Math.log(mu) - mu - (w === last ? Math.log(-Math.expm1(-mu)) : 0);
      });
    });
    if (ll > bestLl) {
      bestLl = ll;
      best = lift;
    }
  }
  return Math.round(best * 1000) / 1000;
}
