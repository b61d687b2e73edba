// Calendar-aware customer-value model (a tfjs Poisson count model on the ML core): features, the
// backtest against BG/NBD on a purchase log with a planted Nov–Dec peak, serialisation through the
// tfjs artifact, and recent add-to-cart events as a planted signal.
import { pearson } from '../../src/ml/metrics';
import { initBackend } from '../../src/ml/backend';
import {
  backtestCalendarVsBgNbd,
  calendarFeatures,
  deserializeCalendarModel,
  EVENT_CART,
  EVENT_VIEW,
  indexEvents,
  indexPurchases,
  predictCalendarModel,
  serializeCalendarModel,
  simulateSeasonalPurchaseLog,
  trainCalendarModel,
  windowCalendar,
  type BacktestResult,
  type EventLog,
} from '../../src/ml/clv/calendar';
import type { PurchaseLog } from '../../src/ml/clv';
import { SeededRng } from '../../src/ml/random';

beforeAll(async () => {
  await initBackend();
});

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
  beforeAll(async () => {
    result = await backtestCalendarVsBgNbd(seasonal, { cutoffsMs: [CUTOFF_MS], horizonDays: HORIZON, calendar: { cutoffStepDays: 28, maxRows: 100_000 } });
    report('synthetic, 2.5× Nov–Dec', result);
  }, 240_000);

  it('forecasts the Nov–Dec holdout total within 5% from a 31 October cutoff', () => {
    const w = result.windows[0];
    expect(w.actual).toBeGreaterThan(1000);
    expect(Math.abs(w.calendar.ratio - 1)).toBeLessThan(0.05);
    expect(w.calendar.training.converged).toBe(true);
  });

  it('beats BG/NBD, which under-forecasts the peak by more than 5%', () => {
    const w = result.windows[0];
    expect(w.bgnbd.ratio).toBeLessThan(0.95);
    expect(Math.abs(w.bgnbd.ratio - 1)).toBeGreaterThan(Math.abs(w.calendar.ratio - 1));
    expect(result.better).toBe('calendar');
  });

  it('ranks customers about as well as BG/NBD does, with a lower per-customer error', () => {
    const w = result.windows[0];
    expect(w.calendar.correlation).toBeGreaterThan(0.3);
    expect(w.calendar.correlation).toBeGreaterThan(w.bgnbd.correlation - 0.03);
    expect(w.calendar.mae).toBeLessThan(w.bgnbd.mae);
  });
});

describe('rolling backtest windows', () => {
  it('scores each window it can, pools them, and says why it skipped one with too little history', async () => {
    const early = START_MS + 20 * DAY; // before the calendar model's 90-day warm-up
    const cutoffs = [Date.UTC(2024, 7, 31, 12), CUTOFF_MS, early];
    const r = await backtestCalendarVsBgNbd(seasonal, { cutoffsMs: cutoffs, horizonDays: HORIZON, calendar: { cutoffStepDays: 56, maxRows: 40_000 } });
    report('two rolling windows', r);
    expect(r.windows.map((w) => w.cutoffDate)).toEqual(['2024-08-31', '2024-10-31']);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0].reason).toMatch(/cannot be trained/);
    const pooled = (m: 'bgnbd' | 'calendar') => r.windows.reduce((sum, w) => sum + w[m].predicted, 0) / r.windows.reduce((sum, w) => sum + w.actual, 0);
    expect(r.calendar.pooledRatio).toBeCloseTo(pooled('calendar'), 9);
    expect(r.bgnbd.pooledRatio).toBeCloseTo(pooled('bgnbd'), 9);
    // The off-peak window (Sep–Oct) is no harder for BG/NBD than the peak one.
    expect(Math.abs(r.windows[0].bgnbd.ratio - 1)).toBeLessThan(Math.abs(r.windows[1].bgnbd.ratio - 1));
    expect(r.better).toBe('calendar');
  }, 180_000);
});

