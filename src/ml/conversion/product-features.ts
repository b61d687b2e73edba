// Builds ProductFeatures / CustomerFeatures from plain catalogue rows, so the database path and the
// generator loader produce identical features. Category paths and brand names become vocabulary
// indices; price becomes a log ratio to its category's median; text becomes hashed token ids.
import { hashTokens } from '../hashing';
import type { CustomerFeatures, ProductFeatures } from './types';

export interface ProductRow {
  category?: string | null;
  brand?: string | null;
  price?: number | null;
  title?: string | null;
  description?: string | null;
  tags?: readonly string[] | null;
  /** ms; null/NaN when unknown. */
  launchedAt?: number | null;
  createdAt?: number | null;
}

export interface TokenOptions {
  /** Token ids kept per product (title first, then tags, then description). Default 24. */
  tokensPerProduct?: number;
  /** Hash buckets for tokens. Default 4096. */
  tokenBuckets?: number;
}

export const DEFAULT_TOKENS_PER_PRODUCT = 24;
export const DEFAULT_TOKEN_BUCKETS = 4096;

function vocabulary(values: (string | null | undefined)[]): { names: string[]; index: Int32Array } {
  const names: string[] = [];
  const ids = new Map<string, number>();
  const index = new Int32Array(values.length);
  values.forEach((v, i) => {
    const key = (v ?? '').trim();
    if (key === '') {
      index[i] = -1;
      return;
    }
    let id = ids.get(key);
    if (id === undefined) {
      id = names.length;
      ids.set(key, id);
      names.push(key);
    }
    index[i] = id;
  });
  return { names, index };
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Product features for rows in index order. `vocab` reuses an existing model's category and brand
 * vocabularies (scoring products added after training); unseen names then map to -1.
 */
export function buildProductFeatures(rows: readonly ProductRow[], opts: TokenOptions & {
  vocab?: { categories: readonly string[]; brands: readonly string[] };
  /** Category medians from training time (same order as vocab.categories), for new products. */
  categoryMedianPrice?: ArrayLike<number>;
} = {}): ProductFeatures & { categoryMedianPrice: Float64Array } {
  const n = rows.length;
  const k = opts.tokensPerProduct ?? DEFAULT_TOKENS_PER_PRODUCT;
  const buckets = opts.tokenBuckets ?? DEFAULT_TOKEN_BUCKETS;
  let categories: string[];
  let brands: string[];
  let category: Int32Array;
  let brand: Int32Array;
  if (opts.vocab) {
    categories = [...opts.vocab.categories];
    brands = [...opts.vocab.brands];
    const ci = new Map(categories.map((c, i) => [c, i]));
    const bi = new Map(brands.map((b, i) => [b, i]));
    category = Int32Array.from(rows, (r) => ci.get((r.category ?? '').trim()) ?? -1);
    brand = Int32Array.from(rows, (r) => bi.get((r.brand ?? '').trim()) ?? -1);
  } else {
    const cv = vocabulary(rows.map((r) => r.category));
    const bv = vocabulary(rows.map((r) => r.brand));
    categories = cv.names;
    brands = bv.names;
    category = cv.index;
    brand = bv.index;
  }
  let medians: Float64Array;
  if (opts.categoryMedianPrice) medians = Float64Array.from(opts.categoryMedianPrice);
  else {
    const prices: number[][] = categories.map(() => []);
    rows.forEach((r, i) => {
      if (category[i] >= 0 && r.price != null && r.price > 0) prices[category[i]].push(r.price);
    });
    medians = Float64Array.from(prices, median);
  }
  const allPrices = rows.map((r) => r.price ?? NaN).filter((p) => p > 0);
  const globalMedian = median(allPrices);
  const logRelPrice = new Float32Array(n);
  const tokens = new Int32Array(n * k);
  const launchedAt = new Float64Array(n);
  const createdAt = new Float64Array(n);
  rows.forEach((r, i) => {
    const ref = category[i] >= 0 && medians[category[i]] > 0 ? medians[category[i]] : globalMedian;
    logRelPrice[i] = r.price != null && r.price > 0 && ref > 0 ? Math.log(r.price / ref) : 0;
    hashTokens(
      [
        { prefix: 't:', text: r.title ?? '' },
        { prefix: 'g:', text: (r.tags ?? []).join(' ') },
        { prefix: 'd:', text: r.description ?? '' },
      ],
      k, buckets, tokens, i * k,
    );
    launchedAt[i] = r.launchedAt ?? NaN;
    createdAt[i] = r.createdAt ?? NaN;
  });
  return {
    count: n, category, brand, logRelPrice, tokens, tokensPerProduct: k, tokenBuckets: buckets, launchedAt, createdAt,
    categories, brands, categoryMedianPrice: medians,
  };
}

export interface CustomerRow {
  segment?: string | null;
  country?: string | null;
  createdAt?: number | null;
}

export function buildCustomerFeatures(rows: readonly CustomerRow[], vocab?: { segments: readonly string[]; countries: readonly string[] }): CustomerFeatures {
  const seg = vocab ? fixed(rows.map((r) => r.segment), vocab.segments) : vocabulary(rows.map((r) => r.segment));
  const cty = vocab ? fixed(rows.map((r) => r.country), vocab.countries) : vocabulary(rows.map((r) => r.country));
  return {
    count: rows.length,
    segment: seg.index,
    country: cty.index,
    createdAt: Float64Array.from(rows, (r) => r.createdAt ?? NaN),
    segments: seg.names,
    countries: cty.names,
  };
}

function fixed(values: (string | null | undefined)[], names: readonly string[]): { names: string[]; index: Int32Array } {
  const ids = new Map(names.map((n, i) => [n, i]));
  return { names: [...names], index: Int32Array.from(values, (v) => ids.get((v ?? '').trim()) ?? -1) };
}

/**
 * The catalogue `base` with `rows` appended as new product indices (base.count, base.count + 1, …),
 * featurised with base's vocabularies, category medians and token hashing — for scoring products
 * created after a model was trained (ConversionModel.updateProducts).
 */
export function extendProductFeatures(base: ProductFeatures, rows: readonly ProductRow[]): ProductFeatures {
  const added = buildProductFeatures(rows, {
    vocab: { categories: base.categories, brands: base.brands },
    categoryMedianPrice: base.categoryMedianPrice,
    tokensPerProduct: base.tokensPerProduct,
    tokenBuckets: base.tokenBuckets,
  });
  const cat = <T extends Int32Array | Float32Array | Float64Array>(a: T, b: T): T => {
    const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
    out.set(a as unknown as ArrayLike<number>);
    out.set(b as unknown as ArrayLike<number>, a.length);
    return out;
  };
  return {
    ...base,
    count: base.count + rows.length,
    category: cat(base.category, added.category),
    brand: cat(base.brand, added.brand),
    logRelPrice: cat(base.logRelPrice, added.logRelPrice),
    tokens: cat(base.tokens, added.tokens),
    launchedAt: cat(base.launchedAt, added.launchedAt),
    createdAt: cat(base.createdAt, added.createdAt),
  };
}
