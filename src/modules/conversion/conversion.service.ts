// Conversion predictions and recommendations (online, from the active model), and the jobs that
// train and batch-score models.
import { intFromGlobalId, toGlobalId } from '../../graphql/global-id';
import { userError, UserError } from '../../graphql/user-error';
import type { JobService } from '../jobs/job.service';
import type { JobRow } from '../jobs/job.repository';
import type { ModelService } from '../models/model.service';
import { BadInputError } from '../shared/errors';
import type { ConversionDataRepository } from './conversion-data.repository';
import type { ConversionModelCache, LoadedConversionModel } from './conversion-model.cache';
import type { ConversionPredictionRepository } from './conversion-prediction.repository';
import { allowedInMode, rankScored, scoreCandidates } from './recommendation-ranking';
import { RecommendationMode } from './conversion.types';

export const MAX_PREDICTION_PRODUCTS = 250;
export const MAX_RECOMMENDATIONS = 100;
const SHARD_CUSTOMERS = 5_000;
const CATALOG_TTL_MS = 30_000;

export const MAX_EXCLUDED_PRODUCTS = 1_000;
export const MAX_FILTER_CATEGORIES = 100;

/** What every recommendation request reads of the catalogue. */
interface CatalogView {
  active: number[];
  longTail: Set<number>;
  category: Map<number, string | null>;
  /** Active products whose tracked stock is 0 or less. */
  outOfStock: Set<number>;
}

/** Optional narrowing of the candidates of a recommendation request. */
export interface RecommendationFilters {
  /** Only products in these categories (exact names). */
  categories?: readonly string[] | null;
  /** Products to leave out (global ids), e.g. those already in the cart. */
  excludeProductIds?: readonly string[] | null;
  /** Keep products whose tracked stock is 0 or less (default: leave them out). */
  includeOutOfStock?: boolean;
}

export class ConversionService {
  private readonly catalogCache = new Map<number, { view: Promise<CatalogView>; until: number }>();

  constructor(
    private readonly cache: ConversionModelCache,
    private readonly data: ConversionDataRepository,
    private readonly predictions: ConversionPredictionRepository,
    private readonly jobs: JobService,
    private readonly models: ModelService,
  ) {}

  /**
   * The active products (with category and stock) and long-tail set every recommendation request
   * needs: read once per merchant per CATALOG_TTL_MS instead of two catalogue scans per request.
   * Product writes through this process drop it at once (forgetCatalog); imports run in workers, so
   * what they change shows within the TTL.
   */
  private catalogView(merchantId: number): Promise<CatalogView> {
    const hit = this.catalogCache.get(merchantId);
    if (hit && hit.until > Date.now()) return hit.view;
    const view = Promise.all([this.predictions.activeProducts(merchantId), this.predictions.longTailIds(merchantId)])
      .then(([rows, longTail]) => ({
        active: rows.map((r) => r.id),
        longTail,
        category: new Map(rows.map((r) => [r.id, r.category])),
        outOfStock: new Set(rows.filter((r) => r.stock !== null && r.stock <= 0).map((r) => r.id)),
      }));
    view.catch(() => this.catalogCache.delete(merchantId));
    this.catalogCache.set(merchantId, { view, until: Date.now() + CATALOG_TTL_MS });
    return view;
  }

  /** Drops the cached catalogue view of a merchant (after a product was written). */
  forgetCatalog(merchantId: number): void {
    this.catalogCache.delete(merchantId);
  }

  private async model(merchantId: number): Promise<LoadedConversionModel> {
    const m = await this.cache.active(merchantId);
    if (!m) throw new BadInputError('No active conversion model yet: run trainConversionModel first');
    return m;
  }

  private customerIndex(m: LoadedConversionModel, gid: string): { idx: number; internal: number; cold: boolean } {
    const internal = intFromGlobalId(gid, 'Customer');
    if (internal === null) throw new BadInputError('Malformed customer id', 'customerId');
    const idx = m.customerIndex.get(internal);
    // Unknown to the model (new since training, or another merchant's id): the shared cold-start vector.
    return idx === undefined ? { idx: m.model.customers.count, internal, cold: true } : { idx, internal, cold: false };
  }

