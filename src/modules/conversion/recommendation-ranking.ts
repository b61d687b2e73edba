// Re-ranking toward the long tail at the least cost in expected conversions. With scores p_i and a
// requirement of at least m long-tail items in a list of k, the best list is the top k overall with
// its lowest-scoring head items swapped for the highest-scoring long-tail items left out, until m
// are in. The cost is the drop in summed probability against the unconstrained top k.
export interface RankCandidate { id: number; p: number; longTail: boolean }

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
