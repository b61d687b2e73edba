// The ranking steps `recommendations` and the evaluation job share (src/modules/conversion/recommendation-ranking.ts).
import { allowedInMode, rankingShortlist, rankScored } from '../../src/modules/conversion/recommendation-ranking';
import { SeededRng } from '../../src/ml/random';

describe('rankScored', () => {
  it('meets the long-tail share by swapping the weakest head items for the best long-tail ones', () => {
    const ids = [1, 2, 3, 4, 5, 6];
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const tail = (id: number) => id >= 5;
    const greedy = rankScored(ids, scores, tail, 4, 0);
    expect(greedy.items.map((x) => x.id)).toEqual([1, 2, 3, 4]);
    const half = rankScored(ids, scores, tail, 4, 0.5);
    expect(half.items.map((x) => x.id)).toEqual([1, 2, 5, 6]);
    expect(half.longTailShare).toBe(0.5);
    expect(half.greedyExpected - half.expected).toBeCloseTo(0.7 + 0.6 - 0.5 - 0.4, 12);
  });

  it('filters by mode the way recommendations does', () => {
    expect([allowedInMode('MIXED', true), allowedInMode('MIXED', false)]).toEqual([true, true]);
    expect([allowedInMode('DISCOVERY', true), allowedInMode('DISCOVERY', false)]).toEqual([false, true]);
    expect([allowedInMode('REPURCHASE', true), allowedInMode('REPURCHASE', false)]).toEqual([true, false]);
  });
});

describe('rankingShortlist', () => {
  it('gives exactly the lists of the full candidate set at every share and K up to maxK', () => {
    const rng = new SeededRng(11);
    for (let trial = 0; trial < 30; trial++) {
      const n = 20 + Math.floor(rng.next() * 200);
      const ids = Array.from({ length: n }, (_, k) => 1000 + 3 * k);
      // Coarse scores so ties (broken on id) are common; long-tail rate varies by trial.
      const scores = Float32Array.from({ length: n }, () => Math.round(rng.next() * 20) / 20);
      const rate = rng.next();
      const tailSet = new Set(ids.filter(() => rng.next() < rate));
      const tail = (id: number) => tailSet.has(id);
      const maxK = 1 + Math.floor(rng.next() * 25);
      const short = rankingShortlist(ids, scores, tail, maxK);
      const shortIds = short.map((j) => ids[j]);
      const shortScores = short.map((j) => scores[j]);
      for (const k of [1, Math.ceil(maxK / 2), maxK]) {
        for (const share of [0, 0.1, 0.3, 0.5, 0.9, 1]) {
          const full = rankScored(ids, scores, tail, k, share);
          const fast = rankScored(shortIds, shortScores, tail, k, share);
          expect(fast.items).toEqual(full.items);
          expect(fast.expected).toBeCloseTo(full.expected, 9);
          expect(fast.greedyExpected).toBeCloseTo(full.greedyExpected, 9);
        }
      }
      expect(short.length).toBeLessThanOrEqual(3 * maxK);
    }
  });
});
