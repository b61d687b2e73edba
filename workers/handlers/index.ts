// The dispatch table: one handler per job of the catalogue (checked when the worker boots).
import type { JobHandlers } from '../job-handler';
import { importHandler } from './import.handler';
import { scoreConversionsHandler, scoreConversionsShardHandler } from './score-conversions.handler';
import { retrainConversionTickHandler, trainConversionHandler } from './train-conversion.handler';
import { trainCustomerValueHandler } from './train-customer-value.handler';
import { detectRiskHandler } from './detect-risk.handler';
import { eraseCustomerHandler } from './erase-customer.handler';
import { evaluateRecommendationsHandler } from './evaluate-recommendations.handler';
import { planExposureHandler } from './plan-exposure.handler';
import { trainDemandHandler } from './train-demand.handler';
import { planLaunchHandler } from './plan-launch.handler';

export const handlers: JobHandlers = {
  import: importHandler,
  'train-conversion': trainConversionHandler,
  'score-conversions': scoreConversionsHandler,
  'score-conversions-shard': scoreConversionsShardHandler,
  'retrain-conversion-tick': retrainConversionTickHandler,
  'evaluate-recommendations': evaluateRecommendationsHandler,
  'train-customer-value': trainCustomerValueHandler,
  'detect-risk': detectRiskHandler,
  'erase-customer': eraseCustomerHandler,
  'plan-exposure': planExposureHandler,
  'train-demand': trainDemandHandler,
  'plan-launch': planLaunchHandler,
};
