// Analog launches: past products most similar in content to a new one. The content embedding is a
// sparse, IDF-weighted, L2-normalised bag of hashed title/description tokens plus the category and
// brand; similarity is the cosine. Search goes through an inverted index (tokens carried by more than
// a fifth of the store are left out of it: they barely move a cosine and would make every lookup scan
// everything), so a lookup costs the postings of a product's rarer tokens, not the whole history.
import { hashString, tokenize } from '../hashing';

/** Hash space of content tokens. */
export const CONTENT_BUCKETS = 1 << 15;
const COMMON_SHARE = 0.2;
const CATEGORY_WEIGHT = 2;
const BRAND_WEIGHT = 1.5;
const TITLE_WEIGHT = 1.5;

export interface ContentInput { category: string | null; brand: string | null; title: string; description: string }

/** Raw term weights of a product's content (before IDF): token bucket → weight. */
export function contentTerms(p: ContentInput): Map<number, number> {
  const terms = new Map<number, number>();
  const add = (key: string, w: number) => {
    const id = hashString(key) % CONTENT_BUCKETS;
    terms.set(id, Math.max(terms.get(id) ?? 0, w));
  };
  if (p.category) add(`c:${p.category}`, CATEGORY_WEIGHT);
  if (p.brand) add(`b:${p.brand}`, BRAND_WEIGHT);
  for (const t of tokenize(p.title)) add(`w:${t}`, TITLE_WEIGHT);
  for (const t of tokenize(p.description)) add(`w:${t}`, 1);
  return terms;
}

/** The stored part of an analog index: per-row sparse vectors (CSR) and the IDF table. */
export interface AnalogIndexData {
  /** Row r's terms are ids[offsets[r] .. offsets[r+1]) with weights (IDF-weighted, L2-normalised). */
  offsets: Int32Array;
  ids: Int32Array;
  weights: Float32Array;
  /** Bucket → IDF (0 for unseen buckets, which then carry the maximum IDF at query time). */
  idf: Float32Array;
  maxIdf: number;
  rows: number;
}

export interface AnalogHit { row: number; similarity: number }

export class AnalogIndex {
  private readonly postings = new Map<number, { rows: Int32Array; weights: Float32Array }>();
  private scores = new Float64Array(0);
  private touched = new Int32Array(0);

  constructor(readonly data: AnalogIndexData) {
    const lists = new Map<number, { rows: number[]; weights: number[] }>();
    const { offsets, ids, weights, rows } = data;
    const limit = Math.max(5, COMMON_SHARE * rows);
    const df = new Map<number, number>();
    for (let k = 0; k < ids.length; k++) df.set(ids[k], (df.get(ids[k]) ?? 0) + 1);
    for (let r = 0; r < rows; r++) {
      for (let k = offsets[r]; k < offsets[r + 1]; k++) {
        if ((df.get(ids[k]) ?? 0) > limit) continue;
        let l = lists.get(ids[k]);
        if (!l) lists.set(ids[k], (l = { rows: [], weights: [] }));
        l.rows.push(r);
        l.weights.push(weights[k]);
      }
    }
    for (const [id, l] of lists) this.postings.set(id, { rows: Int32Array.from(l.rows), weights: Float32Array.from(l.weights) });
  }

  /** Builds the index over products (IDF from these products). */
  static build(products: readonly ContentInput[]): AnalogIndex {
    const terms = products.map(contentTerms);
    const df = new Map<number, number>();
    for (const t of terms) for (const id of t.keys()) df.set(id, (df.get(id) ?? 0) + 1);
    const n = products.length;
    const idf = new Float32Array(CONTENT_BUCKETS);
    let maxIdf = Math.log(1 + n);
    for (const [id, d] of df) idf[id] = Math.log((1 + n) / d);
    maxIdf = Math.max(maxIdf, 0);
    const offsets = new Int32Array(n + 1);
    const ids: number[] = [];
    const weights: number[] = [];
    const data: AnalogIndexData = { offsets, ids: new Int32Array(0), weights: new Float32Array(0), idf, maxIdf, rows: n };
    terms.forEach((t, r) => {
      const v = weighted(t, data);
      for (const [id, w] of v) {
        ids.push(id);
        weights.push(w);
      }
      offsets[r + 1] = ids.length;
    });
    data.ids = Int32Array.from(ids);
    data.weights = Float32Array.from(weights);
    return new AnalogIndex(data);
  }

  /** The embedding of a product under this index's IDF (sparse, unit length). */
  embed(p: ContentInput): Map<number, number> {
    return weighted(contentTerms(p), this.data);
  }

  /**
   * Top-k rows by cosine similarity ≥ minSimilarity, best first (ties by row). `exclude` drops one row
   * (leave-one-out features during training); `allow` restricts the candidates (rows before a cut-off).
   */
  search(p: ContentInput, k: number, minSimilarity: number, exclude = -1, allow?: (row: number) => boolean): AnalogHit[] {
    if (k <= 0) return [];
    const q = this.embed(p);
    // Dense scratch accumulators (a Map per lookup is far slower on large stores).
    if (this.scores.length < this.data.rows) {
      this.scores = new Float64Array(this.data.rows);
      this.touched = new Int32Array(this.data.rows);
    }
    const scores = this.scores;
    let touched = 0;
    for (const [id, w] of q) {
      const post = this.postings.get(id);
      if (!post) continue;
      for (let i = 0; i < post.rows.length; i++) {
        const r = post.rows[i];
        if (scores[r] === 0) this.touched[touched++] = r;
        scores[r] += w * post.weights[i];
      }
    }
    const hits: AnalogHit[] = [];
    let floor = minSimilarity;
    for (let t = 0; t < touched; t++) {
      const row = this.touched[t];
      const s = scores[row];
      scores[row] = 0;
      if (row === exclude || s < floor || (allow && !allow(row))) continue;
      hits.push({ row, similarity: s });
      if (hits.length >= 4 * k) {
        // Keep the candidate list short: prune to the best k and raise the floor.
        hits.sort(byScore);
        hits.length = k;
        floor = Math.max(floor, hits[k - 1].similarity);
      }
    }
    hits.sort(byScore);
    return hits.slice(0, k);
  }
}

function byScore(a: AnalogHit, b: AnalogHit): number {
  return b.similarity - a.similarity || a.row - b.row;
}

function weighted(terms: Map<number, number>, data: AnalogIndexData): Map<number, number> {
  const out = new Map<number, number>();
  let norm = 0;
  for (const [id, w] of terms) {
    const v = w * (data.idf[id] > 0 ? data.idf[id] : data.maxIdf);
    out.set(id, v);
    norm += v * v;
  }
  const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [id, v] of out) out.set(id, v * s);
  return out;
}
