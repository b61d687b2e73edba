// Builds every service from the infrastructure handles. Both the API and the workers use it.
import type { Config } from './config/config';
import type { Database } from './db/database';
import { JobQueues } from './jobs/job-queues';
import { JobUpdatePublisher, JobUpdateSubscriber } from './jobs/job-updates';
import type { RedisHandle } from './infra/redis';
import { CatalogService } from './modules/catalog/catalog.service';
import { CustomerRepository } from './modules/catalog/customer.repository';
import { OrderRepository } from './modules/catalog/order.repository';
import { ProductRepository } from './modules/catalog/product.repository';
import { ConversionDataRepository } from './modules/conversion/conversion-data.repository';
import { ConversionModelCache } from './modules/conversion/conversion-model.cache';
import { ConversionPredictionRepository } from './modules/conversion/conversion-prediction.repository';
import { ConversionService } from './modules/conversion/conversion.service';
import { EventService } from './modules/events/event.service';
import { CustomerValueRepository } from './modules/customers/customer-value-data.repository';
import { CustomerValueService } from './modules/customers/customer-value.service';
import { RecommendationEvaluationRepository } from './modules/evaluation/recommendation-evaluation.repository';
import { RecommendationEvaluationService } from './modules/evaluation/recommendation-evaluation.service';
import { RiskRepository } from './modules/risk/risk.repository';
import { LaunchDataRepository } from './modules/launch/launch-data.repository';
import { LaunchRepository } from './modules/launch/launch.repository';
import { LaunchService } from './modules/launch/launch.service';
import { RiskService } from './modules/risk/risk.service';
import { ExposureDataRepository } from './modules/exposure/exposure-data.repository';
import { ExposurePlanRepository } from './modules/exposure/exposure-plan.repository';
import { ExposurePlanner } from './modules/exposure/exposure-planner';
import { ExposureService } from './modules/exposure/exposure.service';
import { PlacementRepository } from './modules/exposure/placement.repository';
import { PlacementService } from './modules/exposure/placement.service';
import { StagedImportService } from './modules/imports/staged-import.service';
import { JobRepository } from './modules/jobs/job.repository';
import { JobService } from './modules/jobs/job.service';
import { JobViewService } from './modules/jobs/job-view.service';
import { ModelVersionRepository } from './modules/models/model-version.repository';
import { ModelService } from './modules/models/model.service';
import { MerchantRepository } from './modules/merchants/merchant.repository';
import { MerchantService } from './modules/merchants/merchant.service';
import { UploadRepository } from './modules/uploads/upload.repository';
import { UploadService } from './modules/uploads/upload.service';

export interface Services {
  merchants: MerchantService;
  catalog: CatalogService;
  jobs: JobService;
  jobViews: JobViewService;
  uploads: UploadService;
  imports: StagedImportService;
  events: EventService;
  models: ModelService;
  conversion: ConversionService;
  conversionModels: ConversionModelCache;
  conversionPredictions: ConversionPredictionRepository;
  recommendationEvaluations: RecommendationEvaluationService;
  /** Reads and writes of stored evaluations and the catalogue as of a split (the evaluation job's side). */
  recommendationEvaluationData: RecommendationEvaluationRepository;
  customerValues: CustomerValueService;
  risk: RiskService;
  placements: PlacementService;
  exposure: ExposureService;
  launches: LaunchService;
  queues: JobQueues;
  close(): Promise<void>;
}

export function createServices(deps: { db: Database; redis: RedisHandle; config: Config }): Services {
  const { db, redis, config } = deps;
  const queues = new JobQueues(redis.connection, config.queuePrefix);
  const jobs = new JobService(new JobRepository(db), queues, new JobUpdatePublisher(redis.connection, config.queuePrefix));
  let subscriber: JobUpdateSubscriber | undefined;
  let views: JobViewService | undefined;
  const lazySubscriber = () => (subscriber ??= new JobUpdateSubscriber(redis.duplicate(), config.queuePrefix));
  const catalog = new CatalogService(db, new ProductRepository(db), new CustomerRepository(db), new OrderRepository(db), config);
  const uploads = new UploadService(new UploadRepository(db), config.publicUrl, config.maxUploadBytes);
  const models = new ModelService(new ModelVersionRepository(db));
  const conversionData = new ConversionDataRepository(db);
  const conversionModels = new ConversionModelCache(models, conversionData);
  const conversionPredictions = new ConversionPredictionRepository(db);
  const conversion = new ConversionService(conversionModels, conversionData, conversionPredictions, jobs, models);
  // Recommendations and loaded models cache the catalogue for a few seconds; a product written
  // through this process refreshes both at once.
  catalog.onProductsChanged((merchantId) => {
    conversion.forgetCatalog(merchantId);
    conversionModels.productsChanged(merchantId);
  });
  const evaluationData = new RecommendationEvaluationRepository(db);
  const placementRepo = new PlacementRepository(db);
  const exposureData = new ExposureDataRepository(db);
  return {
    merchants: new MerchantService(new MerchantRepository(db)),
    catalog,
    jobs,
    get jobViews() { return (views ??= new JobViewService(jobs, lazySubscriber())); },
    uploads,
    imports: new StagedImportService(jobs, uploads),
    events: new EventService(db),
    models,
    conversion,
    conversionModels,
    conversionPredictions,
    recommendationEvaluations: new RecommendationEvaluationService(evaluationData, jobs),
    recommendationEvaluationData: evaluationData,
    customerValues: new CustomerValueService(new CustomerValueRepository(db), models, jobs),
    risk: new RiskService(new RiskRepository(db), jobs),
    placements: new PlacementService(db, placementRepo),
    exposure: new ExposureService(db, new ExposurePlanRepository(db), placementRepo, exposureData, new ExposurePlanner(db, exposureData, conversionModels), jobs),
    launches: new LaunchService(db, new LaunchRepository(db), new LaunchDataRepository(db), models, jobs, (m) => catalog.notifyProductsChanged(m)),
    queues,
    async close() {
      conversionModels.clear();
      await queues.close();
      await subscriber?.close();
    },
  };
}
