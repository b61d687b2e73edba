// Runs in a worker thread (src/infra/thread.ts): trains, evaluates and serialises a conversion
// model, and scores the champion on the same held-out split. Pure ML: no database or queue here.
import { initBackend } from '../../src/ml/backend';
import { fitBaselines } from '../../src/ml/conversion/baselines';
import { evaluateConversion } from '../../src/ml/conversion/evaluate';
import { exampleSet, prepareConversionData } from '../../src/ml/conversion/prepare';
import { deserializeConversionModel, featureSchemaOf, serializeConversionModel } from '../../src/ml/conversion/serialize';
import { trainConversionModel, type EpochReport, type TrainConversionOptions } from '../../src/ml/conversion/train';
import type { ConversionDataset } from '../../src/ml/conversion/types';
import { auc } from '../../src/ml/metrics';

export interface TrainConversionInput {
  dataset: ConversionDataset;
  options: TrainConversionOptions;
  /** The active model's ML artifact, when its index space is a prefix of this dataset's. */
  champion?: Uint8Array;
}

export interface TrainConversionOutput {
  artifact: Uint8Array;
  backend: string;
  evaluation: ReturnType<typeof evaluateConversion>;
  training: { epochs: EpochReport[]; bestEpoch: number; trainExamplesPerSecond: number; calibration: unknown };
  metadata: unknown;
  featureSchema: unknown;
  /** The champion's AUC on this version's test rows. */
  championAuc?: number;
}

export async function trainConversionThread(input: TrainConversionInput, post: (m: { epoch: EpochReport; maxEpochs: number }) => void): Promise<TrainConversionOutput> {
  const backend = await initBackend();
  const prep = prepareConversionData(input.dataset);
  const maxEpochs = input.options.maxEpochs ?? 12;
  const model = await trainConversionModel(prep, input.options, (epoch) => post({ epoch, maxEpochs }));
  const test = exampleSet(prep, prep.split.test);
  const evaluation = evaluateConversion(model, fitBaselines(prep), test);
  let championAuc: number | undefined;
  if (input.champion) {
    const champ = await deserializeConversionModel(input.champion);
    try {
      champ.updateProducts(model.products);
      championAuc = auc(champ.predict(test.examples, { history: test.history }), test.examples.label);
    } catch {
      championAuc = undefined; // incompatible feature space: compare on stored metrics instead
    } finally {
      champ.dispose();
    }
  }
  const artifact = await serializeConversionModel(model);
  const out: TrainConversionOutput = {
    artifact, backend: backend.name, evaluation,
    training: { epochs: model.training.epochs, bestEpoch: model.training.bestEpoch, trainExamplesPerSecond: model.training.trainExamplesPerSecond, calibration: model.training.calibration },
    metadata: model.metadata, featureSchema: featureSchemaOf(model), championAuc,
  };
  model.dispose();
  return out;
}
