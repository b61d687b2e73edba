// Special functions and the BG/NBD expectation at hard parameter values, against references computed in
// this file with BigInt fixed-point arithmetic (100 decimal digits): lnΓ and ψ by Stirling's series
// with exact Bernoulli numbers after shifting the argument past 60, 2F1 by its power series (or the
// exact Euler/Pfaff transformation of it when that converges faster; at 100 digits cancellation is
// irrelevant), logarithms by atanh series, exponentials by Taylor series with argument halving, π by
// Machin's formula. Inputs enter the references as the EXACT binary value of the double passed to the
// code under test (a decimal like 1.0000001 would otherwise differ from its double by 6e-17, and near
// a = 1 that changes the answer in the 9th digit).
// Each reference is also checked against a value printed by mpmath 1.3.0 (mp.dps = 60, arguments given
// as Python floats, i.e. the same binary values), which guards the reference code itself.

import { bgnbdLogLikelihood, bgnbdLogLikelihoods } from '../../src/ml/clv/bgnbd';
import { expectedWhileAliveDetail } from '../../src/ml/clv/bgnbd-expectation';
import { digamma, hyp2f1, hyp2f1Log, lnBeta, lnGamma } from '../../src/ml/clv/special';

// ---------------------------------------------------------------------------------------------------
// Fixed-point BigInt arithmetic: a value v is stored as round(v · 10^DIGITS).
const DIGITS = 100n;
const S = 10n ** DIGITS;
const ZERO = 0n;
const ONE = S;

const mul = (a: bigint, b: bigint): bigint => (a * b) / S;
const div = (a: bigint, b: bigint): bigint => (a * S) / b;
const abs = (a: bigint): bigint => (a < 0n ? -a : a);
const fxInt = (n: number | bigint): bigint => BigInt(n) * S;
const TINY = 10n ** 90n;

/** The exact value of a double, to 100 digits. */
function fx(x: number): bigint {
  if (x === 0) return ZERO;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  return e >= 0 ? sign * (mant << BigInt(e)) * S : (sign * (mant * S)) >> BigInt(-e);
}

/** To a double (for comparisons): via a decimal string with 30 significant digits. */
function toNumber(a: bigint): number {
  const neg = a < 0n;
  const s = abs(a).toString().padStart(Number(DIGITS) + 1, '0');
  const int = s.slice(0, s.length - Number(DIGITS));
  const frac = s.slice(s.length - Number(DIGITS));
  return Number(`${neg ? '-' : ''}${int}.${frac.slice(0, 40)}`);
}

function atanhSeries(u: bigint): bigint {
  // atanh(u) = Σ u^(2j+1)/(2j+1), |u| ≤ 1/3
  const u2 = mul(u, u);
  let p = u;
  let sum = ZERO;
  for (let j = 0n; p !== 0n; j++) {
    sum += p / (2n * j + 1n);
    p = mul(p, u2);
  }
  return sum;
}

const LN2 = 2n * atanhSeries(div(ONE, fxInt(3)));

function bitLength(v: bigint): number {
  return v.toString(2).length;
}

function ln(x: bigint): bigint {
  if (x <= 0n) throw new Error('ln of a non-positive number');
  const k = bitLength(x) - bitLength(S);
  const y = k >= 0 ? x >> BigInt(k) : x << BigInt(-k);
  return BigInt(k) * LN2 + 2n * atanhSeries(div(y - ONE, y + ONE));
}

function exp(x: bigint): bigint {
  const n = (x + (x >= 0n ? LN2 / 2n : -LN2 / 2n)) / LN2; // round(x / ln 2)
  let r = x - n * LN2;
  const halvings = 16;
  r /= 1n << BigInt(halvings);
  let term = ONE;
  let sum = ONE;
  for (let j = 1n; term !== 0n; j++) {
    term = mul(term, r) / j;
    sum += term;
  }
  for (let i = 0; i < halvings; i++) sum = mul(sum, sum);
  return n >= 0n ? sum << n : sum >> -n;
}

function atanInv(m: bigint): bigint {
  // atan(1/m) = Σ (−1)^j / ((2j+1) m^(2j+1))
  let p = ONE / m;
  const m2 = m * m;
  let sum = ZERO;
  for (let j = 0n; p !== 0n; j++) {
    sum += (j % 2n === 0n ? 1n : -1n) * (p / (2n * j + 1n));
    p /= m2;
  }
  return sum;
}
const PI = 16n * atanInv(5n) - 4n * atanInv(239n);

