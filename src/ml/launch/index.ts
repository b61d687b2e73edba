// Launch planning ML: history extraction, the quantile demand model with analogs, backtest and scenarios.
// Typical job flow:
//   await initBackend();
//   const rows = launchHistoryFromRecords(products, sales, impressions, { weeks: 8, asOf });
//   const { model, backtest } = await trainDemandModel(rows, { weeks: 8, seed: 1 });
//   const bytes = await model.toBytes();                    // → ModelVersion.artifact
//   const plan = planScenarios(await loadDemandModel(bytes), product, grid, { objective, inventory, unitCost });
export * from './types';
import type {
  DemandBacktest, DemandModel, DemandTrainOptions, LaunchHistoryRow, LaunchProduct, LaunchRecordImpressions,
  LaunchRecordProduct, LaunchRecordSale, PlanConstraints, ScenarioGrid, ScenarioPlan,
} from './types';

export function launchHistoryFromRecords(_products: LaunchRecordProduct[], _sales: LaunchRecordSale[],
  _impressions: LaunchRecordImpressions[], _opts: { weeks: number; asOf: Date }): LaunchHistoryRow[] {
  throw new Error('not implemented yet');
}
export async function trainDemandModel(_rows: LaunchHistoryRow[], _opts: DemandTrainOptions):
  Promise<{ model: DemandModel; backtest: DemandBacktest }> {
  throw new Error('not implemented yet');
}
export async function loadDemandModel(_bytes: Uint8Array): Promise<DemandModel> {
  throw new Error('not implemented yet');
}
export function planScenarios(_model: DemandModel, _product: LaunchProduct, _grid: ScenarioGrid,
  _constraints: PlanConstraints): ScenarioPlan {
  throw new Error('not implemented yet');
}