  async predict(merchantId: number, customerGid: string, productGids: string[], placement?: string) {
    if (productGids.length > MAX_PREDICTION_PRODUCTS) throw new BadInputError(`At most ${MAX_PREDICTION_PRODUCTS} products per call`, 'productIds');
    const m = await this.model(merchantId);
    const c = this.customerIndex(m, customerGid);
    const { exists, now } = await this.predictions.customerAndClock(merchantId, c.internal);
    if (!exists) throw new BadInputError('No customer with this id', 'customerId');
    const internal = productGids.map((g) => intFromGlobalId(g, 'Product'));
    // A product created since the model last looked (a moment ago, or in another process): add it now.
    const unseen = internal.filter((id): id is number => id !== null && !m.productIndex.has(id));
    if (unseen.length) await this.cache.appendProducts(merchantId, m, unseen);
    const ids = productGids.map((g, k) => {
      const id = internal[k];
      const idx = id === null ? undefined : m.productIndex.get(id);
      if (id === null || idx === undefined) throw new BadInputError(`No product with id ${g}`, 'productIds');
      return { id, idx };
    });
    const scores = m.model.scoreCustomer(c.idx, ids.map((x) => x.idx), { placement, time: now.getTime() });
    return {
      modelVersionId: toGlobalId('ModelVersion', m.versionId),
      coldStartCustomer: c.cold,
      predictions: ids.map((x, k) => ({ productId: x.id, probability: scores[k], fromContentOnly: x.idx >= m.trainedProducts })),
    };
  }

  async recommend(merchantId: number, customerGid: string, first: number, longTailShare: number, mode: RecommendationMode,
    filters: RecommendationFilters = {}) {
    if (first < 1 || first > MAX_RECOMMENDATIONS) throw new BadInputError(`first must be 1–${MAX_RECOMMENDATIONS}`, 'first');
    if (!(longTailShare >= 0 && longTailShare <= 1)) throw new BadInputError('longTailShare must be between 0 and 1', 'longTailShare');
    const excluded = new Set<number>();
    if (filters.excludeProductIds) {
      if (filters.excludeProductIds.length > MAX_EXCLUDED_PRODUCTS) throw new BadInputError(`At most ${MAX_EXCLUDED_PRODUCTS} excluded products`, 'excludeProductIds');
      for (const g of filters.excludeProductIds) {
        const id = intFromGlobalId(g, 'Product');
        if (id === null) throw new BadInputError(`Malformed product id ${g}`, 'excludeProductIds');
        excluded.add(id);
      }
    }
    const named = filters.categories;
    if (named && (named.length === 0 || named.length > MAX_FILTER_CATEGORIES || named.some((c) => c.length === 0 || c.length > 500))) {
      throw new BadInputError(`categories must name 1–${MAX_FILTER_CATEGORIES} categories of 1–500 characters (omit it for all)`, 'categories');
    }
    const categories = named ? new Set(named) : null;
    const inCategories = (id: number, view: CatalogView) => {
      const c = view.category.get(id);
      return c !== null && c !== undefined && categories!.has(c);
    };
    const m = await this.model(merchantId);
    const c = this.customerIndex(m, customerGid);
    // The reads run side by side (the purchase read is filtered by merchant, so it reveals nothing
    // when the customer turns out not to be this merchant's).
    const [{ exists, now }, view, bought] = await Promise.all([
      this.predictions.customerAndClock(merchantId, c.internal), this.catalogView(merchantId), this.data.purchasedProducts(merchantId, c.internal),
    ]);
    if (!exists) throw new BadInputError('No customer with this id', 'customerId');
    if (categories && !view.active.some((id) => inCategories(id, view))) {
      // A misspelt category would otherwise look like a customer with nothing to recommend.
      const shown = [...categories].slice(0, 5).map((c) => (c.length > 60 ? `${c.slice(0, 60)}…` : c));
      throw new BadInputError(`No active product in categories ${shown.join(', ')}${categories.size > 5 ? ', …' : ''}`, 'categories');
    }
    const { longTail } = view;
    const candidates = view.active.filter((id) => m.productIndex.has(id) && allowedInMode(mode, bought.has(id))
      && !excluded.has(id) && (filters.includeOutOfStock || !view.outOfStock.has(id))
      && (!categories || inCategories(id, view)));
    const scores = scoreCandidates(m.model, c.idx, candidates, m.productIndex, now.getTime());
    const ranked = rankScored(candidates, scores, (id) => longTail.has(id), first, longTailShare);
    return {
      items: ranked.items.map((x) => ({ productId: x.id, probability: x.p, isLongTail: x.longTail, purchasedBefore: bought.has(x.id) })),
      mode, requestedLongTailShare: longTailShare, longTailShare: ranked.longTailShare,
      expectedConversions: ranked.expected, greedyExpectedConversions: ranked.greedyExpected,
      conversionCost: Math.max(0, ranked.greedyExpected - ranked.expected),
      modelVersionId: toGlobalId('ModelVersion', m.versionId),
    };
  }

