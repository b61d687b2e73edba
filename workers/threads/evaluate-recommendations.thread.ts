// Runs in a worker thread (src/infra/thread.ts): trains a throwaway conversion model on the data
// before a split with the production training pipeline, then replays `recommendations` for sampled
// customers as of the split — the same mode filter, scoring call and long-tail re-ranking the API
// runs — beside a popularity baseline, and scores every list against what the customer bought
// after the split. Pure: no database or queue here.
import { summariseRankings, type RankingSummary } from '../../src/ml/ranking-metrics';
import { deserializeConversionModel } from '../../src/ml/conversion/serialize';
import type { EpochReport } from '../../src/ml/conversion/train';
import type { ItemLists } from '../../src/modules/evaluation/evaluation-sample';
import { allowedInMode, rankingShortlist, rankScored, scoreCandidates, type ListMode } from '../../src/modules/conversion/recommendation-ranking';
import { trainConversionThread, type TrainConversionInput, type TrainConversionOutput } from './train-conversion.thread';


export interface EvaluateRecommendationsInput {
  train: TrainConversionInput;
  splitAt: number;
  ks: number[];
  shares: number[];
  modes: ListMode[];
  /** Candidate products as of the split (row ids, ascending) and their index in the training dataset. */
  candidateIds: Int32Array;
  candidateIdx: Int32Array;
  /** Per candidate: 1 when the long-tail flag was set as of the split. */
  longTail: Uint8Array;
  /** Per candidate: purchase lines before the split (popularity baseline and novelty). */
  popularity: Float64Array;
  /** Evaluated customers: dataset index (or -1 when the model, as of the split, could not know them). */
  customerIdx: Int32Array;
  /** Candidate positions each customer bought before the split, and in the test window. */
  boughtBefore: ItemLists;
  relevant: ItemLists;
}

export type Policy = 'MODEL' | 'POPULARITY';

export interface MetricsAtK extends RankingSummary {
  /** Mean expected conversions per list (sum of calibrated probabilities); null for the baseline. */
  expectedConversions: number | null;
  /** Mean expected conversions given up per list against the same list without the long-tail share. */
  conversionCost: number | null;
}

export interface EvaluationRow {
  policy: Policy;
  mode: ListMode;
  longTailShare: number;
  /** Customers with at least one relevant purchase in this mode (accuracy is averaged over them). */
  customers: number;
  atK: MetricsAtK[];
}

export interface EvaluateRecommendationsOutput {
  rows: EvaluationRow[];
  training: Omit<TrainConversionOutput, 'artifact' | 'metadata' | 'featureSchema'>;
  coldCustomers: number;
}

export type EvaluateRecommendationsMessage =
  | { kind: 'epoch'; epoch: EpochReport; maxEpochs: number }
  | { kind: 'scoring'; done: number; total: number };

const POLICIES: Policy[] = ['MODEL', 'POPULARITY'];

function listOf(l: ItemLists, i: number): Int32Array {
  return l.items.subarray(l.offsets[i], l.offsets[i + 1]);
}

export async function evaluateRecommendationsThread(input: EvaluateRecommendationsInput,
  post: (m: EvaluateRecommendationsMessage) => void): Promise<EvaluateRecommendationsOutput> {
  const trained = await trainConversionThread(input.train, (m) => post({ kind: 'epoch', ...m }));
  const model = await deserializeConversionModel(trained.artifact);
  try {
    return { rows: replay(input, model, post), training: summary(trained), coldCustomers: countCold(input.customerIdx) };
  } finally {
    model.dispose();
  }
}

function summary(t: TrainConversionOutput): EvaluateRecommendationsOutput['training'] {
  return { backend: t.backend, evaluation: t.evaluation, training: t.training };
}

function countCold(idx: Int32Array): number {
  let n = 0;
  for (const c of idx) if (c < 0) n++;
  return n;
}

interface Cell { lists: Int32Array[]; expected: number; greedy: number }

