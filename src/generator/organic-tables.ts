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
  private readonly scratch: Float64Array;

  constructor(world: World) {
    this.world = world;
    this.categoryLogSize = new Float64Array(world.categories.length);
    this.scratch = new Float64Array(world.categories.length);
  }

  /** Makes the tables reflect the products in organic circulation on `day`. */
  rebuild(day: number): void {
    const { catalog, categories } = this.world;
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

  /** A category the shopper browses: softmax of taste·centroid (plus category size). -1 if none. */
  chooseCategory(rng: Rng, shopper: number): number {
    const { categories, population } = this.world;
    const u = population.latent;
    const o = shopper * LATENT_DIM;
    let max = -Infinity;
    for (let c = 0; c < categories.length; c++) {
      const cen = categories[c].centroid;
      let dot = 0;
      for (let k = 0; k < LATENT_DIM; k++) dot += u[o + k] * cen[k];
      const s = CATEGORY_TASTE * dot + this.categoryLogSize[c];
      this.scratch[c] = s;
      if (s > max) max = s;
    }
    if (max === -Infinity) return -1;
    let total = 0;
    for (let c = 0; c < categories.length; c++) {
      const e = Math.exp(this.scratch[c] - max);
      this.scratch[c] = e;
      total += e;
    }
    let r = rng.next() * total;
    for (let c = 0; c < categories.length; c++) {
      r -= this.scratch[c];
      if (r < 0) return c;
    }
    return categories.length - 1;
  }
}
