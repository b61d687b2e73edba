// Categories, brands and products. Prices sit around a category price level, shifted by brand tier and
// quality; launches are spread over the history (more before the holidays), and a bit over half of the
// catalogue predates the data (censored). Organic popularity is Zipf over a quality-correlated rank, so
// a few head products take most of the exposure and the rest form a long tail.
import { AliasTable, type Rng } from './random';
import { DAY_MS, HISTORY_DAYS, HISTORY_START_MS } from './calendar';
import { productText } from './product-text';
import type { SizePreset } from './sizes';
import { LATENT_DIM, LAUNCH_WINDOW_DAYS, type Brand, type Catalog, type Category } from './types';
import { brandName, DEPARTMENTS } from './vocabulary';

const CENSORED_SHARE = 0.55;
const PROMO_SHARE = 0.35;
const PROMO_DISCOUNTS = [0.1, 0.15, 0.2, 0.25, 0.3];
/** Zipf exponent of organic exposure over the popularity rank. */
const POPULARITY_EXPONENT = 1.25;
/** Length of every category centroid in latent space. */
const CENTROID_NORM = 1.2;

export function buildCategories(rng: Rng, count: number): Category[] {
  const departments = rng.shuffle(DEPARTMENTS.map((d) => ({ d, leaves: rng.shuffle([...d.leaves]) })));
  const out: Category[] = [];
  for (let k = 0; k < count; k++) {
    const { d, leaves } = departments[k % departments.length];
    const spec = leaves[Math.floor(k / departments.length) % leaves.length];
    // A random direction of fixed length: no category is a heavyweight by chance.
    const centroid = new Float64Array(LATENT_DIM);
    let norm = 0;
    for (let i = 0; i < LATENT_DIM; i++) {
      centroid[i] = rng.normal();
      norm += centroid[i] * centroid[i];
    }
    for (let i = 0; i < LATENT_DIM; i++) centroid[i] *= CENTROID_NORM / Math.sqrt(norm);
    const baseReturn = d.name === 'Apparel' ? 0.12 : d.name === 'Food' ? 0.01 : 0.05;
    out.push({
      index: k,
      path: `${d.name} > ${spec.leaf}`,
      department: d.name,
      leaf: spec.leaf,
      priceLevel: spec.price * Math.exp(0.15 * rng.normal()),
      elasticity: rng.uniform(0.7, 1.8),
      returnRate: baseReturn * rng.uniform(0.6, 1.4),
      consumable: spec.consumable === true,
      centroid,
      nouns: spec.nouns,
      materials: spec.materials,
    });
  }
  return out;
}

export function buildBrands(rng: Rng, categories: readonly Category[]): Brand[] {
  const perDepartment = new Map<string, number>();
  for (const c of categories) perDepartment.set(c.department, (perDepartment.get(c.department) ?? 0) + 1);
  const brands: Brand[] = [];
  for (const [department, leaves] of perDepartment) {
    const n = Math.min(14, 2 + 2 * leaves);
    for (let b = 0; b < n; b++) {
      brands.push({
        index: brands.length,
        name: brandName(brands.length),
        department,
        quality: 0.5 * rng.normal(),
        priceTier: 0.35 * rng.normal(),
      });
    }
  }
  return brands;
}

function roundPrice(raw: number): number {
  if (raw < 10) return Math.max(0.99, Math.round(raw * 2) / 2 - 0.01);
  return Math.round(raw) - 0.01;
}

/** Launch-day weights inside the history: the catalogue grows, and autumn brings new ranges. */
function launchDayTable(): AliasTable {
  const w = new Float64Array(HISTORY_DAYS);
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const month = new Date(HISTORY_START_MS + d * DAY_MS).getUTCMonth();
    w[d] = (1 + (0.5 * d) / HISTORY_DAYS) * (month >= 8 && month <= 10 ? 1.4 : 1);
  }
  return new AliasTable(w);
}

/**
 * Products ordered by creation (so external ids increase with age, as in a real shop). The launch-slot
 * budget `weeklyImpressions` is a relative multiplier here; buildWorld scales it to the shop's traffic.
 */
