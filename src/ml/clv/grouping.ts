// Collapses customers with identical (x, t_x, T) into weighted groups. The BTYD likelihoods and every
// prediction depend on a customer only through that triple, and with day-level data a million customers
// share a few hundred thousand triples at most (and far fewer in week units), so fitting and scoring
// run over the groups. Exact equality of doubles is the grouping key (−0 and 0 are the same).

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export interface TripleGroups {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Number of customers in each group. */
  weight: Float64Array;
  /** Group of each input row, −1 for rows left out (non-finite T or x, or a 0 in `include`). */
  groupOf: Int32Array;
  count: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mixDouble(h: number, v: number): number {
  f64[0] = v === 0 ? 0 : v;
  h = Math.imul(h ^ u32[0], 0x85ebca6b);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ u32[1], 0xc2b2ae35);
  return (h << 15) | (h >>> 17);
}

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return h ^ (h >>> 16);
}

export function groupTriples(
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
  include?: ArrayLike<number>,
): TripleGroups {
  const n = x.length;
  if (tx.length !== n || T.length !== n) throw new Error('x, tx and T differ in length');
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const groupOf = new Int32Array(n);
  let gx: Float64Array<ArrayBuffer> = new Float64Array(Math.min(n, 1024));
  let gtx = new Float64Array(gx.length);
  let gT = new Float64Array(gx.length);
  let gw = new Float64Array(gx.length);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    if ((include && !include[i]) || !Number.isFinite(xi) || !Number.isFinite(ti) || !Number.isFinite(Ti)) {
      groupOf[i] = -1;
      continue;
    }
    let slot = finalize(mixDouble(mixDouble(mixDouble(0x9e3779b9, xi), ti), Ti)) & mask;
    for (;;) {
      const g = table[slot];
      if (g < 0) {
        if (count === gx.length) {
          const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
            const b = new Float64Array(Math.min(n, a.length * 2));
            b.set(a);
            return b;
          };
          gx = grow(gx);
          gtx = grow(gtx);
          gT = grow(gT);
          gw = grow(gw);
        }
        table[slot] = count;
        gx[count] = xi;
        gtx[count] = ti;
        gT[count] = Ti;
        gw[count] = 1;
        groupOf[i] = count++;
        break;
      }
      if (gx[g] === xi && gtx[g] === ti && gT[g] === Ti) {
        gw[g]++;
        groupOf[i] = g;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { x: gx.slice(0, count), tx: gtx.slice(0, count), T: gT.slice(0, count), weight: gw.slice(0, count), groupOf, count };
}

/** Distinct values of `v` and the index of each element among them (for per-value caches). */
export function distinctValues(v: ArrayLike<number>): { values: Float64Array; index: Int32Array } {
  const n = v.length;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const index = new Int32Array(n);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const vi = v[i];
    let slot = finalize(mixDouble(0x27d4eb2f, vi)) & mask;
    for (;;) {
      const g = table[slot];
      if (g < 0) {
        table[slot] = values.length;
        index[i] = values.length;
        values.push(vi);
        break;
      }
      if (values[g] === vi || (vi !== vi && values[g] !== values[g])) {
        index[i] = g;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { values: Float64Array.from(values), index };
}