// Bernoulli numbers B_0..B_64 as exact fractions (Akiyama–Tanigawa).
type Frac = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};
const norm = ([n, d]: Frac): Frac => {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return [n / g, d / g];
};
const BERNOULLI: Frac[] = (() => {
  const A: Frac[] = [];
  const out: Frac[] = [];
  for (let m = 0; m <= 64; m++) {
    A[m] = [1n, BigInt(m + 1)];
    for (let j = m; j >= 1; j--) {
      const [n1, d1] = A[j - 1];
      const [n2, d2] = A[j];
      A[j - 1] = norm([BigInt(j) * (n1 * d2 - n2 * d1), d1 * d2]);
    }
    out.push(A[0]);
  }
  return out;
})();

/** lnΓ(x) for x > 0: Stirling's series with 30 terms at x + N ≥ 60. */
function lnGammaRef(x: bigint): bigint {
  let y = x;
  let prod = ONE;
  while (y < fxInt(60)) {
    prod = mul(prod, y);
    y += ONE;
  }
  let s = mul(y - ONE / 2n, ln(y)) - y + ln(2n * PI) / 2n;
  const inv = div(ONE, y);
  const inv2 = mul(inv, inv);
  let p = inv; // y^−(2j−1)
  for (let j = 1; j <= 30; j++) {
    const [bn, bd] = BERNOULLI[2 * j];
    s += (mul(p, fxInt(bn)) / bd) / BigInt(2 * j * (2 * j - 1));
    p = mul(p, inv2);
  }
  return s - ln(prod);
}

/** ψ(x) for x > 0: asymptotic series at x + N ≥ 60 and the recurrence. */
function digammaRef(x: bigint): bigint {
  let y = x;
  let acc = ZERO;
  while (y < fxInt(60)) {
    acc -= div(ONE, y);
    y += ONE;
  }
  const inv = div(ONE, y);
  const inv2 = mul(inv, inv);
  let s = ln(y) - inv / 2n;
  let p = inv2;
  for (let j = 1; j <= 30; j++) {
    const [bn, bd] = BERNOULLI[2 * j];
    s -= (mul(p, fxInt(bn)) / bd) / BigInt(2 * j);
    p = mul(p, inv2);
  }
  return acc + s;
}

/** Σ (a)_n (b)_n/((c)_n n!) z^n for |z| < 1, to ~1e-90 of the sum. */
function seriesRef(a: bigint, b: bigint, c: bigint, z: bigint): bigint {
  let t = ONE;
  let sum = ONE;
  let small = 0;
  for (let n = 0n; n < 3_000_000n; n++) {
    t = div(mul(mul(mul(t, a + n * S), b + n * S), z), c + n * S) / (n + 1n);
    sum += t;
    if (t === 0n) return sum;
    if (abs(t) * TINY < abs(sum) || abs(t) < 10n) {
      if (++small > 50) return sum;
    } else small = 0;
  }
  throw new Error('reference series did not converge');
}

/**
 * 2F1(a, b; c; z) for z < 1 by the exact transformation that converges fastest, as exp(lnPre)·sum (the
 * prefactor kept as a logarithm: e^±600 would not fit the fixed-point format).
 */
function hyp2f1Ref(a: bigint, b: bigint, c: bigint, z: bigint): { lnPre: bigint; sum: bigint } {
  if (z < 0n && z < -(ONE / 2n)) {
    // Pfaff: (1 − z)^(−a) 2F1(a, c − b; c; z/(z − 1))
    const inner = hyp2f1Ref(a, c - b, c, div(z, z - ONE));
    return { lnPre: inner.lnPre - mul(a, ln(ONE - z)), sum: inner.sum };
  }
  const exponent = toNumber(a + b - c) - 1;
  if (z > 0n && exponent > -1) {
    // Euler: (1 − z)^(c − a − b) 2F1(c − a, c − b; c; z), whose terms decay like n^(c−a−b−1)
    const eulerExponent = toNumber(c - a - b) - 1;
    if (eulerExponent < exponent) return { lnPre: mul(c - a - b, ln(ONE - z)), sum: seriesRef(c - a, c - b, c, z) };
  }
  return { lnPre: ZERO, sum: seriesRef(a, b, c, z) };
}

/**
 * W(k, a, β, s) = C/(a−1)·[1 − (1+s)^(−k) 2F1(k, β; C; s/(1+s))], C = a + β − 1; at a = 1 exactly the
 * limit C·[ln(1+s) − Σ_{n≥1} (C−k)_n (n−1)!/((C)_n n!) z^n].
 */
