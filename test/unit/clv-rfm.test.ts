import { groupTriples } from '../../src/ml/clv/grouping';
import { rfmSummary } from '../../src/ml/clv/rfm';
import { SeededRng } from '../../src/ml/random';

const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(iso);

describe('rfmSummary', () => {
  // Customer 0: trial on Jan 1 (two lines), repeats on Jan 5 (two lines the same day) and Jan 20; a
  // holdout purchase on Feb 3. Customer 1: one purchase. Customer 2: first purchase after the
  // calibration end. Customer 3: never buys.
  const log = {
    customer: Int32Array.of(0, 0, 0, 0, 0, 0, 1, 2, 2),
    timeMs: Float64Array.of(
      at('2024-01-01T09:00Z'),
      at('2024-01-01T18:00Z'),
      at('2024-01-05T10:00Z'),
      at('2024-01-05T23:59Z'),
      at('2024-01-20T12:00Z'),
      at('2024-02-03T08:00Z'),
      at('2024-01-10T00:00Z'),
      at('2024-02-02T00:00Z'),
      at('2024-02-02T13:00Z'),
    ),
    amount: Float64Array.of(10, 5, 7, 3, 20, 99, 12, 8, 8),
  };
  const opts = { calibrationEndMs: at('2024-01-31T00:00Z'), holdoutEndMs: at('2024-02-29T00:00Z'), unit: 'days' as const, nCustomers: 4 };

  it('counts repeat transactions as distinct purchase days after the first and sums same-day amounts', () => {
    const s = rfmSummary(log, opts);
    expect(Array.from(s.x)).toEqual([2, 0, 0, 0]);
    expect(s.tx[0]).toBe(19);
    expect(s.T[0]).toBe(30);
    expect(s.T[1]).toBe(21);
    // Repeat days: Jan 5 (7 + 3) and Jan 20 (20); the trial day is excluded.
    expect(s.meanRepeatSpend[0]).toBe(15);
    expect(s.totalSpend[0]).toBe(45);
    expect(s.meanRepeatSpend[1]).toBe(0);
  });

  it('treats customers first seen after the calibration end as not yet observed, and counts their holdout days', () => {
    const s = rfmSummary(log, opts);
    expect(Array.from(s.observed)).toEqual([1, 1, 0, 0]);
    expect(s.T[2]).toBeNaN();
    expect(s.T[3]).toBeNaN();
    expect(Array.from(s.holdoutPurchases)).toEqual([1, 0, 1, 0]);
    expect(Array.from(s.holdoutSpend)).toEqual([99, 0, 16, 0]);
    expect(s.holdoutLength).toBe(29);
  });

  it('includes the whole calibration end day and honours the merchant’s UTC offset', () => {
    const late = { customer: Int32Array.of(0, 0), timeMs: Float64Array.of(at('2024-01-01T12:00Z'), at('2024-01-31T23:30Z')) };
    expect(rfmSummary(late, opts).x[0]).toBe(1);
    // At UTC+1 the second purchase falls on Feb 1, after the calibration period.
    expect(rfmSummary(late, { ...opts, utcOffsetMinutes: 60 }).x[0]).toBe(0);
  });

  it('reports times in weeks when asked', () => {
    const s = rfmSummary(log, { ...opts, unit: 'weeks' });
    expect(s.tx[0]).toBeCloseTo(19 / 7, 12);
    expect(s.T[0]).toBeCloseTo(30 / 7, 12);
  });

  it('gives the same summary for a shuffled log as for a sorted one', () => {
    const rng = new SeededRng(5);
    const n = 5000;
    const customer = new Int32Array(n);
    const timeMs = new Float64Array(n);
    const amount = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      customer[i] = rng.int(300);
      timeMs[i] = at('2024-01-01T00:00Z') + rng.next() * 200 * DAY;
      amount[i] = Math.round(rng.next() * 10000) / 100;
    }
    // One wholesale customer with many lines exercises the comparator-sort path.
    for (let i = 0; i < 200; i++) customer[i] = 7;
    const order = Array.from(timeMs.keys()).sort((p, q) => timeMs[p] - timeMs[q]);
    const sorted = {
      customer: Int32Array.from(order, (i) => customer[i]),
      timeMs: Float64Array.from(order, (i) => timeMs[i]),
      amount: Float64Array.from(order, (i) => amount[i]),
    };
    const o = { calibrationEndMs: at('2024-05-01T00:00Z'), holdoutEndMs: at('2024-08-01T00:00Z'), unit: 'days' as const };
    const a = rfmSummary({ customer, timeMs, amount }, o);
    const b = rfmSummary(sorted, o);
    for (const key of ['x', 'tx', 'T', 'holdoutPurchases', 'observed'] as const) expect(Array.from(a[key])).toEqual(Array.from(b[key]));
    for (let c = 0; c < 300; c++) {
      expect(a.meanRepeatSpend[c]).toBeCloseTo(b.meanRepeatSpend[c], 9);
      expect(a.holdoutSpend[c]).toBeCloseTo(b.holdoutSpend[c], 9);
    }
  });

  it('rejects columns of different lengths and negative customer indices', () => {
    expect(() => rfmSummary({ customer: Int32Array.of(0, 1), timeMs: Float64Array.of(0) }, opts)).toThrow(/length/);
    expect(() => rfmSummary({ customer: Int32Array.of(-1), timeMs: Float64Array.of(0) }, opts)).toThrow(/negative/);
  });
});

describe('groupTriples', () => {
  it('collapses identical (x, t_x, T) rows into weighted groups and leaves non-customers out', () => {
    const g = groupTriples([0, 1, 0, 1, 2, 0], [0, 3, 0, 3, 5, 0], [10, 10, 10, 10, 10, NaN]);
    expect(g.count).toBe(3);
    expect(Array.from(g.weight).sort()).toEqual([1, 2, 2]);
    expect(g.groupOf[0]).toBe(g.groupOf[2]);
    expect(g.groupOf[1]).toBe(g.groupOf[3]);
    expect(g.groupOf[5]).toBe(-1);
  });
});
