// Launch planning ML: history extraction, the quantile demand model with analogs, backtest and scenarios.
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
