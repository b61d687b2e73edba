// Runs in a worker thread (src/infra/thread.ts): trains and backtests a launch demand model and
// serialises it, so the worker's event loop (BullMQ lock renewal) never waits for training.
import { initBackend } from '../../src/ml/backend';
import { trainDemandModel, type DemandBacktest, type LaunchHistoryRow } from '../../src/ml/launch';

export interface TrainDemandInput { rows: LaunchHistoryRow[]; weeks: number; seed: number; epochs?: number }

export interface TrainDemandOutput {
  artifact: Uint8Array;
  backend: string;
  backtest: DemandBacktest;
  params: Record<string, unknown>;
  featureSchema: Record<string, unknown>;
}

export async function trainDemandThread(input: TrainDemandInput, post: (m: { fraction: number; message: string }) => void): Promise<TrainDemandOutput> {
  await initBackend();
  const { model, backtest } = await trainDemandModel(input.rows, {
    weeks: input.weeks, seed: input.seed, ...(input.epochs ? { epochs: input.epochs } : {}),
    onProgress: (fraction, message) => post({ fraction, message }),
  });
  const { params, featureSchema } = model.describe();
  return { artifact: await model.toBytes(), backend: model.backend, backtest, params, featureSchema };
}
