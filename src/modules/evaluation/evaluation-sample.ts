// Who an offline evaluation looks at, and what counts for each of them: from the purchase log and
// the candidate catalogue as of the split, the customers who bought candidates in the test window
// (a seeded sample of at most `maxCustomers`), the candidates each bought before the split (for the
// REPURCHASE/DISCOVERY filter, exactly as `recommendations` reads a customer's past purchases) and
// the candidates bought in the window (the relevant items). Pure: arrays in, arrays out.
import { permutation, SeededRng } from '../../ml/random';

/** Per-customer item lists in one flat array: customer i owns items[offsets[i] .. offsets[i + 1]). */
export interface ItemLists { offsets: Int32Array; items: Int32Array }

export interface EvaluationSample {
  /** Sampled customers (row ids), ascending. */
  customers: number[];
  /** Candidate positions each sampled customer bought before the split / in the test window (distinct, ascending). */
  boughtBefore: ItemLists;
  relevant: ItemLists;
  /** Per candidate position: purchase lines before the split. */
  popularity: Float64Array;
  /** Customers with at least one relevant purchase (before sampling). */
  eligibleCustomers: number;
  testPurchases: number;
  /** Test-window purchases of products that were not candidates at the split (e.g. launched after it). */
  testPurchasesOfNonCandidates: number;
}

export function evaluationSample(input: {
  purchases: { n: number; customerId: Int32Array; productId: Int32Array; orderedAt: Float64Array };
  /** Candidate product ids, ascending (positions index the returned lists). */
  candidateIds: readonly number[];
  splitAt: number;
  /** End of the test window (inclusive): the data clock. */
  until: number;
  maxCustomers: number;
  seed: number;
}): EvaluationSample {
  const { purchases: p, splitAt, until } = input;
  const position = new Map(input.candidateIds.map((id, k) => [id, k]));
  const popularity = new Float64Array(input.candidateIds.length);
  const before = new Map<number, Set<number>>();
  const after = new Map<number, Set<number>>();
  let testPurchases = 0;
  let outside = 0;
  for (let i = 0; i < p.n; i++) {
    const t = p.orderedAt[i];
    if (t > until) continue;
    const pos = position.get(p.productId[i]);
    if (t >= splitAt) {
      testPurchases++;
      if (pos === undefined) { outside++; continue; }
      let s = after.get(p.customerId[i]);
      if (!s) after.set(p.customerId[i], (s = new Set()));
      s.add(pos);
    } else if (pos !== undefined) {
      popularity[pos]++;
      let s = before.get(p.customerId[i]);
      if (!s) before.set(p.customerId[i], (s = new Set()));
      s.add(pos);
    }
  }
  const eligible = [...after.keys()].sort((a, b) => a - b);
  const order = permutation(eligible.length, new SeededRng(input.seed));
  const customers = Array.from(order.subarray(0, Math.min(input.maxCustomers, eligible.length)), (k) => eligible[k]).sort((a, b) => a - b);
  return {
    customers,
    boughtBefore: flatten(customers.map((c) => before.get(c))),
    relevant: flatten(customers.map((c) => after.get(c))),
    popularity,
    eligibleCustomers: eligible.length,
    testPurchases,
    testPurchasesOfNonCandidates: outside,
  };
}

function flatten(sets: (Set<number> | undefined)[]): ItemLists {
  const offsets = new Int32Array(sets.length + 1);
  sets.forEach((s, i) => { offsets[i + 1] = offsets[i] + (s?.size ?? 0); });
  const items = new Int32Array(offsets[sets.length]);
  sets.forEach((s, i) => { if (s) items.set([...s].sort((a, b) => a - b), offsets[i]); });
  return { offsets, items };
}