function expectationRef(k: bigint, a: bigint, beta: bigint, s: bigint): bigint {
  const C = a + beta - ONE;
  const z = div(s, ONE + s);
  const L = ln(ONE + s);
  if (a === ONE) {
    const m = C - k;
    let v = mul(m, z);
    v = div(v, C);
    let sum = v;
    for (let n = 1n; n < 3_000_000n && abs(v) * TINY >= abs(sum); n++) {
      v = div(mul(mul(v, m + n * S), n * S), C + n * S) / (n + 1n);
      v = mul(v, z);
      sum += v;
    }
    return mul(C, L - sum);
  }
  const f = hyp2f1Ref(k, beta, C, z);
  const Q = mul(exp(f.lnPre - mul(k, L)), f.sum);
  return div(mul(C, ONE - Q), a - ONE);
}

const relErr = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe('special functions at hard arguments, against 100-digit references', () => {
  // [x, mpmath lnΓ(x), mpmath ψ(x)]
  const gammaCases: [number, string, string][] = [
    [1e-30, '69.07755278982137043720332303294436713392', '-999999999999999916663579392414.5988096926'],
    [1e-8, '18.420680738180208884452745022238715278', '-100000000.5772156463599362293170893910748'],
    [0.5, '0.5723649429247000870717136756765293558236', '-1.963510026021423479440976332998755567193'],
    [1 - 1e-9, '0.0000000005772156493992259735487934373267200556492', '-0.5772156665464668821348828223487951618347'],
    [1 + 1e-9, '-0.0000000005772157118381039519200807143199629365843', '-0.5772156632565986588578877945397540823627'],
    [1.5, '-0.1207822376352452223455184457816472122519', '0.03648997397857652055902366700124443280684'],
    [2 - 1e-7, '-0.00000004227843030986129819449294163891497785974', '0.4227842706050583963461446988694270935998'],
    [2 + 1e-6, '0.0000004227846576245292362042947633911282587808', '0.4227849800323320209466041980264539630452'],
    [2.5, '0.2846828704729191596324946696827019243201', '0.7031566406452431872256903336679110994735'],
    [7.3, '7.147892523022248692103730159286340065489', '1.917820335637986072291467723712394181259'],
    [9.999, '12.79957578007741371468891966923335797644', '2.251647417205735314158332039273567570096'],
    [10, '12.80182748008146961120771787456670616428', '2.251752589066721107647456163885851537212'],
    [123.456, '469.6055471299294835001939983519298365222', '4.811829323828985412286627741927049834165'],
    [1e6, '12815504.56914761165997697178501711315369', '13.8155100579641907707746154031061852456'],
    [1e15, '33538776394910668.90982020756959565809274', '34.53877639491068476026987182026537978068'],
  ];

  it.each(gammaCases)('lnΓ(%p) and ψ keep 1e-14 relative accuracy, including next to the zeros of lnΓ at 1 and 2', (x, mpLnGamma, mpDigamma) => {
    const refG = toNumber(lnGammaRef(fx(x)));
    const refP = toNumber(digammaRef(fx(x)));
    expect(relErr(refG, Number(mpLnGamma))).toBeLessThan(1e-15);
    expect(relErr(refP, Number(mpDigamma))).toBeLessThan(1e-15);
    expect(relErr(lnGamma(x), refG)).toBeLessThan(1e-14);
    expect(relErr(digamma(x), refP)).toBeLessThan(1e-13);
  });

  const betaCases: [number, number, string][] = [
    [0.5, 1e6, '-6.335390211057436964987469021709895037813'],
    [1e-8, 3, '18.420680728952365513721370118508034024'],
    [200.5, 3e5, '-1668.097767534918312676349974879319114411'],
    [2.426, 2457.3, '-18.70603721394420626261909600415033088063'],
    [0.793, 2.426, '-0.511569288593703342868743533488824350657'],
    [1e-3, 1e-3, '7.600900817008347378501323904783437150715'],
  ];

  it.each(betaCases)('lnB(%p, %p) avoids the cancellation of three large lnΓ terms', (a, b, mp) => {
    const ref = toNumber(lnGammaRef(fx(a)) + lnGammaRef(fx(b)) - lnGammaRef(fx(a) + fx(b)));
    expect(relErr(ref, Number(mp))).toBeLessThan(1e-15);
    expect(relErr(lnBeta(a, b), ref)).toBeLessThan(1e-14);
  });

  // [a, b, c, z, mpmath ln|2F1|, sign]
  const hypCases: [number, number, number, number, string, number][] = [
    [0.243, 2.426, 2.219, 0.5, '0.1882183092620430486246669596786255373478', 1],
    [100.243, 102.426, 102.219, 0.9, '231.2910267424870401470717199277389650863', 1],
    [1000.243, 1002.426, 1002.219, 0.99, '4607.24210797325188491446493227293509649', 1],
    [0.243, 2.426, 2.219, 0.999, '2.406630129770050114354834795864731094803', 1],
    [1.5, 2.5, 0.3, -30, '-6.196154104134112410930076053130162791716', 1],
    [20, 0.79, 0.5, -0.9, '-3.091150326533362640414594556952353580792', -1],
    [0.5, 0.3, -2.5, 0.4, '-0.1252519815681565671763833091314221192944', 1],
    [-5, 2.2, 3.1, 0.7, '-2.585403574519255083164039646200471403465', 1],
    [30, 30, 1.5, -0.45, '-19.14626925136842673290970047185257680258', -1],
    [2, 3, 4, -1000, '-12.72979964384388783672214562434689014178', 1],
  ];

  it.each(hypCases)('2F1(%p, %p; %p; %p) matches the reference to 1e-13 where the naive series overflows, crawls or cancels', (a, b, c, z, mp, sign) => {
    const ref = hyp2f1Ref(fx(a), fx(b), fx(c), fx(z));
    expect(ref.sum < 0n ? -1 : 1).toBe(sign);
    const refLog = toNumber(ref.lnPre + ln(abs(ref.sum)));
    expect(Math.abs(refLog - Number(mp))).toBeLessThan(1e-15 * Math.max(1, Math.abs(refLog)));
    const got = hyp2f1Log(a, b, c, z);
    expect(got.sign).toBe(sign);
    // Relative accuracy of the value = absolute accuracy of its log (series of 30,000 terms included).
    expect(Math.abs(got.logAbs - refLog)).toBeLessThan(Math.max(1e-13, 2e-16 * Math.abs(refLog)));
    expect(got.relativeError).toBeLessThan(1e-11);
    if (refLog < 700) expect(relErr(hyp2f1(a, b, c, z), sign * Math.exp(refLog))).toBeLessThan(1e-13);
  });

  it('2F1 returns NaN rather than a wrong number where even double-double cannot resolve the cancellation', () => {
    expect(hyp2f1(200, 200, 1.5, -30)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 1.5)).toBeNaN();
    expect(hyp2f1(1, 2, -3, 0.5)).toBeNaN();
    expect(hyp2f1(-2, 1, -3, 0.5)).toBeCloseTo(1 + (-2 * 1 * 0.5) / -3 + ((-2 * -1 * 1 * 2) / (-3 * -2 * 2)) * 0.25, 14);
  });
});

