// Double-double arithmetic (an unevaluated sum hi + lo of two doubles, ~32 significant digits) for the
// rare hypergeometric series whose terms cancel: summing them at twice the precision keeps ~16 digits
// through a condition number of 1e16. Algorithms: Dekker (1971) and Knuth's error-free transformations,
// as in the QD library of Hida, Li & Bailey.

export interface DD {
  hi: number;
  lo: number;
}

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

export function dd(hi: number, lo = 0): DD {
  return { hi, lo };
}

export function ddAdd(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  let r = quickTwoSum(s.hi, s.lo + t.hi);
  r = quickTwoSum(r.hi, r.lo + t.lo);
  return r;
}

/** a + b for doubles, exactly. */
export function ddFromSum(a: number, b: number): DD {
  return twoSum(a, b);
}

export function ddMul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

export function ddMulNum(a: DD, b: number): DD {
  const p = twoProd(a.hi, b);
  return quickTwoSum(p.hi, p.lo + a.lo * b);
}

export function ddDiv(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  let r = ddAdd(a, ddMulNum(b, -q1));
  const q2 = r.hi / b.hi;
  r = ddAdd(r, ddMulNum(b, -q2));
  const q3 = r.hi / b.hi;
  return ddAdd(quickTwoSum(q1, q2), dd(q3));
}

export function ddAbs(a: DD): DD {
  return a.hi < 0 ? { hi: -a.hi, lo: -a.lo } : a;
}
