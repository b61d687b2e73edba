// One shopping session: which products a shopper is shown, where and in which slot. A session may open
// on a product page (direct landing), shows the new-arrivals row when launches were assigned to it, and
// then visits one or more lists: home (store-wide popularity), category (a category the shopper likes),
// search (for one of their staples — the repurchase path — or a category), recommendations under a
// product they opened. Shoppers with staples usually see them first on the home page ("buy again").
// A product is shown at most once per session, so (session, product) identifies an exposure. What
// happens after an exposure (funnel, purchase) is the sink's business, so the same code drives the
// real simulation, the pilot that calibrates traffic and the imaginary sessions behind customer truth.
import { DIRECT, NEW_ARRIVALS, PLACEMENT_CODE, discountOnDay, purchaseLogit, sigmoid } from './purchase-model';
import type { OrganicTables } from './organic-tables';
import type { Rng } from './random';
import type { World } from './types';

const HOME = PLACEMENT_CODE['home'];
const CATEGORY = PLACEMENT_CODE['category'];
const SEARCH = PLACEMENT_CODE['search'];
const PDP_RECS = PLACEMENT_CODE['pdp_recs'];

const DIRECT_LANDING_RATE = 0.12;
const BUY_AGAIN_RATE = 0.8;
const BUY_AGAIN_ITEMS = 2;
const EXTRA_LISTS_MEAN = 1.0;
const LIST_LENGTH = { home: 6, category: 8, search: 6, recs: 4 };
const MAX_SHOWN = 256;

export interface ExposureSink {
  /**
   * One product shown to the shopper with true purchase probability p and the effective unit price.
   * Returns whether the shopper opened the product page (recommendations may then follow).
   */
  exposure(product: number, placement: number, position: number, at: number, p: number, unitPrice: number): boolean;
}

export class SessionBuilder {
  private readonly shown = new Int32Array(MAX_SHOWN);
  private nShown = 0;
  private readonly draws = new Int32Array(16);
  private readonly leads = new Int32Array(8);
  private placedLeads = 0;
  private readonly world: World;
  private readonly tables: OrganicTables;

  constructor(world: World, tables: OrganicTables) {
    this.world = world;
    this.tables = tables;
  }

  /**
   * Runs a session of `shopper` starting at `start` on `day`. `launches` holds product ids for the
   * new-arrivals row and `launchPositions` their slots. Returns the time of the last list.
   */
  run(rng: Rng, shopper: number, day: number, start: number, launches: readonly number[],
    launchPositions: readonly number[], sink: ExposureSink): number {
    this.nShown = 0;
    let t = start;
    let anchor = -1;
    const staple = this.organicStaple(rng, shopper, day);

    if (rng.next() < DIRECT_LANDING_RATE) {
      const j = staple >= 0 && rng.next() < 0.5 ? staple : this.tables.home(rng);
      if (j >= 0 && this.expose(sink, shopper, j, DIRECT, 0, t, day)) anchor = j;
    }
    // Each launch keeps its desired slot: when two want the same slot, the second is shown on a later
    // load of the row (the shopper came back to the home page), so slots follow the budget exactly.
    if (launches.length > 0) {
      const rendering = this.renderings(launchPositions);
      const loads = rendering.reduce((m, r) => Math.max(m, r + 1), 0);
      for (let r = 0; r < loads; r++) {
        t += rng.uniform(5, 40) * 1000;
        for (let k = 0; k < launches.length; k++) {
          if (rendering[k] !== r) continue;
          const pos = launchPositions[k];
          if (this.expose(sink, shopper, launches[k], NEW_ARRIVALS, pos, t + pos * 800, day)) anchor = launches[k];
        }
      }
    }
    const lists = 1 + rng.poisson(EXTRA_LISTS_MEAN);
    for (let l = 0; l < lists; l++) {
      t += rng.uniform(15, 90) * 1000;
      if (l === 0 && staple >= 0 && rng.next() < this.world.population.stapleSearch[shopper]) {
        // A search for one of their usual items: it comes first, similar items follow.
        const c = this.world.catalog.category[staple];
        this.leads[0] = staple;
        const n = this.drawList(rng, 1, (g) => this.tables.inCategory(g, c), LIST_LENGTH.search);
        anchor = this.showList(sink, shopper, SEARCH, n, t, day, anchor);
        continue;
      }
      const r = rng.next();
      if (r < 0.35) {
        // Signed-in shoppers with staples usually get a "buy again" start to the home page.
        const leads = rng.next() < BUY_AGAIN_RATE ? this.organicStaples(shopper, day, BUY_AGAIN_ITEMS) : 0;
        const n = this.drawList(rng, leads, (g) => this.tables.home(g), LIST_LENGTH.home);
        this.sortByPopularity(n, this.placedLeads);
        anchor = this.showList(sink, shopper, HOME, n, t, day, anchor);
      } else if (r < 0.85 || anchor < 0) {
        const c = this.tables.chooseCategory(rng, shopper);
        if (c < 0) continue;
        const isSearch = r >= 0.7 && r < 0.85;
        const n = this.drawList(rng, 0, (g) => this.tables.inCategory(g, c), isSearch ? LIST_LENGTH.search : LIST_LENGTH.category);
        if (!isSearch) this.sortByPopularity(n);
        anchor = this.showList(sink, shopper, isSearch ? SEARCH : CATEGORY, n, t, day, anchor);
      } else {
        const c = this.world.catalog.category[anchor];
        const n = this.drawList(rng, 0, (g) => this.tables.inCategory(g, c), LIST_LENGTH.recs);
        anchor = this.showList(sink, shopper, PDP_RECS, n, t, day, anchor);
      }
    }
    return t;
  }

