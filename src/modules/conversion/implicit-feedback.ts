// Training examples for a merchant that has orders but no impression/view events: each purchase is
// a positive, and `negatives` products drawn by popularity (the products a shopper would most
// likely have seen instead) are negatives at the same instant. Scores trained this way rank
// products well but are calibrated to the sampling ratio, not to real exposures — the model
// version's metadata says so.
import { SeededRng } from '../../ml/random';
import { UNKNOWN_PLACEMENT, type ExposureExamples, type PurchaseLog } from '../../ml/conversion/types';

export function implicitExamples(purchases: PurchaseLog, products: number, from: number, to: number, negatives: number, seed = 1): ExposureExamples {
  const rng = new SeededRng(seed);
  // Popularity-weighted sampling table (add-one so every product can be drawn).
  const weight = new Float64Array(products).fill(1);
  for (let i = 0; i < purchases.count; i++) if (purchases.product[i] >= 0) weight[purchases.product[i]] += 1;
  const cdf = new Float64Array(products);
  let acc = 0;
  for (let p = 0; p < products; p++) { acc += weight[p]; cdf[p] = acc; }
  const draw = () => {
    const u = rng.next() * acc;
    let lo = 0;
    let hi = products - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] < u) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const rows: number[] = [];
  for (let i = 0; i < purchases.count; i++) {
    if (purchases.customer[i] >= 0 && purchases.product[i] >= 0 && purchases.time[i] >= from && purchases.time[i] < to) rows.push(i);
  }
  const n = rows.length * (1 + negatives);
  const ex: ExposureExamples = {
    count: n, customer: new Int32Array(n), product: new Int32Array(n), placement: new Int32Array(n).fill(UNKNOWN_PLACEMENT),
    position: new Int32Array(n), time: new Float64Array(n), label: new Uint8Array(n),
  };
  let k = 0;
  for (const i of rows) {
    const c = purchases.customer[i];
    const t = purchases.time[i];
    ex.customer[k] = c; ex.product[k] = purchases.product[i]; ex.time[k] = t; ex.label[k] = 1; k++;
    for (let j = 0; j < negatives; j++) {
      let p = draw();
      if (p === purchases.product[i]) p = (p + 1) % products;
      ex.customer[k] = c; ex.product[k] = p; ex.time[k] = t; ex.label[k] = 0; k++;
    }
  }
  return ex;
}
