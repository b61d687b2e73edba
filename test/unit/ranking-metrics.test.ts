// Offline ranking metrics (src/ml/ranking-metrics.ts) on cases small enough to check by hand.
import {
  catalogueCoverage, hitsAtK, longTailSlotShare, ndcgAtK, novelty, recallAtK, summariseRankings,
} from '../../src/ml/ranking-metrics';

const rel = (...items: number[]) => new Set(items);

describe('recallAtK', () => {
  it('is the share of the relevant items found in the top K', () => {
    expect(recallAtK([1, 2, 3, 4], rel(2, 4, 9), 4)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK([1, 2, 3, 4], rel(2, 4, 9), 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK([1, 2], rel(7), 10)).toBe(0);
  });

  it('is undefined (NaN) for a customer with nothing relevant', () => {
    expect(recallAtK([1, 2], rel(), 2)).toBeNaN();
  });
});

describe('ndcgAtK', () => {
  it('is 1 for a perfect list, also when fewer items are relevant than K', () => {
    expect(ndcgAtK([5, 6, 1, 2], rel(5, 6), 4)).toBeCloseTo(1, 12);
    expect(ndcgAtK([5], rel(5), 10)).toBeCloseTo(1, 12);
  });

  it('discounts a hit by log2(rank + 1) against the ideal over min(K, |relevant|) hits', () => {
    // One hit at rank 2 of 1 relevant: (1/log2 3) / 1.
    expect(ndcgAtK([1, 5, 2], rel(5), 3)).toBeCloseTo(1 / Math.log2(3), 12);
    // Hits at ranks 1 and 3 of 3 relevant, K = 2: DCG = 1; IDCG over 2 slots = 1 + 1/log2 3.
    expect(ndcgAtK([5, 1, 6], rel(5, 6, 7), 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgAtK([1, 2, 3], rel(9), 3)).toBe(0);
  });
});

describe('list-set metrics', () => {
  const lists = [[0, 1, 2], [0, 3, 4]];

  it('coverage counts distinct items of the top K over the catalogue', () => {
    expect(catalogueCoverage(lists, 3, 10)).toBeCloseTo(5 / 10, 12);
    expect(catalogueCoverage(lists, 1, 10)).toBeCloseTo(1 / 10, 12);
    expect(catalogueCoverage([], 3, 0)).toBe(0);
  });

  it('long-tail share is over recommended slots, not distinct items', () => {
    const tail = (i: number) => i >= 3;
    expect(longTailSlotShare(lists, 3, tail)).toBeCloseTo(2 / 6, 12);
    expect(longTailSlotShare(lists, 1, tail)).toBe(0);
  });

  it('novelty is the mean −log2 of the smoothed training popularity share of each slot', () => {
    // counts 3, 1, 0, 0 → total 4, smoothed over 4 items: shares 4/8, 2/8, 1/8, 1/8.
    const counts = [3, 1, 0, 0];
    expect(novelty([[0]], 1, counts)).toBeCloseTo(1, 12);
    expect(novelty([[0, 1], [2, 3]], 2, counts)).toBeCloseTo((1 + 2 + 3 + 3) / 4, 12);
    expect(() => novelty([[7]], 1, counts)).toThrow(RangeError);
  });

  it('hitsAtK counts relevant items in the first K only', () => {
    expect(hitsAtK([1, 2, 3], rel(1, 3), 2)).toBe(1);
  });
});

describe('summariseRankings', () => {
  it('averages accuracy over customers with relevant items and the rest over every slot', () => {
    const s = summariseRankings({
      lists: [[0, 1], [2, 3], [0, 2]],
      relevant: [rel(1), rel(9), rel()],
      k: 2, catalogueSize: 8, isLongTail: (i) => i >= 2, popularityCounts: [3, 1, 0, 0],
    });
    expect(s.lists).toBe(2);
    expect(s.recall).toBeCloseTo(0.5, 12); // (1 + 0) / 2
    expect(s.ndcg).toBeCloseTo((1 / Math.log2(3)) / 2, 12);
    expect(s.hitRate).toBeCloseTo(0.5, 12);
    expect(s.coverage).toBeCloseTo(4 / 8, 12);
    expect(s.longTailShare).toBeCloseTo(3 / 6, 12);
    expect(s.novelty).toBeCloseTo((1 + 2 + 3 + 3 + 1 + 3) / 6, 12);
  });

  it('refuses lists and relevant sets of different lengths', () => {
    expect(() => summariseRankings({ lists: [[1]], relevant: [], k: 1, catalogueSize: 2, isLongTail: () => false, popularityCounts: [0, 0] }))
      .toThrow(RangeError);
  });
});
