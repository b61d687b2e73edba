// The shop's calendar: a fixed history window, and the seasonal and weekly shapes that drive traffic
// and conversion. Everything is indexed by whole UTC days counted from the history start (negative
// before it, ≥ HISTORY_DAYS after it), so the simulation and the truth functions agree to the day.

export const DAY_MS = 86_400_000;

/**
 * The shop migrated to this platform on the history start: everything that existed before carries that
 * date in the exported files (censoring). Thirteen months, so one November–December peak is inside.
 */
export const HISTORY_START_MS = Date.UTC(2025, 9, 1); // 2025-10-01T00:00:00Z
/** Exclusive end: the last day of data is 2026-10-31. */
export const HISTORY_END_MS = Date.UTC(2026, 10, 1); // 2026-11-01T00:00:00Z
export const HISTORY_DAYS = Math.round((HISTORY_END_MS - HISTORY_START_MS) / DAY_MS);

/** Monday-first weekly traffic pattern (mean 1): weekend browsing is heavier. */
const WEEKDAY_WEIGHT = [1.0, 0.97, 0.95, 0.97, 0.9, 1.01, 1.2];
const WEEK_TOTAL = WEEKDAY_WEIGHT.reduce((a, b) => a + b, 0);

export function dayIndex(ms: number): number {
  return Math.floor((ms - HISTORY_START_MS) / DAY_MS);
}

export function dayStartMs(day: number): number {
  return HISTORY_START_MS + day * DAY_MS;
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: number): number {
  return (new Date(dayStartMs(day)).getUTCDay() + 6) % 7;
}

function dayOfYear(ms: number): number {
  const d = new Date(ms);
  return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
}

/** Circular distance in days within a 365-day year. */
function yearDistance(doy: number, center: number): number {
  const raw = Math.abs(doy - center);
  return Math.min(raw, 365 - raw);
}

function bump(doy: number, center: number, width: number): number {
  const z = yearDistance(doy, center) / width;
  return Math.exp(-z * z);
}

/** Black Friday: the day after the fourth Thursday of November. */
function blackFridayMs(year: number): number {
  const nov1 = new Date(Date.UTC(year, 10, 1)).getUTCDay(); // 0 = Sunday
  const firstThursday = 1 + ((4 - nov1 + 7) % 7);
  return Date.UTC(year, 10, firstThursday + 21 + 1);
}

function annualTraffic(ms: number): number {
  const doy = dayOfYear(ms);
  return (
    1 +
    1.2 * bump(doy, 338, 22) + // gift buying, building through November to mid-December
    0.5 * bump(doy, 330, 5) - // Black Friday week
    0.25 * bump(doy, 200, 40) - // summer lull
    0.15 * bump(doy, 14, 10) // January hangover
  );
}

function annualConversionShift(ms: number): number {
  const doy = dayOfYear(ms);
  return 0.4 * bump(doy, 338, 18) - 0.12 * bump(doy, 200, 40);
}

function sitewideDiscountAt(ms: number): number {
  const bf = blackFridayMs(new Date(ms).getUTCFullYear());
  return ms >= bf && ms < bf + 4 * DAY_MS ? 0.15 : 0; // Black Friday through Cyber Monday
}

// Cached per day over a generous range; days outside it are computed on demand.
const CACHE_FROM = -1500;
const CACHE_TO = HISTORY_DAYS + 1500;
const trafficCache = new Float64Array(CACHE_TO - CACHE_FROM);
const conversionCache = new Float64Array(CACHE_TO - CACHE_FROM);
const discountCache = new Float64Array(CACHE_TO - CACHE_FROM);
const weekdayCache = new Uint8Array(CACHE_TO - CACHE_FROM);
for (let d = CACHE_FROM; d < CACHE_TO; d++) {
  const ms = dayStartMs(d);
  const wd = weekdayOf(d);
  weekdayCache[d - CACHE_FROM] = wd;
  trafficCache[d - CACHE_FROM] = annualTraffic(ms) * WEEKDAY_WEIGHT[wd];
  conversionCache[d - CACHE_FROM] = annualConversionShift(ms);
  discountCache[d - CACHE_FROM] = sitewideDiscountAt(ms);
}

function inCache(day: number): boolean {
  return day >= CACHE_FROM && day < CACHE_TO;
}

/** Relative shopper traffic on a day (season × weekday, ≈1 on an ordinary weekday). */
export function trafficFactor(day: number): number {
  if (inCache(day)) return trafficCache[day - CACHE_FROM];
  return annualTraffic(dayStartMs(day)) * WEEKDAY_WEIGHT[weekdayOf(day)];
}

/** Additive logit shift of purchase probability on a day (holiday buying mood, summer browsing). */
export function conversionShift(day: number): number {
  if (inCache(day)) return conversionCache[day - CACHE_FROM];
  return annualConversionShift(dayStartMs(day));
}

/** Sitewide discount on a day (Black Friday to Cyber Monday), 0 otherwise. */
export function sitewideDiscount(day: number): number {
  if (inCache(day)) return discountCache[day - CACHE_FROM];
  return sitewideDiscountAt(dayStartMs(day));
}

/** The share of a week's launch-slot impressions shown on this day (sums to 1 over any 7 days). */
export function weekdayShare(day: number): number {
  const wd = inCache(day) ? weekdayCache[day - CACHE_FROM] : weekdayOf(day);
  return WEEKDAY_WEIGHT[wd] / WEEK_TOTAL;
}

/** Prefix sums of trafficFactor over the history: expected traffic-days in [from, to) in O(1). */
export function trafficPrefix(): Float64Array {
  const prefix = new Float64Array(HISTORY_DAYS + 1);
  for (let d = 0; d < HISTORY_DAYS; d++) prefix[d + 1] = prefix[d] + trafficFactor(d);
  return prefix;
}

/** Session start hour weights (UTC): evening peak, quiet night. */
export const HOUR_WEIGHTS = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.6, 0.8, 0.9, 1.0, 1.05, 1.15, 1.1, 1.0, 1.0, 1.05, 1.15, 1.35, 1.6, 1.75,
  1.6, 1.1, 0.55,
];

/** Midnight UTC of a date, as a day index (the launch and promo bookkeeping unit). */
export function dayOfDate(date: Date): number {
  return dayIndex(date.getTime());
}
