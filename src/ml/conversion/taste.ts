// The customer's taste vector: the mean, over their latest engaged products, of each product's
// taste embedding (its category's vector + the mean of its words' vectors). It is added to the
// customer's id vector, so a shopper with few purchases — or none, or one the model never saw — is
// still placed in product space by what they looked at. Computed once per distinct product per
// batch; gradients flow back the same way (the gradient w.r.t. the customer vector, split evenly).
import type { RecentItems } from './history-state';
import type { SparseTables } from './sparse-tables';
import type { ProductFeatures } from './types';

/** Taste vector of one product into out[o .. o + dim). */
function productTaste(t: SparseTables, products: ProductFeatures, p: number, out: Float32Array, o: number): void {
  const d = t.tasteCategory.dim;
  const cw = t.tasteCategory.weights;
  const tw = t.tasteToken.weights;
  const cRow = t.tasteCategory.rowOf(p < products.count ? products.category[p] : -1) * d;
  for (let j = 0; j < d; j++) out[o + j] = cw[cRow + j];
  if (p >= products.count) return;
  const k = products.tokensPerProduct;
  let n = 0;
  for (let q = 0; q < k; q++) if (products.tokens[p * k + q] > 0) n++;
  if (n === 0) return;
  const inv = 1 / n;
  for (let q = 0; q < k; q++) {
    const tok = products.tokens[p * k + q];
    if (tok <= 0) continue;
    const r = t.tasteToken.rowOf(tok) * d;
    for (let j = 0; j < d; j++) out[o + j] += tw[r + j] * inv;
  }
}

/** Adds each row's taste vector to out (rows × dim), for the rows of `items`. */
export function addTaste(t: SparseTables, products: ProductFeatures, items: RecentItems, out: Float32Array): void {
  const d = t.tasteCategory.dim;
  const rows = items.offsets.length - 1;
  const cache = new Map<number, number>();
  let buf = new Float32Array(64 * d);
  for (let r = 0; r < rows; r++) {
    const a = items.offsets[r];
    const b = items.offsets[r + 1];
    if (b === a) continue;
    const inv = 1 / (b - a);
    for (let k = a; k < b; k++) {
      const p = items.products[k];
      let slot = cache.get(p);
      if (slot === undefined) {
        slot = cache.size;
        if ((slot + 1) * d > buf.length) {
          const bigger = new Float32Array(buf.length * 2);
          bigger.set(buf);
          buf = bigger;
        }
        cache.set(p, slot);
        productTaste(t, products, p, buf, slot * d);
      }
      for (let j = 0; j < d; j++) out[r * d + j] += buf[slot * d + j] * inv;
    }
  }
}

/** Routes d loss / d customer vector (rows × dim) into the taste tables of each row's items. */
export function applyTasteGradients(t: SparseTables, products: ProductFeatures, items: RecentItems, grad: Float32Array): void {
  const d = t.tasteCategory.dim;
  const rows = items.offsets.length - 1;
  // Accumulate per distinct product first (mean over the row's items).
  const slotOf = new Map<number, number>();
  const prods: number[] = [];
  let acc = new Float32Array(256 * d);
  for (let r = 0; r < rows; r++) {
    const a = items.offsets[r];
    const b = items.offsets[r + 1];
    if (b === a) continue;
    const inv = 1 / (b - a);
    for (let k = a; k < b; k++) {
      const p = items.products[k];
      let s = slotOf.get(p);
      if (s === undefined) {
        s = prods.length;
        slotOf.set(p, s);
        prods.push(p);
        if (prods.length * d > acc.length) {
          const bigger = new Float32Array(acc.length * 2);
          bigger.set(acc);
          acc = bigger;
        }
      }
      for (let j = 0; j < d; j++) acc[s * d + j] += grad[r * d + j] * inv;
    }
  }
  const m = prods.length;
  if (m === 0) return;
  const catRows = new Int32Array(m);
  const k = products.tokensPerProduct;
  const tokRows: number[] = [];
  const tokOwner: number[] = [];
  const tokScale: number[] = [];
  for (let s = 0; s < m; s++) {
    const p = prods[s];
    catRows[s] = t.tasteCategory.rowOf(p < products.count ? products.category[p] : -1);
    if (p >= products.count) continue;
    let n = 0;
    for (let q = 0; q < k; q++) if (products.tokens[p * k + q] > 0) n++;
    for (let q = 0; q < k; q++) {
      const tok = products.tokens[p * k + q];
      if (tok <= 0) continue;
      tokRows.push(t.tasteToken.rowOf(tok));
      tokOwner.push(s);
      tokScale.push(1 / n);
    }
  }
  t.tasteCategory.applyGradients(catRows, acc.subarray(0, m * d));
  if (tokRows.length > 0) {
    const g = new Float32Array(tokRows.length * d);
    for (let x = 0; x < tokRows.length; x++) {
      const s = tokOwner[x];
      for (let j = 0; j < d; j++) g[x * d + j] = acc[s * d + j] * tokScale[x];
    }
    t.tasteToken.applyGradients(tokRows, g);
  }
}
