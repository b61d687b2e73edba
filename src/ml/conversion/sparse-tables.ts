// The model's sparse embedding tables and the product "content" input built from them. Content of a
// product = [category vec, brand vec, mean of its token vecs, relPrice × category vec, relPrice,
// has-brand, token fill]; the price × category block lets a linear layer express category-specific
// price sensitivity. Gradients w.r.t. the content input are routed back to the rows they came from.
import { EmbeddingTable } from '../embedding-table';
import type { ProductFeatures } from './types';

export interface TableConfig {
  dim: number;
  contentDim: number;
  customers: number;
  products: number;
  categories: number;
  brands: number;
  tokenBuckets: number;
  customerHashBuckets: number;
}

export interface SparseTables {
  customer: EmbeddingTable;
  productId: EmbeddingTable;
  category: EmbeddingTable;
  brand: EmbeddingTable;
  token: EmbeddingTable;
  /** Taste side (customer tower): what the categories and words of engaged products say about a shopper. */
  tasteCategory: EmbeddingTable;
  tasteToken: EmbeddingTable;
}

export const TABLE_NAMES: (keyof SparseTables)[] = ['customer', 'productId', 'category', 'brand', 'token', 'tasteCategory', 'tasteToken'];

export interface TableTraining {
  seed: number;
  idLearningRate: number;
  contentLearningRate: number;
  customerL2: number;
  productL2: number;
  contentL2: number;
}

export function createTables(cfg: TableConfig, tr: TableTraining, weights?: Partial<Record<keyof SparseTables, Float32Array>>): SparseTables {
  const idOpts = { learningRate: tr.idLearningRate };
  const contentOpts = { learningRate: tr.contentLearningRate, l2: tr.contentL2, initScale: 0.05 };
  // Id vectors start at zero: an untrained id then means "no evidence" (the content vector alone).
  const customer = new EmbeddingTable({ known: cfg.customers, dim: cfg.dim, hashBuckets: cfg.customerHashBuckets,
    seed: tr.seed + 101, initScale: 0, l2: tr.customerL2, ...idOpts }, weights?.customer);
  const productId = new EmbeddingTable({ known: cfg.products, dim: cfg.dim, hashBuckets: 0, seed: tr.seed + 102,
    initScale: 0, l2: tr.productL2, ...idOpts }, weights?.productId);
  const category = new EmbeddingTable({ known: cfg.categories, dim: cfg.contentDim, seed: tr.seed + 103, ...contentOpts }, weights?.category);
  const brand = new EmbeddingTable({ known: cfg.brands, dim: cfg.contentDim, seed: tr.seed + 104, ...contentOpts }, weights?.brand);
  const token = new EmbeddingTable({ known: cfg.tokenBuckets, dim: cfg.contentDim, seed: tr.seed + 105, ...contentOpts }, weights?.token);
  // Taste vectors add to the customer's id vector, so they start at zero like it.
  const tasteOpts = { learningRate: tr.contentLearningRate, l2: tr.contentL2, initScale: 0 };
  const tasteCategory = new EmbeddingTable({ known: cfg.categories, dim: cfg.dim, seed: tr.seed + 106, ...tasteOpts }, weights?.tasteCategory);
  const tasteToken = new EmbeddingTable({ known: cfg.tokenBuckets, dim: cfg.dim, seed: tr.seed + 107, ...tasteOpts }, weights?.tasteToken);
  return { customer, productId, category, brand, token, tasteCategory, tasteToken };
}

/** Writes the content rows of `productIdxs` into out (productIdxs.length × contentWidth). */
export function buildContent(t: SparseTables, products: ProductFeatures, productIdxs: ArrayLike<number>, out: Float32Array): void {
  const dc = t.category.dim;
  const width = 4 * dc + 3;
  const k = products.tokensPerProduct;
  const cw = t.category.weights;
  const bw = t.brand.weights;
  const tw = t.token.weights;
  for (let r = 0; r < productIdxs.length; r++) {
    const p = productIdxs[r];
    const o = r * width;
    const cRow = t.category.rowOf(products.category[p]) * dc;
    const bRow = t.brand.rowOf(products.brand[p]) * dc;
    const price = products.logRelPrice[p];
    for (let j = 0; j < dc; j++) {
      out[o + j] = cw[cRow + j];
      out[o + dc + j] = bw[bRow + j];
      out[o + 2 * dc + j] = 0;
      out[o + 3 * dc + j] = price * cw[cRow + j];
    }
    let n = 0;
    for (let q = 0; q < k; q++) {
      const tok = products.tokens[p * k + q];
      if (tok <= 0) continue;
      n++;
      const tRow = t.token.rowOf(tok) * dc;
      for (let j = 0; j < dc; j++) out[o + 2 * dc + j] += tw[tRow + j];
    }
    if (n > 0) for (let j = 0; j < dc; j++) out[o + 2 * dc + j] /= n;
    out[o + 4 * dc] = price;
    out[o + 4 * dc + 1] = products.brand[p] >= 0 ? 1 : 0;
    out[o + 4 * dc + 2] = n / k;
  }
}

/** Routes d loss / d content (rows × contentWidth) to the category, brand and token rows (one Adam step each). */
export function applyContentGradients(t: SparseTables, products: ProductFeatures, productIdxs: ArrayLike<number>, grad: Float32Array): void {
  const dc = t.category.dim;
  const width = 4 * dc + 3;
  const k = products.tokensPerProduct;
  const m = productIdxs.length;
  const catRows = new Int32Array(m);
  const brandRows = new Int32Array(m);
  const catGrad = new Float32Array(m * dc);
  const tokRows = new Int32Array(m * k);
  const tokGrads = new Float32Array(m * k * dc);
  let nt = 0;
  for (let r = 0; r < m; r++) {
    const p = productIdxs[r];
    const o = r * width;
    catRows[r] = t.category.rowOf(products.category[p]);
    brandRows[r] = t.brand.rowOf(products.brand[p]);
    const price = products.logRelPrice[p];
    for (let j = 0; j < dc; j++) catGrad[r * dc + j] = grad[o + j] + price * grad[o + 3 * dc + j];
    let n = 0;
    for (let q = 0; q < k; q++) if (products.tokens[p * k + q] > 0) n++;
    if (n === 0) continue;
    const inv = 1 / n;
    for (let q = 0; q < k; q++) {
      const tok = products.tokens[p * k + q];
      if (tok <= 0) continue;
      tokRows[nt] = t.token.rowOf(tok);
      for (let j = 0; j < dc; j++) tokGrads[nt * dc + j] = grad[o + 2 * dc + j] * inv;
      nt++;
    }
  }
  t.category.applyGradients(catRows, catGrad);
  t.brand.applyGradients(brandRows, grad, dc, width);
  if (nt > 0) t.token.applyGradients(tokRows.subarray(0, nt), tokGrads);
}