describe('the BG/NBD expected purchases while alive at hard parameter values', () => {
  // [k = r + x, a, β = b + x, s = t/(α + T), mpmath value of C/(a−1)·[1 − (1+s)^−k 2F1(k, β; C; s/(1+s))]
  //  (at a = 1: k·s·3F2(k+1, 1, 1; C+1, 2; −s), its limit)]
  const cases: [string, number, number, number, number, string][] = [
    ['CDNOW parameters, x = 0, one calibration period ahead', 0.243, 0.793, 2.426, 0.9, '0.1948572043446813952076180746901059851607'],
    ['a horizon a billionth of the customer age', 0.243, 0.793, 2.426, 1e-9, '0.000000000242999999962795153849782293361547146583'],
    ['x = 2 over one period', 2.243, 0.793, 4.426, 1, '1.842302104357737972325239069002922439392'],
    ['a horizon a thousand times the customer age (z = 0.999)', 0.243, 0.793, 2.426, 1000, '11.48519083735832412506514519899548626331'],
    ['x = 50 over three periods', 50.243, 0.793, 52.426, 3, '81.83821935031552921425093883492972807092'],
    ['x = 500 and z = 0.999 (2F1 ≈ e^4000)', 500.243, 0.793, 502.426, 999, '7702.865312789823316437254662085204427891'],
    ['a = 1 exactly (0/0 in the textbook formula)', 0.243, 1, 2.426, 2, '0.3751698112602785516341353944570985486559'],
    ['a = 1 + 1e-7', 0.243, 1.0000001, 2.426, 2, '0.375169804698841796650883939858266307165'],
    ['a = 0.9999 with a long horizon', 0.243, 0.9999, 2.426, 40, '2.430623001616563573018284894108394286279'],
    ['b + x < 1, a > 1', 10, 1.2, 0.3, 5, '1.812021053120991131510174350876745981462'],
    ['a + b < 1 (2F1 with c < 0)', 20, 0.05, 0.1, 50, '487.1461531433442251911329606361181242714'],
    ['large a and b, tiny rate', 0.05, 5, 20, 0.01, '0.0004994758262517878948136689380840714648243'],
    ['small a and b', 3, 0.3, 0.4, 2, '3.019418743703604771529380739442478643973'],
    ['x = 1500 over half a period', 1500.5, 2.5, 1501, 0.5, '456.0652049077961434807228458418566552898'],
  ];

  it.each(cases)('%s', (_label, k, a, beta, s, mp) => {
    const ref = toNumber(expectationRef(fx(k), fx(a), fx(beta), fx(s)));
    expect(relErr(ref, Number(mp))).toBeLessThan(1e-15);
    const got = expectedWhileAliveDetail(k, a, beta, s);
    expect(relErr(got.value, ref)).toBeLessThan(5e-14);
    // The error estimate the code picks its representation by is honest (within a factor of 10).
    expect(relErr(got.value, ref)).toBeLessThan(10 * got.relativeError + 1e-15);
  });
});

