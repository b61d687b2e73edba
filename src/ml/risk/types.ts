// Risk flags over order data. Every rule takes parallel typed arrays indexed by the caller (order lines,
// orders or customers) and returns flags that point back into them, with the numbers behind the flag
// and a sentence a merchant can read. Scores share one scale across rules: statistic / (statistic +
// threshold), i.e. 0.5 exactly at the rule's flagging threshold and approaching 1 as evidence grows.

export type RiskKind = 'brushing_burst' | 'quantity_outlier' | 'order_cancel_cycle' | 'shared_attribute' | 'repeat_orders';

export interface RiskFlag {
  kind: RiskKind;
  /** In (0, 1); ≥ 0.5 for every returned flag. See the file comment. */
  score: number;
  /** Indices of the orders involved (the caller's order indices), ascending and distinct. */
  orders: Int32Array;
  /** Indices of the customers involved, ascending and distinct. */
  customers: Int32Array;
  /** Merchant-readable numbers behind the flag (times in ms since the epoch, durations as named). */
  evidence: Record<string, number>;
  /** One sentence saying why. */
  reason: string;
}

/** Order lines: one row per (order, product) line. */
export interface OrderLines {
  /** Order index of the line (what flags report). */
  order: Int32Array;
  /** Customer index of the line's order. */
  customer: Int32Array;
  product: Int32Array;
  /** When the order was placed, ms since the epoch. */
  timeMs: Float64Array;
  quantity: Float64Array;
  unitPrice: Float64Array;
}

/** Score on the shared scale: statistic / (statistic + threshold). */
export function riskScore(statistic: number, threshold: number): number {
  if (!(statistic > 0)) return 0;
  if (!Number.isFinite(statistic)) return 1;
  return statistic / (statistic + threshold);
}

/** Sorted distinct values of `values[idx]` for the given row indices. */
export function distinctSorted(values: ArrayLike<number>, rows: ArrayLike<number>): Int32Array {
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  out.sort();
  let m = 0;
  for (let k = 0; k < out.length; k++) if (k === 0 || out[k] !== out[k - 1]) out[m++] = out[k];
  return out.slice(0, m);
}

/** Row indices grouped by an integer key in [0, nKeys): start offsets and the rows (counting sort). */
export function groupRowsByKey(key: Int32Array, nKeys: number, rows?: ArrayLike<number>): { start: Int32Array; rows: Int32Array } {
  const n = rows ? rows.length : key.length;
  const start = new Int32Array(nKeys + 1);
  for (let k = 0; k < n; k++) start[key[rows ? rows[k] : k] + 1]++;
  for (let g = 0; g < nKeys; g++) start[g + 1] += start[g];
  const fill = start.slice(0, nKeys);
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const r = rows ? rows[k] : k;
    out[fill[key[r]]++] = r;
  }
  return { start, rows: out };
}

export function maxOf(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}
