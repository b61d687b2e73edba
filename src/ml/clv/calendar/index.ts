// Calendar-aware customer-value model (pure: typed arrays in, numbers out): features at a cutoff
// (features.ts, events.ts, design.ts), a tfjs Poisson count model trained on rolling cutoffs (model.ts), and a rolling-window
// backtest against BG/NBD that picks the model to serve (backtest.ts).
export {
  blackFridayDay,
  isHolidayPeakDay,
  calendarFeatures,
  dayOf,
  indexPurchases,
  lastYearWindow,
  purchasesBetween,
  windowCalendar,
  type CalendarFeatureOptions,
  type CalendarFeatures,
  type PurchaseIndex,
  type PurchaseIndexOptions,
  type WindowCalendar,
} from './features';
export {
  CALENDAR_MODEL_FEATURES,
  EVENT_LOOKBACK_DAYS,
  HOLIDAY_PEAK_PERIOD,
  SEASONAL_PERIODS,
  seasonalPeriodOf,
} from './design';
export { EVENT_CART, EVENT_VIEW, indexEvents, recentEvents, type EventIndex, type EventLog } from './events';
export {
  deserializeCalendarModel,
  describeCalendarModel,
  predictCalendarModel,
  serializeCalendarModel,
  trainCalendarModel,
  trainingCutoffDays,
  type CalendarModel,
  type CalendarPrediction,
  type CalendarTrainingSummary,
  type TrainCalendarModelOptions,
} from './model';
export {
  backtestCalendarVsBgNbd,
  type BacktestOptions,
  type BacktestResult,
  type BacktestWindow,
  type CalendarBacktestModel,
  type ModelBacktestSummary,
  type ModelWindowScore,
} from './backtest';
export { novDecMultiplier, simulateSeasonalPurchaseLog, type SeasonalSimulationOptions } from './simulate';