describe('the BG/NBD expectation at horizons 10^5–10^7 times the customer age', () => {
  // Here every series needs millions of terms (z = 1 − 10^−5 and beyond), the BigInt reference too; the
  // values are mpmath 1.3.0's (mp.dps = 40; at a = 1 its 3F2 limit form), and the code uses quadrature.
  const cases: [number, number, number, number, string][] = [
    [0.243, 0.793, 2.426, 1e5, '43.67640768623240625407979'],
    [0.243, 0.793, 2.426, 1e7, '129.3377687327494965722295'],
    [2.243, 1.5, 4.426, 1e5, '9.800193436090006680006758'],
    [0.243, 1, 2.426, 1e5, '16.61498513593945549574625'],
  ];
  it.each(cases)('W(%p, %p, %p, %p) matches mpmath to 1e-13 in about a millisecond', (k, a, beta, s, mp) => {
    const t0 = performance.now();
    const got = expectedWhileAliveDetail(k, a, beta, s);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(relErr(got.value, Number(mp))).toBeLessThan(1e-13);
  });
});

describe('the BG/NBD log-likelihood at hard parameter values', () => {
  /** Per-customer log-likelihood (eq. 6 of Fader, Hardie & Lee 2005) at 100 digits. */
  function bgnbdLogLikelihoodRef(r: number, alpha: number, a: number, b: number, x: number, tx: number, T: number): number {
    const [R, A, Aa, B, X, TX, TT] = [r, alpha, a, b, x, tx, T].map(fx);
    const lg = lnGammaRef;
    const base = lg(R + X) - lg(R) + mul(R, ln(A)) + lg(Aa + B) + lg(B + X) - lg(B) - lg(Aa + B + X);
    const A3 = -mul(R + X, ln(A + TT));
    if (x === 0) return toNumber(base + A3);
    const A4 = ln(Aa) - ln(B + X - ONE) - mul(R + X, ln(A + TX));
    const m = A3 > A4 ? A3 : A4;
    return toNumber(base + m + ln(exp(A3 - m) + exp(A4 - m)));
  }

  // [label, r, α, a, b, x, t_x, T]
  const cases: [string, number, number, number, number, number, number, number][] = [
    ['CDNOW estimates, a repeat buyer', 0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86],
    ['CDNOW estimates, the zero class', 0.243, 4.414, 0.793, 2.426, 0, 0, 38.86],
    ['x = 500 with the last purchase at the end', 0.5, 20, 0.3, 5, 500, 999.9, 1000],
    ['r, α and a near zero, b huge', 1e-6, 1e-3, 1e-4, 1e4, 3, 10, 100],
    ['r and α huge, b + x − 1 tiny', 50, 1e6, 20, 0.05, 1, 0.5, 700],
    ['x = 2000 in days', 3, 2, 2, 100, 2000, 3000, 3001],
  ];

  it.each(cases)('%s', (_label, r, alpha, a, b, x, tx, T) => {
    const ref = bgnbdLogLikelihoodRef(r, alpha, a, b, x, tx, T);
    const [got] = bgnbdLogLikelihoods({ r, alpha, a, b }, { x: [x], tx: [tx], T: [T] });
    // Absolute accuracy relative to the size of the terms involved (lnΓ(r + x) reaches 1e4 here).
    expect(Math.abs(got - ref)).toBeLessThan(1e-13 * Math.max(1, Math.abs(ref), x * Math.log(x + 2)));
    // The grouped objective the fit optimises gives the same number.
    const grouped = bgnbdLogLikelihood({ r, alpha, a, b }, { x: [x, x], tx: [tx, tx], T: [T, T] }) / 2;
    expect(Math.abs(grouped - ref)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref), x * Math.log(x + 2)));
  });
});
