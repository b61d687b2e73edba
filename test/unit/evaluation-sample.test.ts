// Who an offline recommendation evaluation looks at (src/modules/evaluation/evaluation-sample.ts).
import { evaluationSample, type ItemLists } from '../../src/modules/evaluation/evaluation-sample';

const DAY = 86_400_000;
const SPLIT = 100 * DAY;

function log(rows: Array<[customer: number, product: number, day: number]>) {
  return {
    n: rows.length,
    customerId: Int32Array.from(rows, (r) => r[0]), productId: Int32Array.from(rows, (r) => r[1]),
    orderedAt: Float64Array.from(rows, (r) => r[2] * DAY),
  };
}

const items = (l: ItemLists, i: number) => Array.from(l.items.subarray(l.offsets[i], l.offsets[i + 1]));

describe('evaluationSample', () => {
  // Candidates 10, 20, 30 (positions 0, 1, 2); product 99 is not a candidate (launched after the split).
  const purchases = log([
    [1, 10, 50], [1, 10, 60], [1, 20, 90], [1, 20, 101], [1, 30, 110],
    [2, 30, 99], [2, 99, 105],
    [3, 10, 100], [3, 10, 130],
    [4, 20, 20],
  ]);

  it('splits each customer\'s purchases at the split into past purchases and relevant items', () => {
    const s = evaluationSample({ purchases, candidateIds: [10, 20, 30], splitAt: SPLIT, until: 120 * DAY, maxCustomers: 10, seed: 1 });
    // Customer 2 bought only a non-candidate after the split, 4 nothing: neither is evaluated.
    expect(s.customers).toEqual([1, 3]);
    expect(items(s.relevant, 0)).toEqual([1, 2]);
    expect(items(s.boughtBefore, 0)).toEqual([0, 1]);
    // A purchase exactly at the split is in the test window; one after the data clock is ignored.
    expect(items(s.relevant, 1)).toEqual([0]);
    expect(items(s.boughtBefore, 1)).toEqual([]);
    expect(Array.from(s.popularity)).toEqual([2, 2, 1]);
    expect(s.eligibleCustomers).toBe(2);
    expect(s.testPurchases).toBe(4);
    expect(s.testPurchasesOfNonCandidates).toBe(1);
  });

  it('samples at most maxCustomers, the same ones for the same seed', () => {
    const many = log(Array.from({ length: 200 }, (_, c): [number, number, number] => [c, 10 + 10 * (c % 3), 100 + (c % 10)]));
    const a = evaluationSample({ purchases: many, candidateIds: [10, 20, 30], splitAt: SPLIT, until: 200 * DAY, maxCustomers: 50, seed: 7 });
    const b = evaluationSample({ purchases: many, candidateIds: [10, 20, 30], splitAt: SPLIT, until: 200 * DAY, maxCustomers: 50, seed: 7 });
    const c = evaluationSample({ purchases: many, candidateIds: [10, 20, 30], splitAt: SPLIT, until: 200 * DAY, maxCustomers: 50, seed: 8 });
    expect(a.customers).toHaveLength(50);
    expect(a.customers).toEqual(b.customers);
    expect(a.customers).not.toEqual(c.customers);
    expect([...a.customers].sort((x, y) => x - y)).toEqual(a.customers);
    expect(a.eligibleCustomers).toBe(200);
  });
});