function replay(input: EvaluateRecommendationsInput, model: Parameters<typeof scoreCandidates>[0] & { customers: { count: number } },
  post: (m: EvaluateRecommendationsMessage) => void): EvaluationRow[] {
  const ids = Array.from(input.candidateIds);
  const position = new Map(ids.map((id, k) => [id, k]));
  const productIndex = new Map(ids.map((id, k) => [id, input.candidateIdx[k]]));
  const isLongTail = (id: number) => input.longTail[position.get(id)!] === 1;
  let total = 0;
  for (const c of input.popularity) total += c;
  const popularityScore = Float64Array.from(input.popularity, (c) => (total > 0 ? c / total : 0));
  const cold = model.customers.count; // the shared vector of customers the model has never seen
  const maxK = Math.max(...input.ks);

  // cells[policy][mode][share][k] collects one list (candidate positions) per customer.
  const key = (p: Policy, m: ListMode, s: number, k: number) => `${p}|${m}|${s}|${k}`;
  const cells = new Map<string, Cell>();
  for (const p of POLICIES) for (const m of input.modes) for (const s of input.shares) for (const k of input.ks) cells.set(key(p, m, s, k), { lists: [], expected: 0, greedy: 0 });
  const relevantByMode = new Map<ListMode, Set<number>[]>(input.modes.map((m) => [m, []]));

  const n = input.customerIdx.length;
  for (let i = 0; i < n; i++) {
    const bought = new Set(Array.from(listOf(input.boughtBefore, i), (k) => ids[k]));
    const relevant = Array.from(listOf(input.relevant, i), (k) => ids[k]);
    const customer = input.customerIdx[i] >= 0 ? input.customerIdx[i] : cold;
    // One scoring pass over every candidate; a mode's list ranks its allowed subset of the same scores.
    const scores = scoreCandidates(model, customer, ids, productIndex, input.splitAt);
    for (const mode of input.modes) {
      const allowed: number[] = [];
      for (let k = 0; k < ids.length; k++) if (allowedInMode(mode, bought.has(ids[k]))) allowed.push(k);
      const allowedIds = allowed.map((k) => ids[k]);
      const byPolicy: Record<Policy, Float64Array> = {
        MODEL: Float64Array.from(allowed, (k) => scores[k]),
        POPULARITY: Float64Array.from(allowed, (k) => popularityScore[k]),
      };
      relevantByMode.get(mode)!.push(new Set(relevant.filter((id) => allowedInMode(mode, bought.has(id))).map((id) => position.get(id)!)));
      for (const policy of POLICIES) {
        // Same lists as ranking all allowed candidates at every share and K (see rankingShortlist).
        const short = rankingShortlist(allowedIds, byPolicy[policy], isLongTail, maxK);
        const shortIds = short.map((j) => allowedIds[j]);
        const shortScores = Float64Array.from(short, (j) => byPolicy[policy][j]);
        for (const share of input.shares) {
          for (const k of input.ks) {
            const ranked = rankScored(shortIds, shortScores, isLongTail, k, share);
            const cell = cells.get(key(policy, mode, share, k))!;
            cell.lists.push(Int32Array.from(ranked.items, (x) => position.get(x.id)!));
            cell.expected += ranked.expected;
            cell.greedy += ranked.greedyExpected;
          }
        }
      }
    }
    if (i % 50 === 49 || i === n - 1) post({ kind: 'scoring', done: i + 1, total: n });
  }

  const rows: EvaluationRow[] = [];
  for (const mode of input.modes) {
    const relevant = relevantByMode.get(mode)!;
    for (const policy of POLICIES) {
      for (const share of input.shares) {
        const atK = input.ks.map((k): MetricsAtK => {
          const cell = cells.get(key(policy, mode, share, k))!;
          const s = summariseRankings({
            lists: cell.lists, relevant, k, catalogueSize: ids.length,
            isLongTail: (pos) => input.longTail[pos] === 1, popularityCounts: input.popularity,
          });
          const lists = Math.max(1, cell.lists.length);
          return {
            ...s,
            expectedConversions: policy === 'MODEL' ? cell.expected / lists : null,
            conversionCost: policy === 'MODEL' ? Math.max(0, cell.greedy - cell.expected) / lists : null,
          };
        });
        rows.push({ policy, mode, longTailShare: share, customers: atK[0]?.lists ?? 0, atK });
      }
    }
  }
  return rows;
}
