// The trained demand model: encoder + tfjs network + the store of past launches (analogs and category
// curves) + the band calibration. forecast() is synchronous and batched; products that share content
// (the scenarios of one launch) share one analog search.
import * as tf from '@tensorflow/tfjs';
import type { AnalogHit } from './analogs';
// serialize.ts imports this module too; each only uses the other inside functions, after both loaded.
import { serializeDemandModel } from './serialize';
import { countQuantiles } from './calibrate';
import { Encoder } from './features';
import { batchTensors, composeQuantiles, type DemandNetworkConfig } from './network';
import type { CurveStats, LaunchStore } from './store';
import type { Analog, DemandForecast, DemandModel, ForecastFallback, LaunchFeatures } from './types';

export interface DemandModelParams {
  network: DemandNetworkConfig;
  /** Analogs per forecast and the minimum cosine similarity to count as one. */
  k: number;
  minSimilarity: number;
  /** Multipliers of the lower and upper z-band widths fitted on the validation launches. */
  bandLower: number;
  bandUpper: number;
  /** Added to the log-space P50, fitted on the validation launches (absent in older artifacts: 0). */
  medianShift?: number;
  /**
   * How a promotion enters forecasts. 'learned': through the network's promotion features. 'price':
   * as a temporary price cut — promotion weeks are forecast at the discounted price without promotion
   * features, through the price response the network learnt from list prices. Chosen at training:
   * 'price' when most past promotions are only known from discounted sales (a promotion that sold
   * nothing is invisible there, so the learnt lift is that of the promotions that happened to sell;
   * on the medium generated shop it put a 30%-off, 4-week promotion at 3.5–6.5× the units of none,
   * against 1.3–1.5× true). Absent in older artifacts: 'learned'.
   */
  promotionEffect?: 'learned' | 'price';
  /**
   * With 'price': a promotion's pull beyond its price cut (the badge, the attention), as a multiple
   * of the promotion weeks' exposure; fitted on the past promotions by a likelihood that knows they
   * were seen only because they sold (promotion.ts). Absent: 1.
   */
  promotionLift?: number;
  epochs: number;
  trainedRows: number;
  [key: string]: unknown;
}

export interface PreparedForecast {
  clean: LaunchFeatures;
  hits: AnalogHit[];
  category: number;
  numeric: number[];
  prior: number[];
}

export class LaunchDemandModel implements DemandModel {
  readonly weeks: number;
  readonly stats: CurveStats;

  constructor(readonly encoder: Encoder, readonly network: tf.LayersModel, readonly store: LaunchStore,
    readonly params: DemandModelParams, readonly backend: string,
    /** Rows the analogs and category curves may use (all by default; the backtest restricts them). */
    readonly allow?: (row: number) => boolean) {
    this.weeks = encoder.state.weeks;
    this.stats = store.curveStats(allow);
  }

  /** Analogs and raw features of one launch. */
  prepare(p: LaunchFeatures, hits?: AnalogHit[]): PreparedForecast {
    const clean = sanitise(p, this.encoder.state.globalMedianPrice);
    const found = hits ?? this.store.search(clean, this.params.k, this.params.minSimilarity, -1, this.allow);
    const category = this.encoder.categoryOf(clean.category);
    return { clean, hits: found, category, ...this.encoder.rawNumeric(clean, found, this.store, this.stats, -1, category) };
  }

  forecast(products: LaunchFeatures[]): DemandForecast[] {
    const cache = new Map<string, AnalogHit[]>();
    const prepared = products.map((p) => {
      const key = `${p.category}\u0001${p.brand}\u0001${p.title}\u0001${p.description}`;
      let hits = cache.get(key);
      if (!hits) {
        hits = this.store.search(sanitise(p, this.encoder.state.globalMedianPrice), this.params.k, this.params.minSimilarity, -1, this.allow);
        cache.set(key, hits);
      }
      return this.prepare(p, hits);
    });
    return this.forecastPrepared(prepared);
  }

  forecastPrepared(prepared: readonly PreparedForecast[]): DemandForecast[] {
    if (this.params.promotionEffect !== 'price') return this.forecastNetwork(prepared);
    // Promotions as price cuts: each promoted launch is forecast without promotion features at list
    // price, and its promotion weeks at the discounted price with its exposure × lift.
    const plain = prepared.map((p) => (isPromoted(p.clean) ? this.prepare(withoutPromotion(p.clean, p.clean.price), p.hits) : p));
    const out = this.forecastNetwork(plain);
    const cuts = this.promotionWeeks(prepared, this.params.promotionLift ?? 1);
    let k = 0;
    return prepared.map((p, i) => {
      const f = out[i];
      if (!isPromoted(p.clean)) return f;
      const cut = cuts[k++];
      for (let w = 0; w < Math.min(p.clean.promoWeeks, this.weeks); w++) {
        f.p10[w] = cut.p10[w];
        f.p50[w] = cut.p50[w];
        f.p90[w] = cut.p90[w];
        f.mean[w] = cut.mean[w];
      }
      return f;
    });
  }