describe('calendar model artifacts', () => {
  it('round-trip through the tfjs artifact with identical forecasts, and learn a Nov–Dec index above the summer months', async () => {
    const index = indexPurchases(seasonal);
    const model = await trainCalendarModel(index, { horizonDays: HORIZON, asOfMs: CUTOFF_MS, cutoffStepDays: 56, maxRows: 40_000 });
    const back = await deserializeCalendarModel(await serializeCalendarModel(model));
    try {
      const a = predictCalendarModel(model, index, CUTOFF_MS);
      const b = predictCalendarModel(back, index, CUTOFF_MS);
      expect(Array.from(b.expectedPurchases)).toEqual(Array.from(a.expectedPurchases));
      expect(Array.from(b.purchaseProbability)).toEqual(Array.from(a.purchaseProbability));
      expect(back.training).toEqual(model.training);
      const s = model.seasonalIndex;
      // Planted 2.5× in November and December: the learned index says so (months are 0-based).
      expect(s[10] / s[6]).toBeGreaterThan(1.8);
      expect(s[10] / s[6]).toBeLessThan(3.5);
      for (let c = 0; c < a.observed.length; c++) {
        if (!a.observed[c]) continue;
        expect(a.purchaseProbability[c]).toBeGreaterThanOrEqual(0);
        expect(a.purchaseProbability[c]).toBeLessThan(1);
      }
    } finally {
      model.network.dispose();
      back.network.dispose();
    }
  }, 120_000);

  it('refuses bytes that are not a calendar model', async () => {
    const model = await trainCalendarModel(seasonal, { horizonDays: 30, asOfMs: CUTOFF_MS, cutoffStepDays: 90, maxRows: 20_000 });
    const bytes = await serializeCalendarModel(model);
    model.network.dispose();
    bytes[0] = 0;
    await expect(deserializeCalendarModel(bytes)).rejects.toThrow(/magic/);
  }, 60_000);
});

describe('recent events in the calendar model', () => {
  it('learn from a planted signal: add-to-cart shortly before a purchase raises the 7-day forecast correlation', async () => {
    // Customers put the product in the cart 1–6 days before 70% of their purchases; views are noise.
    const start = Date.UTC(2023, 0, 1);
    const log = simulateSeasonalPurchaseLog({
      customers: 3000, bgnbd: { r: 0.6, alpha: 30, a: 0.6, b: 4 }, startMs: start, acquisitionDays: 400, untilDays: 730, multiplier: () => 1, seed: 11,
    });
    const rng = new SeededRng(3);
    const ev: { c: number; t: number; type: number }[] = [];
    for (let i = 0; i < log.customer.length; i++) {
      if (rng.next() < 0.7) ev.push({ c: log.customer[i], t: log.timeMs[i] - (1 + Math.floor(rng.next() * 6)) * DAY, type: EVENT_CART });
    }
    for (let k = 0; k < 20_000; k++) ev.push({ c: Math.floor(rng.next() * 3000), t: start + rng.next() * 730 * DAY, type: EVENT_VIEW });
    const events: EventLog = { customer: Int32Array.from(ev, (e) => e.c), timeMs: Float64Array.from(ev, (e) => e.t), type: Uint8Array.from(ev, (e) => e.type), historyStartMs: start };
    const index = indexPurchases(log, { nCustomers: 3000 });
    const eventIndex = indexEvents(events, 3000);
    const cutoff = start + 700 * DAY;
    const H = 7;
    const opts = { horizonDays: H, asOfMs: cutoff, cutoffStepDays: 14, maxRows: 60_000 };
    const withEvents = await trainCalendarModel(index, { ...opts, events: eventIndex });
    const without = await trainCalendarModel(index, opts);
    try {
      const a = predictCalendarModel(withEvents, index, cutoff, { events: eventIndex });
      const b = predictCalendarModel(without, index, cutoff);
      const actual = calendarFeatures(index, { cutoffMs: cutoff, horizonDays: H }).label;
      const rWith = pearson(a.expectedPurchases, actual, a.observed);
      const rWithout = pearson(b.expectedPurchases, actual, b.observed);
      console.log(`7-day holdout correlation: with events ${rWith.toFixed(3)}, without ${rWithout.toFixed(3)}`);
      // Measured 0.436 with events vs 0.362 without (the 14-day look-back dilutes a 1–6-day lead).
      expect(rWith).toBeGreaterThan(rWithout + 0.04);
    } finally {
      withEvents.network.dispose();
      without.network.dispose();
    }
  }, 180_000);
});
