// Customer-value models (pure: typed arrays in, numbers out). Pipeline: rfmSummary → fitBgNbd and
// fitGammaGamma → bgnbd* predictions and customerLifetimeValue. See each file for its contract.
export { rfmSummary, unitDays, type PurchaseLog, type RfmOptions, type RfmSummary, type TimeUnit } from './rfm';
export {
  bgnbdLogLikelihood,
  bgnbdLogLikelihoods,
  fitBgNbd,
  type BgNbdFit,
  type BgNbdFitOptions,
  type BgNbdParams,
  type CustomerHistories,
} from './bgnbd';
export {
  bgnbdConditionalExpectedPurchases,
  bgnbdConditionalExpectedPurchasesAt,
  bgnbdExpectedPurchases,
  bgnbdPopulationSummary,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchase,
} from './bgnbd-predict';
export { expectedWhileAlive, expectedWhileAliveDetail, type ExpectationDetail } from './bgnbd-expectation';
export {
  fitGammaGamma,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  gammaGammaPopulationMean,
  type GammaGammaFit,
  type GammaGammaFitOptions,
  type GammaGammaParams,
  type SpendHistories,
} from './gamma-gamma';
export { customerLifetimeValue, DAYS_PER_MONTH, type ClvOptions, type ClvResult } from './clv';
export { groupTriples, type TripleGroups } from './grouping';
export { digamma, hyp2f1, hyp2f1Log, lnBeta, lnGamma } from './special';
export { exactHistories, simulatePurchaseLog, type SimulatedLog, type SimulationOptions } from './simulate';
export { fitParetoNbd, paretoNbdLogLikelihood, paretoNbdLogLikelihoodOne, type ParetoNbdFit, type ParetoNbdParams } from './pareto-nbd';