  /**
   * For each promoted launch of `prepared` (in order), the forecast whose first promoWeeks weeks
   * stand for its promotion: no promotion features, the discounted price, exposure × lift.
   */
  promotionWeeks(prepared: readonly PreparedForecast[], lift: number): DemandForecast[] {
    return this.forecastNetwork(prepared.filter((p) => isPromoted(p.clean))
      .map((p) => this.prepare(withoutPromotion(p.clean, p.clean.price * (1 - p.clean.discount), lift), p.hits)));
  }

  private forecastNetwork(prepared: readonly PreparedForecast[]): DemandForecast[] {
    const n = prepared.length;
    if (n === 0) return [];
    const W = this.weeks;
    const batch = this.encoder.encode(prepared.map((_, i) => ({ p: prepared[i].clean, numeric: prepared[i].numeric, prior: prepared[i].prior, category: prepared[i].category })));
    const raw = tf.tidy(() => (this.network.predict(batchTensors(batch), { batchSize: Math.max(1, n) }) as tf.Tensor).dataSync() as Float32Array);
    const { z10, z50, z90, logMean } = composeQuantiles(raw, n, W);
    const band = { lower: this.params.bandLower, upper: this.params.bandUpper, medianShift: this.params.medianShift ?? 0 };
    return prepared.map((_, i) => {
      const { hits, category } = prepared[i];
      const f: DemandForecast = { p10: [], p50: [], p90: [], mean: [], analogs: this.analogs(hits), fallback: this.fallbackOf(hits, category) };
      for (let w = 0; w < W; w++) {
        let z = [z10[i * W + w], z50[i * W + w], z90[i * W + w]];
        if (!z.every(Number.isFinite)) z = [0, 0, 1];
        const [p10, p50, p90] = countQuantiles(z[0], z[1], z[2], band);
        f.p10.push(p10);
        f.p50.push(p50);
        f.p90.push(p90);
        f.mean.push(Math.exp(logMean[i * W + w]));
      }
      return f;
    });
  }

  fallbackOf(hits: readonly AnalogHit[], category: number): ForecastFallback {
    if (hits.length > 0) return 'NONE';
    return category > 0 && (this.stats.counts.get(category) ?? 0) > 0 ? 'CATEGORY' : 'GLOBAL';
  }

  analogs(hits: readonly AnalogHit[]): Analog[] {
    return hits.map((h) => ({
      productId: this.store.rows.productId[h.row], similarity: Math.round(h.similarity * 1e4) / 1e4, weeklyUnits: this.store.weeklyUnits(h.row),
    }));
  }

  async toBytes(): Promise<Uint8Array> {
    return serializeDemandModel(this);
  }

  describe(): { params: Record<string, unknown>; featureSchema: Record<string, unknown> } {
    const { network, ...rest } = this.params;
    return {
      params: { ...rest, hidden: network.hidden, embeddingDim: network.embeddingDim, textDim: network.textDim, dropout: network.dropout, l2: network.l2, seed: network.seed },
      featureSchema: featureSchemaOf(this),
    };
  }
}

export function featureSchemaOf(m: LaunchDemandModel): Record<string, unknown> {
  return {
    weeks: m.weeks, quantiles: [0.1, 0.5, 0.9], target: 'log1p(weekly units)', backend: m.backend,
    categories: m.encoder.state.categories.length, brands: m.encoder.state.brands.length,
    numeric: m.encoder.state.mean.length, analogStore: m.store.size,
  };
}

/** Defensive copy with finite, in-range values (odd inputs must still give a forecast). */
function isPromoted(c: LaunchFeatures): boolean {
  return c.discount > 0 && c.promoWeeks > 0;
}

function withoutPromotion(c: LaunchFeatures, price: number, exposure = 1): LaunchFeatures {
  return { ...c, price, discount: 0, promoWeeks: 0, weeklyImpressions: c.weeklyImpressions * exposure };
}

export function sanitise(p: LaunchFeatures, globalMedian: number): LaunchFeatures {
  const finite = (x: number, d: number) => (Number.isFinite(x) ? x : d);
  const t = p.launchDate instanceof Date ? p.launchDate.getTime() : NaN;
  return {
    category: p.category ?? null, brand: p.brand ?? null, title: p.title ?? '', description: p.description ?? '',
    price: Math.max(0.01, finite(p.price, globalMedian)),
    categoryMedianPrice: p.categoryMedianPrice !== null && Number.isFinite(p.categoryMedianPrice) && p.categoryMedianPrice > 0 ? p.categoryMedianPrice : null,
    discount: Math.min(0.95, Math.max(0, finite(p.discount, 0))),
    promoWeeks: Math.max(0, Math.round(finite(p.promoWeeks, 0))),
    launchDate: new Date(Number.isFinite(t) ? t : 0),
    weeklyImpressions: Math.max(0, finite(p.weeklyImpressions, 0)),
  };
}