  /** For each launch item, the first load of the row whose slot it wants is still free. */
  private renderings(positions: readonly number[]): number[] {
    const used: Set<number>[] = [];
    return positions.map((pos) => {
      let r = 0;
      while (used[r]?.has(pos)) r++;
      (used[r] ??= new Set()).add(pos);
      return r;
    });
  }

  /** A staple of the shopper that is in organic circulation, or -1. */
  private organicStaple(rng: Rng, shopper: number, day: number): number {
    const pop = this.world.population;
    const from = pop.stapleStart[shopper];
    const n = pop.stapleStart[shopper + 1] - from;
    if (n === 0) return -1;
    const j = pop.stapleProduct[from + rng.int(n)];
    return this.world.catalog.organicFromDay[j] <= day ? j : -1;
  }

  /** Up to `max` of the shopper's staples in organic circulation, written to `leads`; returns the count. */
  private organicStaples(shopper: number, day: number, max: number): number {
    const pop = this.world.population;
    let n = 0;
    for (let k = pop.stapleStart[shopper]; k < pop.stapleStart[shopper + 1] && n < max; k++) {
      const j = pop.stapleProduct[k];
      if (this.world.catalog.organicFromDay[j] <= day) this.leads[n++] = j;
    }
    return n;
  }

  /**
   * Fills `draws` with a list of up to `length` distinct products not yet shown in the session: the
   * first `nLeads` entries of `leads`, then draws. Returns the list length.
   */
  private drawList(rng: Rng, nLeads: number, draw: (rng: Rng) => number, length: number): number {
    let n = 0;
    for (let k = 0; k < nLeads; k++) {
      const j = this.leads[k];
      if (this.seen(j)) continue;
      this.draws[n++] = j;
      this.markShown(j);
    }
    this.placedLeads = n;
    // Three tries per slot: small categories simply give shorter lists.
    for (let slot = n; slot < length; slot++) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const j = draw(rng);
        if (j < 0) return n;
        if (this.seen(j)) continue;
        this.draws[n++] = j;
        this.markShown(j);
        break;
      }
    }
    return n;
  }

  /** Orders draws[from..n) by popularity, most popular first (lists are ranked, not random). */
  private sortByPopularity(n: number, from = 0): void {
    const pop = this.world.catalog.popularity;
    const d = this.draws;
    for (let a = from + 1; a < n; a++) {
      const x = d[a];
      let b = a - 1;
      while (b >= from && pop[d[b]] < pop[x]) {
        d[b + 1] = d[b];
        b--;
      }
      d[b + 1] = x;
    }
  }

  private showList(sink: ExposureSink, shopper: number, placement: number, n: number, t: number,
    day: number, anchor: number): number {
    let next = anchor;
    for (let pos = 0; pos < n; pos++) {
      const j = this.draws[pos];
      if (this.report(sink, shopper, j, placement, pos, t + pos * 700, day)) next = j;
    }
    return next;
  }

  private expose(sink: ExposureSink, shopper: number, j: number, placement: number, pos: number,
    t: number, day: number): boolean {
    if (this.seen(j)) return false;
    this.markShown(j);
    return this.report(sink, shopper, j, placement, pos, t, day);
  }

  private report(sink: ExposureSink, shopper: number, j: number, placement: number, pos: number, t: number,
    day: number): boolean {
    const discount = discountOnDay(this.world, j, day);
    const p = sigmoid(purchaseLogit(this.world, shopper, j, placement, pos, day, discount));
    const unitPrice = Math.round(this.world.catalog.price[j] * (1 - discount) * 100) / 100;
    return sink.exposure(j, placement, pos, t, p, unitPrice);
  }

  private seen(j: number): boolean {
    for (let k = 0; k < this.nShown; k++) if (this.shown[k] === j) return true;
    return false;
  }

  private markShown(j: number): void {
    if (this.nShown < MAX_SHOWN) this.shown[this.nShown++] = j;
  }
}
