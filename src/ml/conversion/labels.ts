// Labels from a purchase log: an exposure is positive when the same customer bought the same product
// within (t, t + window]. Anonymous rows (customer -1) cannot be linked to later purchases and are
// labelled by the caller (e.g. a purchase in the same session) or left 0.
import type { ExposureExamples, PurchaseLog } from './types';
import { upperBound } from '../sorted';

/** Key of a (customer, product) pair; exact for customers < 2^31 and products < 2^21. */
export function pairKey(customer: number, product: number): number {
  return customer * 2097152 + product;
}

/** The customer of a pairKey. */
export function pairOwner(key: number): number {
  return Math.floor(key / 2097152);
}

/** Purchase times grouped by (customer, product), ascending. */
export function purchaseTimesByPair(purchases: PurchaseLog): Map<number, number[]> {
  const byPair = new Map<number, number[]>();
  for (let i = 0; i < purchases.count; i++) {
    const c = purchases.customer[i];
    if (c < 0) continue;
    const key = pairKey(c, purchases.product[i]);
    let list = byPair.get(key);
    if (!list) byPair.set(key, (list = []));
    list.push(purchases.time[i]);
  }
  for (const list of byPair.values()) list.sort((a, b) => a - b);
  return byPair;
}

/** Writes window labels into `ex.label` for rows with a known customer; returns the positive count. */
export function labelExposures(ex: ExposureExamples, purchases: PurchaseLog, windowMs: number): number {
  const byPair = purchaseTimesByPair(purchases);
  let positives = 0;
  for (let i = 0; i < ex.count; i++) {
    const c = ex.customer[i];
    if (c < 0) continue;
    const times = byPair.get(pairKey(c, ex.product[i]));
    let y = 0;
    if (times) {
      const k = upperBound(times, ex.time[i]);
      if (k < times.length && times[k] <= ex.time[i] + windowMs) y = 1;
    }
    ex.label[i] = y;
    positives += y;
  }
  return positives;
}
