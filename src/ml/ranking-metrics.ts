// Offline metrics of ranked recommendation lists against what the customers then bought. Items are
// integer ids (e.g. product indices 0..n-1); a list is best first. Binary relevance throughout.
//   Recall@K   |top K ∩ relevant| / |relevant|
//   NDCG@K     DCG@K / IDCG@K with gain 1/log2(rank + 1) per relevant item at rank 1..K, and the ideal
//              DCG over min(K, |relevant|) hits (so a perfect list scores 1 even when |relevant| < K)
//   HitRate@K  1 when the top K holds at least one relevant item
//   coverage   distinct items in the top K of all lists / catalogue size
//   long-tail  share of the recommended slots (top K of every list) taken by long-tail items
//   novelty    mean over recommended slots of −log2(popularity share of the item in training), with
//              add-one smoothing — (count + 1) / (total + catalogue) — so never-bought items are finite

type Items = ArrayLike<number>;

/** Recall@K of one list; NaN when nothing is relevant (such lists are skipped by the summary). */
export function recallAtK(list: Items, relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return NaN;
  return hitsAtK(list, relevant, k) / relevant.size;
}

/** NDCG@K of one list with binary relevance; NaN when nothing is relevant. */
export function ndcgAtK(list: Items, relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return NaN;
  let dcg = 0;
  const n = Math.min(k, list.length);
  for (let r = 0; r < n; r++) if (relevant.has(list[r])) dcg += 1 / Math.log2(r + 2);
  let ideal = 0;
  const m = Math.min(k, relevant.size);
  for (let r = 0; r < m; r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}

/** Relevant items among the first K of a list. */
export function hitsAtK(list: Items, relevant: ReadonlySet<number>, k: number): number {
  let hits = 0;
  const n = Math.min(k, list.length);
  for (let r = 0; r < n; r++) if (relevant.has(list[r])) hits++;
  return hits;
}

/** Share of the catalogue that appears in the top K of at least one list. */
export function catalogueCoverage(lists: readonly Items[], k: number, catalogueSize: number): number {
  if (catalogueSize <= 0) return 0;
  const seen = new Set<number>();
  for (const l of lists) for (let r = 0; r < Math.min(k, l.length); r++) seen.add(l[r]);
  return seen.size / catalogueSize;
}

/** Share of recommended slots (top K of every list) holding a long-tail item; 0 without slots. */
export function longTailSlotShare(lists: readonly Items[], k: number, isLongTail: (item: number) => boolean): number {
  let slots = 0;
  let tail = 0;
  for (const l of lists) {
    for (let r = 0; r < Math.min(k, l.length); r++) {
      slots++;
      if (isLongTail(l[r])) tail++;
    }
  }
  return slots ? tail / slots : 0;
}

/**
 * Mean self-information −log2(share) of the recommended slots, where an item's share is its
 * (smoothed) part of the training purchases: `counts[item]` purchases out of all. 0 without slots.
 */
export function novelty(lists: readonly Items[], k: number, counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const denom = total + counts.length;
  let slots = 0;
  let sum = 0;
  for (const l of lists) {
    for (let r = 0; r < Math.min(k, l.length); r++) {
      const item = l[r];
      if (!(item >= 0 && item < counts.length)) throw new RangeError(`item ${item} has no popularity count`);
      sum += -Math.log2((counts[item] + 1) / denom);
      slots++;
    }
  }
  return slots ? sum / slots : 0;
}

export interface RankingSummary {
  k: number;
  /** Lists with at least one relevant item (the ones accuracy is averaged over). */
  lists: number;
  recall: number;
  ndcg: number;
  hitRate: number;
  coverage: number;
  longTailShare: number;
  novelty: number;
}

/**
 * All metrics at K for a set of lists: accuracy averaged over the lists whose customer has relevant
 * items; coverage, long-tail share and novelty over every list's slots.
 */
export function summariseRankings(input: {
  lists: readonly Items[];
  relevant: readonly ReadonlySet<number>[];
  k: number;
  catalogueSize: number;
  isLongTail: (item: number) => boolean;
  popularityCounts: ArrayLike<number>;
}): RankingSummary {
  const { lists, relevant, k } = input;
  if (lists.length !== relevant.length) throw new RangeError('one relevant set per list');
  let n = 0;
  let recall = 0;
  let ndcg = 0;
  let hits = 0;
  for (let i = 0; i < lists.length; i++) {
    if (relevant[i].size === 0) continue;
    n++;
    recall += recallAtK(lists[i], relevant[i], k);
    ndcg += ndcgAtK(lists[i], relevant[i], k);
    if (hitsAtK(lists[i], relevant[i], k) > 0) hits++;
  }
  return {
    k, lists: n,
    recall: n ? recall / n : 0,
    ndcg: n ? ndcg / n : 0,
    hitRate: n ? hits / n : 0,
    coverage: catalogueCoverage(lists, k, input.catalogueSize),
    longTailShare: longTailSlotShare(lists, k, input.isLongTail),
    novelty: novelty(lists, k, input.popularityCounts),
  };
}