  async startTraining(merchantId: number, input: { force: boolean; labelWindowDays: number; historyDays: number; maxEpochs?: number }): Promise<{ job: JobRow | null; userErrors: UserError[] }> {
    const errors: UserError[] = [];
    if (input.labelWindowDays < 1 || input.labelWindowDays > 60) errors.push(userError('labelWindowDays must be 1–60', 'INVALID', ['input', 'labelWindowDays']));
    if (input.historyDays < 14 || input.historyDays > 3 * 365) errors.push(userError('historyDays must be 14–1095', 'INVALID', ['input', 'historyDays']));
    if (input.maxEpochs !== undefined && (input.maxEpochs < 1 || input.maxEpochs > 50)) errors.push(userError('maxEpochs must be 1–50', 'INVALID', ['input', 'maxEpochs']));
    if (errors.length) return { job: null, userErrors: errors };
    return { job: await this.jobs.start(merchantId, 'train-conversion', input), userErrors: [] };
  }

  /** Retrains every `everyDays` days (0 stops it); a new version is promoted only when it beats the active one. */
  async scheduleRetraining(merchantId: number, everyDays: number): Promise<{ everyDays: number; nextRunAt: Date | null; userErrors: UserError[] }> {
    if (!Number.isInteger(everyDays) || everyDays < 0 || everyDays > 365) {
      return { everyDays, nextRunAt: null, userErrors: [userError('everyDays must be a whole number of days, 0–365 (0 stops retraining)', 'INVALID', ['everyDays'])] };
    }
    const next = await this.jobs.schedule(`retrain-conversion-${merchantId}`, 'retrain-conversion-tick', { merchantId }, everyDays * 86_400_000);
    return { everyDays, nextRunAt: next, userErrors: [] };
  }

  /** Scores every customer's top K with the active model, as a flow of customer shards. */
  async startScoring(merchantId: number, topK: number): Promise<{ job: JobRow | null; userErrors: UserError[] }> {
    if (topK < 1 || topK > 100) return { job: null, userErrors: [userError('topK must be 1–100', 'INVALID', ['topK'])] };
    const active = await this.models.active(merchantId, 'CONVERSION');
    if (!active) return { job: null, userErrors: [userError('No active conversion model: train one first', 'NO_MODEL', [])] };
    const customers = (await this.predictions.customerIds(merchantId)).length;
    const shards = Math.max(1, Math.min(64, Math.ceil(customers / SHARD_CUSTOMERS)));
    const job = await this.jobs.startFlow(merchantId, 'score-conversions', { modelVersionId: active.id, topK, shards },
      'score-conversions-shard', Array.from({ length: shards }, (_, shard) => ({ shard, shards, modelVersionId: active.id, topK })));
    return { job, userErrors: [] };
  }
}
