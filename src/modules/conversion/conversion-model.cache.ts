// Loaded conversion models, per version, shared by the API (online predictions) and the workers
// (batch scoring). A model is loaded once from its stored artifact; products created after training
// are appended from the current catalogue (scored from content), re-checked at most every 30 s or
// at once after a product write (productsChanged). The cache keeps the most recently used models;
// one it lets go of is disposed only after a grace period, since a request that got it a moment
// ago may still be awaiting the database before it scores.
import { initBackend } from '../../ml/backend';
import type { ConversionModel } from '../../ml/conversion/model';
import { extendProductFeatures } from '../../ml/conversion/product-features';
import { deserializeConversionModel } from '../../ml/conversion/serialize';
import type { ModelService } from '../models/model.service';
import { unwrapConversionArtifact } from './conversion-artifact';
import type { ConversionDataRepository } from './conversion-data.repository';
import { productRow } from './conversion-dataset.builder';

export interface LoadedConversionModel {
  merchantId: number;
  versionId: number;
  version: number;
  model: ConversionModel;
  productIds: number[];
  /** Products the model was trained with; later ones are scored from content alone. */
  trainedProducts: number;
  productIndex: Map<number, number>;
  customerIndex: Map<number, number>;
  checkedAt: number;
  loadedAt: number;
}

const REFRESH_MS = 30_000;
const RELOAD_MS = 10 * 60_000;
const ACTIVE_TTL_MS = 5_000;
const MAX_MODELS = 4;
/** How long a model the cache let go of stays usable by requests that already hold it. */
const DISPOSE_GRACE_MS = 60_000;

export class ConversionModelCache {
  private readonly loaded = new Map<number, Promise<LoadedConversionModel>>();
  private readonly activeIds = new Map<number, { id: number | null; until: number }>();

  private readonly reloadMs: number;

  constructor(private readonly models: ModelService, private readonly data: ConversionDataRepository, o: { reloadMs?: number } = {}) {
    this.reloadMs = o.reloadMs ?? RELOAD_MS;
  }

  /** The merchant's active conversion model, or null when none was promoted yet. */
  async active(merchantId: number): Promise<LoadedConversionModel | null> {
    let hit = this.activeIds.get(merchantId);
    if (!hit || hit.until < Date.now()) {
      const v = await this.models.active(merchantId, 'CONVERSION');
      hit = { id: v?.id ?? null, until: Date.now() + ACTIVE_TTL_MS };
      this.activeIds.set(merchantId, hit);
    }
    return hit.id === null ? null : this.version(merchantId, hit.id);
  }

  /** A specific version (batch scoring pins the version it was started with). */
  async version(merchantId: number, versionId: number): Promise<LoadedConversionModel> {
    let p = this.loaded.get(versionId);
    const cached = p !== undefined;
    if (p) {
      // Most recently used last: eviction takes the least recently used.
      this.loaded.delete(versionId);
      this.loaded.set(versionId, p);
    } else {
      p = this.load(merchantId, versionId);
      this.loaded.set(versionId, p);
      const loading = p;
      p.catch(() => { if (this.loaded.get(versionId) === loading) this.loaded.delete(versionId); });
      while (this.loaded.size > MAX_MODELS) {
        const [oldest, entry] = this.loaded.entries().next().value as [number, Promise<LoadedConversionModel>];
        this.loaded.delete(oldest);
        this.retire(entry);
      }
    }
    const m = await p;
    // Version ids are global: a cached model of another merchant is as good as absent.
    if (m.merchantId !== merchantId) throw new Error(`Model version ${versionId} has no artifact`);
    if (cached && Date.now() - m.loadedAt >= this.reloadMs) {
      // Stored artifacts can change after loading (erasure scrubs them): reload now and then. Of
      // the callers that find it stale, only the first retires it; the others load the fresh one.
      if (this.loaded.get(versionId) === p) {
        this.loaded.delete(versionId);
        this.retire(p);
      }
      return this.version(merchantId, versionId);
    }
    if (Date.now() - m.checkedAt > REFRESH_MS) await this.appendProducts(merchantId, m);
    return m;
  }

  /** Disposes a model the cache no longer holds, once requests that already got it are done. */
  private retire(entry: Promise<LoadedConversionModel>): void {
    void entry.then((m) => {
      setTimeout(() => {
        try {
          m.model.dispose();
        } catch {
          // Already disposed (clear() and a retirement can meet): nothing left to free.
        }
      }, DISPOSE_GRACE_MS).unref();
    }, () => undefined);
  }

  /** A merchant's products were written: loaded models look for new ones on their next use. */
  productsChanged(merchantId: number): void {
    for (const p of this.loaded.values()) {
      void p.then((m) => { if (m.merchantId === merchantId) m.checkedAt = 0; }, () => undefined);
    }
  }

  private async load(merchantId: number, versionId: number): Promise<LoadedConversionModel> {
    await initBackend();
    const row = await this.models.get(merchantId, versionId);
    const bytes = row ? await this.models.artifact(merchantId, versionId) : null;
    if (!row || !bytes) throw new Error(`Model version ${versionId} has no artifact`);
    const a = unwrapConversionArtifact(bytes);
    const model = await deserializeConversionModel(a.ml);
    const productIds = Array.from(a.productIds);
    const m: LoadedConversionModel = {
      merchantId, versionId, version: row.version, model, productIds, trainedProducts: productIds.length,
      productIndex: new Map(productIds.map((id, i) => [id, i])),
      customerIndex: new Map(Array.from(a.customerIds, (id, i) => [id, i])),
      checkedAt: 0,
      loadedAt: Date.now(),
    };
    await this.appendProducts(merchantId, m);
    return m;
  }

  /**
   * Products created after training join the model's catalogue, scored from their content: every
   * new one, or just `ids` (a caller that needs products created a moment ago, e.g. a launch's drafts).
   */
  async appendProducts(merchantId: number, m: LoadedConversionModel, ids?: number[]): Promise<void> {
    if (!ids) m.checkedAt = Date.now();
    const rows = await this.data.products(merchantId, ids);
    const fresh = rows.filter((p) => !m.productIndex.has(p.id));
    if (fresh.length === 0) return;
    m.model.updateProducts(extendProductFeatures(m.model.products, fresh.map(productRow)));
    for (const p of fresh) {
      m.productIndex.set(p.id, m.productIds.length);
      m.productIds.push(p.id);
    }
  }

  /** Forgets cached models (after erasure or in tests); requests holding one finish with it. */
  clear(): void {
    for (const p of this.loaded.values()) this.retire(p);
    this.loaded.clear();
    this.activeIds.clear();
  }
}
