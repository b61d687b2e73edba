// Turns a merchant's rows into the conversion model's dataset (src/ml/conversion/types.ts), with
// the id ↔ index maps the scorer needs. Mirrors the generator loader, so models trained either
// way see the same features.
import { labelExposures } from '../../ml/conversion/labels';
import { buildCustomerFeatures, buildProductFeatures } from '../../ml/conversion/product-features';
import { DIRECT_PLACEMENT, placementCode, placementVocabulary, type ConversionDataset, type ProductFeatures } from '../../ml/conversion/types';
import type { ConversionDataRepository, RawProduct } from './conversion-data.repository';
import { implicitExamples } from './implicit-feedback';

const DAY_MS = 86_400_000;

export interface DatasetIndex {
  /** Product row id by dataset index, and the reverse. */
  productIds: Int32Array;
  customerIds: Int32Array;
  productIndex: Map<number, number>;
  customerIndex: Map<number, number>;
}

export function productRow(p: RawProduct) {
  return {
    category: p.category, brand: p.brand, price: p.price, title: p.title, description: p.description, tags: p.tags,
    launchedAt: p.launchedAt ? new Date(p.launchedAt).getTime() : NaN, createdAt: new Date(p.createdAt).getTime(),
  };
}

/** Where the examples came from: shopper events, or orders alone with sampled negatives. */
export type ExampleSource = { kind: 'events' } | { kind: 'orders'; negativesPerPurchase: number; reason: string };

/** Below this many labelled exposures (or purchases among them) events cannot carry a model. */
export const MIN_EVENT_EXPOSURES = 500;
export const MIN_EVENT_PURCHASES = 20;
const IMPLICIT_NEGATIVES = 4;

export async function buildConversionDataset(repo: ConversionDataRepository, merchantId: number, opts: {
  from: Date; to: Date; labelWindowDays: number; onProgress?: (message: string) => Promise<void> | void;
  /**
   * Purchases read before this instant (default `to` + the label window). An evaluation that trains
   * as of a past instant sets it to `to`, so nothing after it reaches the model's history snapshot.
   */
  purchasesUntil?: Date;
}): Promise<{ dataset: ConversionDataset; index: DatasetIndex; source: ExampleSource }> {
  const windowMs = opts.labelWindowDays * DAY_MS;
  const products = await repo.products(merchantId);
  const customers = await repo.customers(merchantId);
  const productIds = Int32Array.from(products, (p) => p.id);
  const customerIds = Int32Array.from(customers, (c) => c.id);
  const productIndex = new Map<number, number>(products.map((p, i) => [p.id, i]));
  const customerIndex = new Map<number, number>(customers.map((c, i) => [c.id, i]));
  const productFeatures: ProductFeatures = buildProductFeatures(products.map(productRow));
  const customerFeatures = buildCustomerFeatures(customers.map((c) => ({ segment: c.segment, country: c.country, createdAt: new Date(c.createdAt).getTime() })));
  const handles = new Map((await repo.placements(merchantId)).map((p) => [p.id, p.handle]));

  await opts.onProgress?.('Reading exposures');
  const raw = await repo.exposures(merchantId, opts.from, opts.to, (n) => opts.onProgress?.(`Read ${n.toLocaleString('en')} exposures`));
  const buys = await repo.purchases(merchantId, opts.purchasesUntil ?? new Date(opts.to.getTime() + windowMs));

  // Rows whose label window runs past the data end cannot be labelled yet: drop them.
  const keep: number[] = [];
  for (let i = 0; i < raw.n; i++) if (raw.occurredAt[i] + windowMs <= opts.to.getTime()) keep.push(i);
  const n = keep.length;
  // The model's placement vocabulary: the base handles plus this merchant's most-used others.
  const handleCounts = new Map<string, number>();
  for (const i of keep) {
    const h = raw.isView[i] ? undefined : handles.get(raw.placementId[i]);
    if (h !== undefined) handleCounts.set(h, (handleCounts.get(h) ?? 0) + 1);
  }
  const placements = placementVocabulary(handleCounts);
  // An impression without a known placement is a list we can't name (unknown), not a direct landing.
  const codeOf = (i: number): number => {
    if (raw.isView[i]) return DIRECT_PLACEMENT;
    const h = handles.get(raw.placementId[i]);
    return h === undefined ? placements.length : placementCode(h, placements);
  };
  const exposures = {
    count: n,
    customer: Int32Array.from(keep, (i) => customerIndex.get(raw.customerId[i]) ?? -1),
    product: Int32Array.from(keep, (i) => productIndex.get(raw.productId[i]) ?? 0),
    placement: Int32Array.from(keep, codeOf),
    position: Int32Array.from(keep, (i) => Math.max(0, raw.position[i])),
    time: Float64Array.from(keep, (i) => raw.occurredAt[i]),
    label: new Uint8Array(n),
    engaged: Uint8Array.from(keep, (i) => raw.engaged[i]),
  };
  const purchases = {
    count: buys.n,
    customer: Int32Array.from(buys.customerId, (c) => customerIndex.get(c) ?? -1),
    product: Int32Array.from(buys.productId, (p) => productIndex.get(p) ?? -1),
    time: buys.orderedAt,
  };
  const positives = labelExposures(exposures, purchases, windowMs);
  const index = { productIds, customerIds, productIndex, customerIndex };
  const base = { products: productFeatures, customers: customerFeatures, purchases, labelWindowMs: windowMs, dataEnd: opts.to.getTime() };
  if (exposures.count >= MIN_EVENT_EXPOSURES && positives >= MIN_EVENT_PURCHASES) {
    return { dataset: { ...base, exposures, placements }, index, source: { kind: 'events' } };
  }
  // Too few events to learn from: implicit feedback from orders.
  const implicit = implicitExamples(purchases, productFeatures.count, opts.from.getTime(), opts.to.getTime(), IMPLICIT_NEGATIVES);
  return {
    dataset: { ...base, exposures: implicit }, index,
    source: {
      kind: 'orders', negativesPerPurchase: IMPLICIT_NEGATIVES,
      reason: `only ${exposures.count} labelled exposures with ${positives} purchases in the events`,
    },
  };
}
