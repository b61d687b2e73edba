// The conversion model's public API (P(buy within the label window | shown) per customer × product).
// Typical job flow:
//   await initBackend();                                   // ../backend: tfjs-node, else WASM
//   const prep = prepareConversionData(dataset);           // history features, time split, buckets
//   const model = await trainConversionModel(prep, opts, onEpoch);
//   const evaluation = evaluateConversion(model, fitBaselines(prep), exampleSet(prep, prep.split.test));
//   const bytes = await serializeConversionModel(model);   // one Uint8Array → ModelVersion.artifact
// Serving: deserializeConversionModel(bytes) once per version, then model.scoreCustomer(...).
export type {
  ConversionDataset, CustomerFeatures, ExposureExamples, ProductFeatures, PurchaseLog,
} from './types';
export { DIRECT_PLACEMENT, PLACEMENT_HANDLES, UNKNOWN_PLACEMENT, placementCode, selectExposures, transferList } from './types';
export { buildCustomerFeatures, buildProductFeatures, extendProductFeatures } from './product-features';
export type { CustomerRow, ProductRow, TokenOptions } from './product-features';
export { labelExposures } from './labels';
export { HISTORY_FEATURES, RECENT_ENGAGED } from './history-state';
export type { RecentItems } from './history-state';
export { BUCKETS, exampleSet, prepareConversionData, productBuckets } from './prepare';
export type { BucketName, ExampleSet, PrepareOptions, PreparedConversionData } from './prepare';
export { DEFAULT_TRAIN_OPTIONS, trainConversionModel } from './train';
export type { EpochReport, TrainConversionOptions, TrainingReport } from './train';
export { ConversionModel } from './model';
export type { ConversionModelMetadata, ScoringContext } from './model';
export { fitBaselines, fitLogistic, fitPopularity, predictLogistic, predictPopularity } from './baselines';
export type { ConversionBaselines, LogisticBaseline, PopularityBaseline } from './baselines';
export { evaluateConversion } from './evaluate';
export type { BucketEvaluation, ConversionEvaluation, MetricSet } from './evaluate';
export {
  CONVERSION_ARTIFACT_FORMAT, CONVERSION_ARTIFACT_VERSION, conversionTfjsHandlers, deserializeConversionModel,
  featureSchemaOf, readConversionArtifactMeta, serializeConversionModel,
} from './serialize';
export type { ConversionFeatureSchema } from './serialize';
export { loadGeneratorDataset } from './generator-dataset';
export type { GeneratorDatasetOptions, GeneratorExposures } from './generator-dataset';
