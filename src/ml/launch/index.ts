// Launch planning ML: history extraction, the quantile demand model with analogs, backtest and scenarios.
//
// The model: a prior log E[weekly units] = log(weekly impressions × the category's units per impression
// (shrunk to the overall rate) × a seasonal index of the calendar week), and a small tfjs network
// (category/brand embeddings, hashed title/description tokens, price relative to the category,
// promotion, season, exposure, the analogs' and category's curves) that corrects it: per week, P50 and
// softplus increments to P10/P90 of log(1 + units) under the pinball loss (never crossing), and the
// mean under the Poisson likelihood. The band is calibrated on a validation split; P10 is floored to
// whole units. Analogs: IDF-weighted content cosine (analogs.ts). Known bias: promotions in imported
// history are inferred from unit prices, so a promotion is only seen when it sold — the learnt
// promotion lift is too high until launches planned here (with recorded promotions) accumulate.
// Typical job flow:
//   await initBackend();
//   const rows = launchHistoryFromRecords(products, sales, impressions, { weeks: 8, asOf });
//   const { model, backtest } = await trainDemandModel(rows, { weeks: 8, seed: 1 });
//   const bytes = await model.toBytes();                    // → ModelVersion.artifact
//   const plan = planScenarios(await loadDemandModel(bytes), product, grid, { objective, inventory, unitCost });
export * from './types';
export { launchHistoryFromRecords, categoryMedians, inferPromotion } from './history';
export { trainDemandModel, MIN_LAUNCHES } from './train';
export { loadDemandModel, demandTfjsHandler, DEMAND_ARTIFACT_FORMAT, DEMAND_ARTIFACT_VERSION } from './serialize';
export { planScenarios, cappedSales, sellOutShare } from './plan';
export { backtestMetrics, pinballLoss } from './metrics';
export { meanOf, unitsAt, weekLevels } from './distribution';
export { LaunchDemandModel } from './model';