export function buildCatalog(rng: Rng, preset: SizePreset, categories: readonly Category[],
  brands: readonly Brand[]): Catalog {
  const n = preset.products;
  // Uneven category sizes, each category keeping at least two products.
  const catWeights = categories.map(() => rng.gamma(1.5, 1));
  const catTable = new AliasTable(catWeights);
  const dayTable = launchDayTable();
  const draft: { cat: number; launch: number; created: number; censored: boolean }[] = [];
  for (let j = 0; j < n; j++) {
    const cat = j < 2 * categories.length ? j % categories.length : catTable.sample(rng);
    const censored = rng.bernoulli(CENSORED_SHARE);
    const launch = censored
      ? HISTORY_START_MS - rng.uniform(0, 730) * DAY_MS
      : HISTORY_START_MS + (dayTable.sample(rng) + rng.next()) * DAY_MS;
    draft.push({ cat, launch, created: launch - rng.uniform(1, 30) * DAY_MS, censored });
  }
  draft.sort((a, b) => a.created - b.created);

  const brandsByDept = new Map<string, Brand[]>();
  for (const b of brands) brandsByDept.set(b.department, [...(brandsByDept.get(b.department) ?? []), b]);
  const brandTables = new Map<string, AliasTable>();
  for (const [dept, list] of brandsByDept) brandTables.set(dept, new AliasTable(list.map((_, k) => 1 / (k + 1))));

  const catalog: Catalog = {
    count: n,
    externalId: new Array<string>(n),
    title: new Array<string>(n),
    description: new Array<string>(n),
    tags: new Array<string>(n),
    category: new Int32Array(n),
    brand: new Int32Array(n),
    price: new Float64Array(n),
    cost: new Float64Array(n),
    stock: new Int32Array(n),
    createdAt: new Float64Array(n),
    launchedAt: new Float64Array(n),
    launchDay: new Int32Array(n),
    censored: new Uint8Array(n),
    quality: new Float64Array(n),
    latent: new Float64Array(n * LATENT_DIM),
    logRelPrice: new Float64Array(n),
    popularity: new Float64Array(n),
    organicFromDay: new Int32Array(n),
    promoDiscount: new Float64Array(n),
    promoWeeks: new Int32Array(n),
    weeklyImpressions: new Float64Array(n),
  };
  const idWidth = Math.max(5, String(n).length);

  for (let j = 0; j < n; j++) {
    const { cat, launch, created, censored } = draft[j];
    const category = categories[cat];
    const deptBrands = brandsByDept.get(category.department) ?? [];
    const brand = deptBrands[brandTables.get(category.department)!.sample(rng)];
    const o = j * LATENT_DIM;
    for (let k = 0; k < LATENT_DIM; k++) catalog.latent[o + k] = category.centroid[k] + 0.45 * rng.normal();
    const quality = brand.quality + 0.45 * rng.normal();
    const price = roundPrice(category.priceLevel * Math.exp(0.35 * rng.normal() + brand.priceTier + 0.15 * quality));
    const text = productText(rng, category, brand, quality, catalog.latent, o);

    catalog.externalId[j] = `P${String(j + 1).padStart(idWidth, '0')}`;
    catalog.title[j] = text.title;
    catalog.description[j] = text.description;
    catalog.tags[j] = text.tags;
    catalog.category[j] = cat;
    catalog.brand[j] = brand.index;
    catalog.price[j] = price;
    catalog.cost[j] = Math.round(price * rng.uniform(0.3, 0.62) * 100) / 100;
    catalog.createdAt[j] = created;
    catalog.launchedAt[j] = launch;
    catalog.launchDay[j] = Math.floor((launch - HISTORY_START_MS) / DAY_MS);
    catalog.censored[j] = censored ? 1 : 0;
    catalog.quality[j] = quality;
    catalog.logRelPrice[j] = Math.log(price / category.priceLevel);
    catalog.organicFromDay[j] = catalog.launchDay[j] + LAUNCH_WINDOW_DAYS;
    if (rng.bernoulli(PROMO_SHARE)) {
      catalog.promoDiscount[j] = rng.pick(PROMO_DISCOUNTS);
      catalog.promoWeeks[j] = rng.intBetween(1, 4);
    }
    catalog.weeklyImpressions[j] = rng.logUniform(0.1, 10);
  }

  // Organic popularity: Zipf over a rank that better products tend to win.
  const score = Array.from({ length: n }, (_, j) => ({ j, s: catalog.quality[j] + 0.8 * rng.normal() }));
  score.sort((a, b) => b.s - a.s);
  let maxW = 0;
  score.forEach(({ j }, rank) => {
    catalog.popularity[j] = 1 / Math.pow(rank + 1, POPULARITY_EXPONENT);
    maxW = Math.max(maxW, catalog.popularity[j]);
  });
  for (let j = 0; j < n; j++) {
    const head = catalog.popularity[j] / maxW;
    catalog.stock[j] = rng.bernoulli(0.06) ? 0 : Math.round(rng.gamma(2, 8) * (1 + 40 * head));
  }
  return catalog;
}
