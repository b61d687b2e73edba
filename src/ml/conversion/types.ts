// The conversion model's dataset: what a merchant's database (or the synthetic generator's files)
// must provide, as struct-of-arrays typed arrays so a dataset can be transferred to a worker thread
// without copying (see transferList()). Indices are dense 0-based positions in the merchant's
// product and customer lists as the caller numbered them; the caller keeps the id ↔ index maps.
//
// What a row means: an EXPOSURE is one product shown to one shopper — an `impression` in a list at a
// placement and position, or a direct product-page `view` (placement code of '', position 0). Its
// label is whether that customer bought that product within the label window after the exposure.

/** Catalogue features, one entry per product index. */
export interface ProductFeatures {
  count: number;
  /** Category index into `categories` (-1 = none). */
  category: Int32Array;
  /** Brand index into `brands` (-1 = none). */
  brand: Int32Array;
  /** ln(list price / median list price of the product's category); 0 when unknown. */
  logRelPrice: Float32Array;
  /** count × tokensPerProduct hashed title/description/tag token ids in [1, tokenBuckets); 0 pads. */
  tokens: Int32Array;
  tokensPerProduct: number;
  tokenBuckets: number;
  /** When the product went on sale (ms); NaN when unknown (then createdAt stands in). */
  launchedAt: Float64Array;
  /** When the product was created in the shop (ms); NaN when unknown. */
  createdAt: Float64Array;
  /** Category and brand names, indexed like `category` and `brand` (the feature vocabulary). */
  categories: string[];
  brands: string[];
  /** Median list price per category (index like `categories`), kept so later products get comparable logRelPrice. */
  categoryMedianPrice?: Float64Array;
}

/** Customer attributes, one entry per customer index (kept small on purpose). */
export interface CustomerFeatures {
  count: number;
  /** Segment index into `segments` (e.g. consumer / business), -1 = unknown. */
  segment: Int32Array;
  /** Country index into `countries`, -1 = unknown. */
  country: Int32Array;
  /** Signup instant (ms); NaN when unknown. */
  createdAt: Float64Array;
  segments: string[];
  countries: string[];
}

/**
 * The placement handles every model knows, in code order. Their codes are fixed because history
 * features give some of them a role (a category page is chosen by taste, a top search result or a
 * direct landing is deliberate). A model's vocabulary starts with these and appends the merchant's
 * own most-used handles (placementVocabulary); handles outside it share the last code.
 */
export const PLACEMENT_HANDLES = ['home', 'category', 'search', 'pdp_recs', 'new_arrivals', ''] as const;
/** The unknown code of the base vocabulary (a model's is `vocabulary.length`). */
export const UNKNOWN_PLACEMENT = PLACEMENT_HANDLES.length;
/** Code of the direct product-page landing (no list, no position). */
export const DIRECT_PLACEMENT = PLACEMENT_HANDLES.indexOf('');
/** At most this many merchant-specific handles get their own code. */
export const MAX_EXTRA_PLACEMENTS = 10;

/** Code of a handle in a vocabulary; unknown handles get `vocabulary.length`. */
export function placementCode(handle: string | null | undefined, vocabulary: readonly string[] = PLACEMENT_HANDLES): number {
  const k = vocabulary.indexOf(handle ?? '');
  return k >= 0 ? k : vocabulary.length;
}

/**
 * A model's placement vocabulary: the base handles, then the merchant's other handles by exposure
 * count (most used first, ties by name), at most MAX_EXTRA_PLACEMENTS of them.
 */
export function placementVocabulary(handleCounts: Iterable<readonly [string, number]>, maxExtra = MAX_EXTRA_PLACEMENTS): string[] {
  const base = new Set<string>(PLACEMENT_HANDLES);
  const extras = [...handleCounts].filter(([h, n]) => !base.has(h) && n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxExtra).map(([h]) => h);
  return [...PLACEMENT_HANDLES, ...extras];
}

/** Exposure rows (the training examples), one entry per row, in any order. */
export interface ExposureExamples {
  count: number;
  /** Customer index; -1 = anonymous (a shared vector). Indices ≥ the customer count hash into shared buckets. */
  customer: Int32Array;
  product: Int32Array;
  /** placementCode() of the list handle in the dataset's placement vocabulary. */
  placement: Int32Array;
  /** 0-based slot in the list (0 for a direct view). */
  position: Int32Array;
  /** Event instant (ms since epoch). Weekday and hour are derived from it in the shop's time zone (see utcOffsetMinutes). */
  time: Float64Array;
  /** 1 when the customer bought the product within the label window after the exposure. */
  label: Uint8Array;
  /**
   * Optional auxiliary label: the exposure led to engagement (a product-page view after a list
   * impression, a click after a direct view). More frequent than purchases and monotone in the same
   * affinity, it gives the embeddings more signal; absent = not used.
   */
  engaged?: Uint8Array;
  /** Optional oracle P(purchase | shown) for evaluation (NaN where unknown). Never used for training. */
  truthP?: Float32Array;
}

/** Purchases (one row per purchased product line), used for history features and labels. */
export interface PurchaseLog {
  count: number;
  customer: Int32Array;
  product: Int32Array;
  /** Instant (ms), ascending. */
  time: Float64Array;
}

export interface ConversionDataset {
  products: ProductFeatures;
  customers: CustomerFeatures;
  exposures: ExposureExamples;
  purchases: PurchaseLog;
  /** Shop time zone offset from UTC in minutes (weekday/hour features); default 0. */
  utcOffsetMinutes?: number;
  /** Placement vocabulary the exposures' codes refer to (placementVocabulary); default PLACEMENT_HANDLES. */
  placements?: readonly string[];
  /** Label window used to build `label` (ms), recorded in model metadata. */
  labelWindowMs: number;
  /** Instant the data ends (ms): nothing after it was observed. */
  dataEnd: number;
}

/** A subset of exposure rows by index (new arrays; optional columns kept when present). */
export function selectExposures(ex: ExposureExamples, rows: ArrayLike<number>): ExposureExamples {
  const pick = <T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T): T => {
    const Ctor = a.constructor as new (n: number) => T;
    const out = new Ctor(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = a[rows[k]];
    return out;
  };
  return {
    count: rows.length,
    customer: pick(ex.customer),
    product: pick(ex.product),
    placement: pick(ex.placement),
    position: pick(ex.position),
    time: pick(ex.time),
    label: pick(ex.label),
    engaged: ex.engaged ? pick(ex.engaged) : undefined,
    truthP: ex.truthP ? pick(ex.truthP) : undefined,
  };
}

/** The ArrayBuffers of a dataset, for postMessage(dataset, transferList(dataset)) to a worker thread. */
export function transferList(ds: ConversionDataset): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (o: object) => {
    for (const v of Object.values(o)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  };
  add(ds.products);
  add(ds.customers);
  add(ds.exposures);
  add(ds.purchases);
  return [...out];
}
