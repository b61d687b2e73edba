// Re-ranking toward the long tail at the least cost in expected conversions. With scores p_i and a
// requirement of at least m long-tail items in a list of k, the best list is the top k overall with
// its lowest-scoring head items swapped for the highest-scoring long-tail items left out, until m
// are in. The cost is the drop in summed probability against the unconstrained top k.
//
// `recommendations` and the offline evaluation job (evaluate-recommendations) both build their lists
// from the three steps below — mode filter, scoring, ranking — so what is evaluated is what is served.
// Pure: no database, so it also runs inside worker threads.
export interface RankCandidate { id: number; p: number; longTail: boolean }

/** What a list optimises (the values of the GraphQL RecommendationMode enum). */
export type ListMode = 'MIXED' | 'DISCOVERY' | 'REPURCHASE';

/** Whether a list in `mode` may hold a product, given whether the customer bought it before. */
export function allowedInMode(mode: ListMode, boughtBefore: boolean): boolean {
  return mode === 'MIXED' || (mode === 'REPURCHASE' ? boughtBefore : !boughtBefore);
}

/** The scoring half of a conversion model as recommendations use it. */
export interface CandidateScorer {
  scoreCustomer(customerIdx: number, productIdxs: ArrayLike<number>, context: { time: number }): Float32Array;
}

/** Calibrated P(buy | shown) of each candidate product (row ids) for one customer at `time` (the data clock). */
export function scoreCandidates(model: CandidateScorer, customerIdx: number, candidateIds: readonly number[],
  productIndex: ReadonlyMap<number, number>, time: number): Float32Array {
  if (candidateIds.length === 0) return new Float32Array();
  return model.scoreCustomer(customerIdx, candidateIds.map((id) => productIndex.get(id)!), { time });
}

/**
 * Positions (into `ids`) of the only candidates a list of length k ≤ maxK can hold at any share: the
 * top maxK by (score desc, id asc) and the top 2·maxK long-tail ones (a list of k takes the top k
 * and swaps in at most k of the next long-tail items, each within the first 2k long-tail ones).
 * rankScored over this shortlist returns exactly the list it returns over all candidates, at a
 * fraction of the cost when one customer's candidates are ranked at many shares and lengths.
 */
export function rankingShortlist(ids: readonly number[], scores: ArrayLike<number>, isLongTail: (id: number) => boolean, maxK: number): number[] {
  const order = ids.map((_, k) => k).sort((a, b) => scores[b] - scores[a] || ids[a] - ids[b]);
  const out: number[] = [];
  let tail = 0;
  for (let r = 0; r < order.length && (r < maxK || tail < 2 * maxK); r++) {
    const lt = isLongTail(ids[order[r]]);
    if (r < maxK || lt) out.push(order[r]);
    if (lt) tail++;
  }
  return out;
}

/** Ranks scored candidates (ids are product row ids: ties break on them) into a list of `first` with a long-tail share. */
export function rankScored(ids: readonly number[], scores: ArrayLike<number>, isLongTail: (id: number) => boolean,
  first: number, share: number): RankedList {
  return rankWithLongTailShare(ids.map((id, k) => ({ id, p: scores[k], longTail: isLongTail(id) })), first, share);
}

export interface RankedList {
  items: RankCandidate[];
  expected: number;
  greedyExpected: number;
  /** Long-tail share actually reached (may fall short when too few long-tail candidates exist). */
  longTailShare: number;
}

export function rankWithLongTailShare(candidates: RankCandidate[], k: number, share: number): RankedList {
  const sorted = [...candidates].sort((a, b) => b.p - a.p || a.id - b.id);
  const top = sorted.slice(0, k);
  const greedyExpected = top.reduce((s, c) => s + c.p, 0);
  const need = Math.min(top.length, Math.ceil(Math.max(0, Math.min(1, share)) * top.length - 1e-9));
  const chosen = [...top];
  let have = chosen.filter((c) => c.longTail).length;
  if (have < need) {
    const spareTail = sorted.slice(k).filter((c) => c.longTail);
    const headInChosen = chosen.map((c, i) => ({ c, i })).filter((x) => !x.c.longTail).sort((a, b) => a.c.p - b.c.p);
    let t = 0;
    for (const h of headInChosen) {
      if (have >= need || t >= spareTail.length) break;
      chosen[h.i] = spareTail[t++];
      have++;
    }
    chosen.sort((a, b) => b.p - a.p || a.id - b.id);
  }
  const expected = chosen.reduce((s, c) => s + c.p, 0);
  return { items: chosen, expected, greedyExpected, longTailShare: chosen.length ? have / chosen.length : 0 };
}
