// Backtest metrics of weekly count forecasts. The point of the count-data coverage: on mostly-zero
// weeks a forecast whose distribution IS the truth covers far more than 80% of weeks with
// P10 ≤ y ≤ P90 (zero is inside every band whose P10 is 0), but its PIT-based coverage is 80%.
import { backtestMetrics, centralPitShare, countCdf } from '../../src/ml/launch/metrics';
import { unitsAt } from '../../src/ml/launch/distribution';
import { SeededRng } from '../../src/ml/random';

describe('centralPitShare', () => {
  it('is the share of [F(y − 1), F(y)] inside [0.1, 0.9]', () => {
    expect(centralPitShare(0, 0.6)).toBeCloseTo(5 / 6, 12); // a zero when P(0) = 0.6
    expect(centralPitShare(0.6, 0.95)).toBeCloseTo(0.3 / 0.35, 12);
    expect(centralPitShare(0.95, 1)).toBe(0);
    expect(centralPitShare(0.5, 0.5)).toBe(1); // no mass at y: the PIT is the point 0.5
    expect(centralPitShare(0.95, 0.95)).toBe(0);
  });

  it('averages to 80% for Poisson counts scored with their own distribution', () => {
    const rng = new SeededRng(11);
    let share = 0;
    let inside = 0;
    const n = 20_000;
    const lambda = 0.3; // P(0) = 0.741, P(≤ 1) = 0.963: P10 = P50 = 0, P90 = 1
    const cdf = (k: number) => {
      let s = 0;
      let term = Math.exp(-lambda);
      for (let j = 0; j <= k; j++) {
        s += term;
        term *= lambda / (j + 1);
      }
      return k < 0 ? 0 : s;
    };
    for (let i = 0; i < n; i++) {
      let k = 0;
      let p = rng.next();
      while (p > Math.exp(-lambda)) {
        k++;
        p *= rng.next();
      }
      share += centralPitShare(cdf(k - 1), cdf(k));
      if (k <= 1) inside++;
    }
    expect(share / n).toBeGreaterThan(0.78);
    expect(share / n).toBeLessThan(0.82);
    expect(inside / n).toBeGreaterThan(0.95); // the inclusive count
  });
});

describe('backtestMetrics', () => {
  it('gives a forecast whose band is the truth 80% count coverage, whatever the share of zero weeks', () => {
    const rng = new SeededRng(5);
    // Weeks from the split normal through (0, 0, 2) and through (1, 4, 9), rounded to whole units.
    for (const [p10, p50, p90] of [[0, 0, 2], [1, 4, 9]]) {
      const actual: number[][] = [];
      for (let i = 0; i < 3000; i++) actual.push([Math.round(unitsAt(p10, p50, p90, rng.next()))]);
      const forecasts = actual.map(() => ({ p10: [p10], p50: [p50], p90: [p90], mean: [NaN] }));
      const m = backtestMetrics(actual, forecasts);
      expect(m.coverage80Counts).toBeGreaterThan(0.76);
      expect(m.coverage80Counts).toBeLessThan(0.84);
      if (p50 === 0) expect(m.coverage80).toBeGreaterThan(0.9);
    }
  });

  it('reads F from the forecast levels rounded to whole units', () => {
    const levels = [0, 0.2, 0.6, 1.4, 2.6];
    expect(countCdf(levels, 0)).toEqual([0, 0.4]);
    expect(countCdf(levels, 1)).toEqual([0.4, 0.8]);
    expect(countCdf(levels, 3)).toEqual([0.8, 1]); // 2.6 rounds to 3
    expect(countCdf(levels, 4)).toEqual([1, 1]);
  });
});
