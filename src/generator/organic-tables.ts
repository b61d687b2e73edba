// Which products organic lists (home, category, search, recommendations) draw from on a given day:
// products past their launch window, weighted by Zipf popularity. Rebuilt weekly; between rebuilds a
// product whose window just ended waits for the next rebuild, which the launch truth does not depend on.
import { AliasTable, type Rng } from './random';
import { LATENT_DIM, type World } from './types';

/** Sharpness of category choice by taste (softmax temperature⁻¹ on taste·centroid). */
const CATEGORY_TASTE = 2.0;

export class OrganicTables {
  private global: AliasTable | null = null;
  private byCategory: (AliasTable | null)[] = [];
  private categoryLogSize: Float64Array;
  private readonly world: World;
  /** Cumulative category weights of `cachedShopper` under tables `cachedVersion`. */
  private readonly scratch: Float64Array;
  private cumTotal = 0;
  private cachedShopper = -1;
  private cachedVersion = -1;
  private version = 0;
  private readonly centroids: Float64Array;

  constructor(world: World) {
    this.world = world;
    this.categoryLogSize = new Float64Array(world.categories.length);
    this.scratch = new Float64Array(world.categories.length);
    this.centroids = new Float64Array(world.categories.length * LATENT_DIM);
    world.categories.forEach((c, k) => this.centroids.set(c.centroid, k * LATENT_DIM));
  }

  /** Makes the tables reflect the products in organic circulation on `day`. */
  rebuild(day: number): void {
    const { catalog, categories } = this.world;
    this.version++;
    const ids: number[] = [];
    const perCat: number[][] = categories.map(() => []);
    for (let j = 0; j < catalog.count; j++) {
      if (catalog.organicFromDay[j] > day) continue;
      ids.push(j);
      perCat[catalog.category[j]].push(j);
    }
    const pop = catalog.popularity;
    this.global = ids.length ? new AliasTable(Float64Array.from(ids, (j) => pop[j]), Int32Array.from(ids)) : null;
    this.byCategory = perCat.map((list) =>
      list.length ? new AliasTable(Float64Array.from(list, (j) => pop[j]), Int32Array.from(list)) : null,
    );
    // Bigger categories get more visits, other things equal.
    perCat.forEach((list, c) => (this.categoryLogSize[c] = list.length ? 0.5 * Math.log(list.length) : -Infinity));
  }

  get hasProducts(): boolean {
    return this.global !== null;
  }

  /** A product for the home page (or a direct landing): store-wide popularity. -1 if none yet. */
  home(rng: Rng): number {
    return this.global ? this.global.sample(rng) : -1;
  }

  /** A product of category c by popularity, -1 if the category has none in circulation. */
  inCategory(rng: Rng, c: number): number {
    const t = this.byCategory[c];
    return t ? t.sample(rng) : -1;
  }

  /**
   * A category the shopper browses: softmax of taste·centroid (plus category size). -1 if none. The
   * weights are kept for the last shopper asked about, since a session asks several times.
   */
  chooseCategory(rng: Rng, shopper: number): number {
    if (shopper !== this.cachedShopper || this.version !== this.cachedVersion) this.categoryWeights(shopper);
    if (!(this.cumTotal > 0)) return -1;
    const r = rng.next() * this.cumTotal;
    const cum = this.scratch;
    for (let c = 0; c < cum.length; c++) if (r < cum[c]) return c;
    return cum.length - 1;
  }

  private categoryWeights(shopper: number): void {
    const u = this.world.population.latent;
    const o = shopper * LATENT_DIM;
    const cen = this.centroids;
    const n = this.scratch.length;
    let max = -Infinity;
    for (let c = 0; c < n; c++) {
      let dot = 0;
      for (let k = 0; k < LATENT_DIM; k++) dot += u[o + k] * cen[c * LATENT_DIM + k];
      const s = CATEGORY_TASTE * dot + this.categoryLogSize[c];
      this.scratch[c] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let c = 0; c < n; c++) {
      total += max === -Infinity ? 0 : Math.exp(this.scratch[c] - max);
      this.scratch[c] = total; // cumulative
    }
    this.cumTotal = total;
    this.cachedShopper = shopper;
    this.cachedVersion = this.version;
  }
}
