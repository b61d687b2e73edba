// Calendar-aware customer-value model: features, Poisson count model on rolling windows, serialisation,
// and the rolling-window backtest against BG/NBD on a purchase log with a planted Nov–Dec peak; the same
// backtest on the generator's small shop is run and reported (not asserted: one peak, at the start).
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  backtestCalendarVsBgNbd,
  calendarFeatures,
  deserializeCalendarModel,
  indexPurchases,
  predictCalendarModel,
  predictCalendarModelAt,
  serializeCalendarModel,
  simulateSeasonalPurchaseLog,
  trainCalendarModel,
  windowCalendar,
  type BacktestResult,
} from '../../src/ml/clv/calendar';
import type { PurchaseLog } from '../../src/ml/clv';

const DAY = 86_400_000;
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY;

// Three years of a shop whose customers buy 2.5× as often in November and December.
const START_MS = Date.UTC(2022, 0, 1);
const CUTOFF_MS = Date.UTC(2024, 9, 31, 12); // any instant of 31 October 2024
const HORIZON = 61; // 1 November – 31 December
const seasonal = simulateSeasonalPurchaseLog({
  customers: 8000,
  bgnbd: { r: 0.6, alpha: 30, a: 0.6, b: 4 },
  startMs: START_MS,
  acquisitionDays: (CUTOFF_MS - START_MS) / DAY,
  untilDays: (Date.UTC(2025, 0, 1) - START_MS) / DAY,
  seed: 7,
});

function report(label: string, r: BacktestResult): void {
  const lines = r.windows.map(
    (w) =>
      `${w.cutoffDate} +${w.horizonDays}d customers=${w.customers} actual=${w.actual} | ` +
      `BG/NBD ${w.bgnbd.predicted.toFixed(0)} (${w.bgnbd.ratio.toFixed(3)}, r=${w.bgnbd.correlation.toFixed(3)}, MAE ${w.bgnbd.mae.toFixed(3)}) | ` +
      `calendar ${w.calendar.predicted.toFixed(0)} (${w.calendar.ratio.toFixed(3)}, r=${w.calendar.correlation.toFixed(3)}, MAE ${w.calendar.mae.toFixed(3)})`,
  );
  // eslint-disable-next-line no-console
  console.log(`${label}\n${lines.join('\n')}\nbetter: ${r.better} — ${r.reason}`);
}

describe('calendar features', () => {
  it('describe a Nov–Dec window as fully in the peak months and a June window as outside them', () => {
    const novDec = windowCalendar(day('2024-10-31'), 61);
    expect(novDec.novDecShare).toBe(1);
    expect(novDec.holidayPeak).toBe(1);
    expect(novDec.monthCos).toBeGreaterThan(0.8); // midpoint ~1 December: angle near 2π·11/12
    const june = windowCalendar(day('2024-05-31'), 30);
    expect(june.novDecShare).toBe(0);
    expect(june.holidayPeak).toBe(0);
    expect(june.monthCos).toBeLessThan(-0.8);
  });

  it('count distinct purchase days, recent activity and last year’s same window per customer', () => {
    const t = (iso: string, h = 10): number => Date.parse(`${iso}T${String(h).padStart(2, '0')}:00:00Z`);
    const log: PurchaseLog = {
      customer: Int32Array.from([0, 0, 0, 0, 0, 1]),
      timeMs: Float64Array.from([t('2023-11-10'), t('2023-11-10', 15), t('2024-09-15'), t('2024-10-20'), t('2024-11-05'), t('2024-11-02')]),
      amount: Float64Array.from([10, 20, 40, 60, 5, 7]),
    };
    const f = calendarFeatures(log, { cutoffMs: t('2024-10-31'), horizonDays: 61, historyStartMs: Date.UTC(2023, 0, 1) });
    expect(f.observed[0]).toBe(1);
    expect(f.observed[1]).toBe(0); // first purchase after the cutoff
    expect(f.frequency[0]).toBe(3); // two lines on 10 Nov 2023 are one purchase
    expect(f.monetary[0]).toBeCloseTo((30 + 40 + 60) / 3, 9);
    expect(f.recencyDays[0]).toBe(11);
    expect(f.last30[0]).toBe(1);
    expect(f.last90[0]).toBe(2);
    expect(f.daysSinceFirstPurchase[0]).toBe(day('2024-10-31') - day('2023-11-10'));
    expect(f.lastYearCovered[0]).toBe(1);
    expect(f.lastYearWindow[0]).toBe(1);
    expect(f.label[0]).toBe(1); // 5 November 2024
  });
});

describe('calendar model on a shop with a planted Nov–Dec peak', () => {
  let result: BacktestResult;
  beforeAll(() => {
    result = backtestCalendarVsBgNbd(seasonal, { cutoffsMs: [CUTOFF_MS], horizonDays: HORIZON, calendar: { cutoffStepDays: 28 } });
    report('synthetic, 2.5× Nov–Dec', result);
  });

  it('forecasts the Nov–Dec holdout total within 5% from a 31 October cutoff', () => {
    const w = result.windows[0];
    expect(w.actual).toBeGreaterThan(1000);
    expect(Math.abs(w.calendar.ratio - 1)).toBeLessThan(0.05);
  });

  it('beats BG/NBD, which under-forecasts the peak by more than 5%', () => {
    const w = result.windows[0];
    expect(w.bgnbd.ratio).toBeLessThan(0.95);
    expect(Math.abs(w.bgnbd.ratio - 1)).toBeGreaterThan(Math.abs(w.calendar.ratio - 1));
    expect(result.better).toBe('calendar');
  });

  it('ranks customers at least as well as BG/NBD does', () => {
    const w = result.windows[0];
    expect(w.calendar.correlation).toBeGreaterThan(0.3);
    expect(w.calendar.correlation).toBeGreaterThan(w.bgnbd.correlation - 0.03);
    expect(w.calendar.mae).toBeLessThan(w.bgnbd.mae);
  });
});

describe('calendar model artifacts', () => {
  it('round-trip through bytes with identical predictions and 7-day purchase probabilities', () => {
    const index = indexPurchases(seasonal);
    const model = trainCalendarModel(index, { horizonDays: HORIZON, asOfMs: CUTOFF_MS, cutoffStepDays: 28 });
    expect(model.training.converged).toBe(true);
    const bytes = serializeCalendarModel(model);
    const back = deserializeCalendarModel(bytes);
    const a = predictCalendarModelAt(model, index, CUTOFF_MS);
    const f = a.features;
    const b = predictCalendarModel(back, f);
    expect(Array.from(b.expectedPurchases)).toEqual(Array.from(a.expectedPurchases));
    expect(Array.from(b.purchaseProbability)).toEqual(Array.from(a.purchaseProbability));
    expect(back.training).toEqual(model.training);
    for (let c = 0; c < f.nCustomers; c++) {
      if (!f.observed[c]) continue;
      expect(a.purchaseProbability[c]).toBeGreaterThanOrEqual(0);
      expect(a.purchaseProbability[c]).toBeLessThan(1);
    }
  });

  it('refuses bytes that are not a calendar model', () => {
    const bytes = serializeCalendarModel(trainCalendarModel(seasonal, { horizonDays: 30, asOfMs: CUTOFF_MS, cutoffStepDays: 30 }));
    bytes[0] = 0;
    expect(() => deserializeCalendarModel(bytes)).toThrow(/magic/);
  });
});
