// Past launches from plain records: each product's launch instant (launchedAt, else its first sale),
// its gross weekly units for weeks 1..W after it, the promotion it ran (inferred from unit prices) and
// the exposure it got (mean weekly impressions over the W weeks). Only launches whose W weeks lie
// entirely before `asOf` are returned: an incomplete curve would read as a weak launch. A product
// without launchedAt that was created before the first recorded sale of the shop predates the data
// (a migrated catalogue): its first sale there is not a launch, so it is skipped.
import type {
  LaunchHistoryRow, LaunchRecordImpressions, LaunchRecordProduct, LaunchRecordSale,
} from './types';

export const WEEK_MS = 7 * 86_400_000;
/** A week whose mean unit price is at least this far below list counts as a promotion week. */
const PROMO_THRESHOLD = 0.03;

/** Median of a non-empty list (copy sorted). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median list price per category, plus '' → global median (over products with a positive price). */
export function categoryMedians(products: readonly { category: string | null; price: number }[]): Map<string, number> {
  const by = new Map<string, number[]>();
  const all: number[] = [];
  for (const p of products) {
    if (!(p.price > 0)) continue;
    all.push(p.price);
    if (p.category === null) continue;
    let list = by.get(p.category);
    if (!list) by.set(p.category, (list = []));
    list.push(p.price);
  }
  const out = new Map<string, number>();
  for (const [c, list] of by) out.set(c, median(list));
  if (all.length > 0) out.set('', median(all));
  return out;
}

interface PromoInference { discount: number; promoWeeks: number }

/**
 * Promotion from weekly (units, revenue at unit prices): consecutive discounted weeks from week 0
 * (weeks without sales neither extend nor end the run); discount = unit-weighted mean over them.
 */
export function inferPromotion(price: number, units: readonly number[], revenue: readonly number[]): PromoInference {
  let lastPromo = -1;
  let promoUnits = 0;
  let promoRevenue = 0;
  for (let w = 0; w < units.length; w++) {
    if (units[w] <= 0) continue;
    const off = 1 - revenue[w] / units[w] / price;
    if (off < PROMO_THRESHOLD) break;
    lastPromo = w;
    promoUnits += units[w];
    promoRevenue += revenue[w];
  }
  if (lastPromo < 0 || !(price > 0)) return { discount: 0, promoWeeks: 0 };
  const discount = Math.min(0.95, Math.max(0, 1 - promoRevenue / promoUnits / price));
  return { discount: Math.round(discount * 1000) / 1000, promoWeeks: lastPromo + 1 };
}

export function launchHistoryFromRecords(products: LaunchRecordProduct[], sales: LaunchRecordSale[],
  impressions: LaunchRecordImpressions[], opts: { weeks: number; asOf: Date }): LaunchHistoryRow[] {
  const W = opts.weeks;
  if (!(W >= 1)) throw new Error('weeks must be at least 1');
  const asOf = opts.asOf.getTime();
  const medians = categoryMedians(products);
  const salesBy = new Map<number, LaunchRecordSale[]>();
  for (const s of sales) {
    if (!(s.quantity > 0)) continue; // returns (negative lines) are not demand
    let list = salesBy.get(s.productId);
    if (!list) salesBy.set(s.productId, (list = []));
    list.push(s);
  }
  const impressionsBy = new Map<number, Float64Array>();
  for (const r of impressions) {
    if (r.weekIndex < 0 || r.weekIndex >= W) continue;
    let a = impressionsBy.get(r.productId);
    if (!a) impressionsBy.set(r.productId, (a = new Float64Array(W)));
    a[r.weekIndex] += r.impressions;
  }
  // A product created before the sales history starts (a migrated catalogue) without a launch date
  // was launched before the data: its first recorded sale is not its launch.
  let dataStart = Infinity;
  for (const s of sales) dataStart = Math.min(dataStart, s.orderedAt.getTime());
  const rows: LaunchHistoryRow[] = [];
  for (const p of products) {
    const own = salesBy.get(p.productId) ?? [];
    let launch = p.launchedAt?.getTime() ?? NaN;
    if (!Number.isFinite(launch)) {
      if (p.createdAt.getTime() <= dataStart + 86_400_000) continue;
      for (const s of own) if (!(s.orderedAt.getTime() >= launch)) launch = s.orderedAt.getTime();
      if (!Number.isFinite(launch)) continue; // never launched and never sold: nothing to learn from
    }
    if (launch + W * WEEK_MS > asOf) continue;
    const units = new Array<number>(W).fill(0);
    const revenue = new Array<number>(W).fill(0);
    for (const s of own) {
      const w = Math.floor((s.orderedAt.getTime() - launch) / WEEK_MS);
      if (w < 0 || w >= W) continue;
      units[w] += s.quantity;
      revenue[w] += s.quantity * s.unitPrice;
    }
    const known = p.knownPromotion;
    const { discount, promoWeeks } = known ?? inferPromotion(p.price, units, revenue);
    const imp = impressionsBy.get(p.productId);
    let total = 0;
    if (imp) for (let w = 0; w < W; w++) total += imp[w];
    rows.push({
      productId: p.productId, category: p.category, brand: p.brand, title: p.title, description: p.description,
      price: p.price, categoryMedianPrice: medians.get(p.category ?? '') ?? medians.get('') ?? null,
      discount, promoWeeks, launchDate: new Date(launch), weeklyImpressions: total / W, weeklyUnits: units,
      promotionFromSales: !known && promoWeeks > 0,
    });
  }
  rows.sort((a, b) => a.launchDate.getTime() - b.launchDate.getTime() || a.productId - b.productId);
  return rows;
}
