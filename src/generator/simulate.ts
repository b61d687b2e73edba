// The day-by-day simulation. Each day: shoppers who signed up join and churned ones leave the session
// sampler; the day's sessions are drawn (Poisson in total, each shopper in proportion to visit rate ×
// seasonal traffic); launch-slot impressions are spread over them; every session is played through
// the shared SessionBuilder with this class as its sink, which writes the funnel events
// (impression → view → click → add_to_cart → purchase, each step drawn so that purchase happens with
// exactly the true probability) and turns purchases into orders. Planted brushing orders join on their
// day. Output is streamed one day at a time, so memory does not grow with the number of events.
import { brushingOrders, type BrushingOrder } from './anomalies';
import { DAY_MS, HOUR_WEIGHTS, dayStartMs, trafficFactor, weekdayShare } from './calendar';
import { csvField, formatTimestamp, type CsvWriter } from './csv-writer';
import { FenwickSampler } from './fenwick';
import { customerId, eventId, orderId, sessionId } from './ids';
import { launchPositionDistribution, sampleLaunchPosition } from './launch-slot';
import { OrganicTables } from './organic-tables';
import { brushingOrder, buildOrder, type Order, type Purchase } from './orders';
import { DIRECT, PLACEMENTS, viewProbability } from './purchase-model';
import { AliasTable, Rng } from './random';
import { SessionBuilder, type ExposureSink } from './session';
import { launchShowProbability } from './traffic';
import { LAUNCH_WINDOW_DAYS, type World } from './types';

export interface SimulationWriters {
  events: CsvWriter;
  orders: CsvWriter;
  exposures: CsvWriter;
  anomalies: CsvWriter;
}

export interface SimulationCounts {
  sessions: number;
  anonymousSessions: number;
  events: number;
  exposures: number;
  purchases: number;
  orders: number;
  guestOrders: number;
  orderRows: number;
  brushingOrders: number;
  launchImpressions: number;
}

interface DaySession {
  shopper: number;
  start: number;
  brushing: BrushingOrder | null;
  launches: number[];
  positions: number[];
}

/** Deterministic 1-in-k subsampling of exposures by event number (no random draws consumed). */
function keepExposure(n: number, rate: number): boolean {
  if (rate >= 1) return true;
  return (Math.imul(n, 0x9e3779b1) >>> 0) / 4294967296 < rate;
}

export class Simulation implements ExposureSink {
  readonly counts: SimulationCounts = {
    sessions: 0, anonymousSessions: 0, events: 0, exposures: 0, purchases: 0, orders: 0, guestOrders: 0,
    orderRows: 0, brushingOrders: 0, launchImpressions: 0,
  };
  private readonly rng: Rng;
  private readonly tables: OrganicTables;
  private readonly builder: SessionBuilder;
  private readonly hourTable = new AliasTable(HOUR_WEIGHTS);
  private readonly positionTables = new Map<number, Float64Array>();
  private perm = new Int32Array(1024);
  // Current session, read by exposure().
  private customer = '';
  private session = '';
  private lastEventAt = 0;
  private purchases: Purchase[] = [];
  private dayOrders: Order[] = [];
  private nextEvent = 1;
  private nextSession = 1;
  private nextOrder = 1;

  constructor(private readonly world: World, private readonly out: SimulationWriters) {
    this.rng = Rng.derive(world.seed, 'simulation');
    this.tables = new OrganicTables(world);
    this.builder = new SessionBuilder(world, this.tables);
  }

  async run(onDay?: (day: number) => void): Promise<SimulationCounts> {
    const { world } = this;
    const pop = world.population;
    const sampler = new FenwickSampler(pop.total);
    const joins = bucketByDay(world.days, pop.total, (i) => (pop.visitRate[i] > 0 ? Math.max(0, pop.activeFromDay[i]) : -1));
    const leaves = bucketByDay(world.days, pop.total, (i) => (pop.visitRate[i] > 0 ? pop.activeToDay[i] : -1));
    const launchOrder = Array.from({ length: world.catalog.count }, (_, j) => j).sort(
      (a, b) => world.catalog.launchDay[a] - world.catalog.launchDay[b],
    );
    const planted = brushingOrders(Rng.derive(world.seed, 'brushing-orders'), world.brushing);
    let plantedNext = 0;
    let launchNext = 0;
    let activeLaunches: number[] = [];

    for (let day = 0; day < world.days; day++) {
      for (let k = joins.start[day]; k < joins.start[day + 1]; k++) {
        const i = joins.items[k];
        if (pop.activeToDay[i] > day) sampler.set(i, pop.visitRate[i]);
      }
      for (let k = leaves.start[day]; k < leaves.start[day + 1]; k++) sampler.set(leaves.items[k], 0);
      if (day % 7 === 0) {
        this.tables.rebuild(day);
        sampler.resum();
      }
      while (launchNext < launchOrder.length && world.catalog.launchDay[launchOrder[launchNext]] <= day) {
        activeLaunches.push(launchOrder[launchNext++]);
      }
      activeLaunches = activeLaunches.filter((j) => world.catalog.launchDay[j] + LAUNCH_WINDOW_DAYS > day);

      const sessions = this.drawSessions(sampler, day);
      while (plantedNext < planted.length && planted[plantedNext].at < dayStartMs(day + 1)) {
        const b = planted[plantedNext++];
        sessions.push({ shopper: b.customer, start: b.at, brushing: b, launches: [], positions: [] });
      }
      sessions.sort((a, b) => a.start - b.start);
      this.assignLaunches(sessions, activeLaunches, day);
      for (const s of sessions) this.playSession(s, day);
      this.flushOrders();
      onDay?.(day);
      await Promise.all([this.out.events.ready(), this.out.orders.ready(), this.out.exposures.ready(),
        this.out.anomalies.ready()]);
    }
    return this.counts;
  }

  private drawSessions(sampler: FenwickSampler, day: number): DaySession[] {
    const pop = this.world.population;
    const n = sampler.total > 0 ? this.rng.poisson(sampler.total * trafficFactor(day)) : 0;
    const out: DaySession[] = [];
    const dayStart = dayStartMs(day);
    for (let s = 0; s < n; s++) {
      const shopper = sampler.sample(this.rng.next());
      let start = dayStart + (this.hourTable.sample(this.rng) + this.rng.next()) * 3_600_000;
      // Day-granular activity: keep the session inside the shopper's own lifetime.
      if (start < pop.signupAt[shopper]) start = Math.min(dayStart + DAY_MS - 1000, pop.signupAt[shopper] + 60_000);
      if (start >= pop.dropoutAt[shopper]) start = Math.max(dayStart, pop.dropoutAt[shopper] - 60_000);
      out.push({ shopper, start, brushing: null, launches: [], positions: [] });
    }
    return out;
  }

  /**
   * The launch slot: each organic session shows each active launch independently with the probability
   * launchShowProbability gives (drawn as a binomial count of distinct sessions, chosen uniformly), at a
   * slot drawn from the launch's position distribution. Expected impressions are exactly what
   * trueLaunchDemand assumes.
   */
  private assignLaunches(sessions: DaySession[], launches: readonly number[], day: number): void {
    const organic = sessions.filter((s) => s.brushing === null);
    const n = organic.length;
    if (n === 0 || launches.length === 0) return;
    if (this.perm.length < n) this.perm = new Int32Array(Math.max(n, 2 * this.perm.length));
    const perm = this.perm;
    for (let k = 0; k < n; k++) perm[k] = k;
    const share = weekdayShare(day);
    for (const j of launches) {
      const budget = this.world.catalog.weeklyImpressions[j];
      const shown = this.rng.binomial(n, launchShowProbability(this.world, budget, share, day));
      let pi = this.positionTables.get(j);
      if (!pi) {
        pi = launchPositionDistribution(this.world, budget);
        this.positionTables.set(j, pi);
      }
      // Partial Fisher–Yates: the first `shown` entries become a uniform sample of distinct sessions.
      for (let k = 0; k < shown; k++) {
        const r = k + this.rng.int(n - k);
        const tmp = perm[k];
        perm[k] = perm[r];
        perm[r] = tmp;
        const s = organic[perm[k]];
        s.launches.push(j);
        s.positions.push(sampleLaunchPosition(this.rng, pi));
      }
      this.counts.launchImpressions += shown;
    }
  }

  private playSession(s: DaySession, day: number): void {
    const pop = this.world.population;
    const known = s.shopper < pop.customers;
    this.customer = known ? customerId(this.world, s.shopper) : '';
    this.session = sessionId(this.nextSession++);
    this.purchases = [];
    this.lastEventAt = s.start;
    if (s.brushing) {
      this.playBrushing(s.brushing);
      return;
    }
    this.counts.sessions++;
    if (!known) this.counts.anonymousSessions++;
    this.builder.run(this.rng, s.shopper, day, s.start, s.launches, s.positions, this);
    if (this.purchases.length === 0) return;
    const at = this.lastEventAt + this.rng.uniform(30, 180) * 1000;
    for (const p of this.purchases) this.event(p.product, 'purchase', '', '', at);
    this.counts.purchases += this.purchases.length;
    this.dayOrders.push(buildOrder(this.rng, this.world, known ? s.shopper : -1, s.shopper, at, this.purchases));
  }

  /** A brushing order: straight to the product page and out, no list impressions. */
  private playBrushing(b: BrushingOrder): void {
    this.event(b.product, 'view', '', '', b.at - 45_000);
    this.event(b.product, 'purchase', '', '', b.at);
    this.dayOrders.push(brushingOrder(this.world, b.customer, b.product, b.at, b.episode));
  }

  exposure(j: number, placement: number, position: number, at: number, p: number, unitPrice: number): boolean {
    const direct = placement === DIRECT;
    const placementName = PLACEMENTS[placement];
    const pos = direct ? '' : String(position);
    const n = this.event(j, direct ? 'view' : 'impression', placementName, pos, at);
    this.counts.exposures++;
    if (keepExposure(n, this.world.preset.exposureSampleRate)) {
      this.out.exposures.row(
        `${eventId(n)},${this.customer},${this.session},${this.world.catalog.externalId[j]},${placementName},${pos},${formatTimestamp(at)},${p.toPrecision(5)}`,
      );
    }
    const c = viewProbability(p, placement);
    const rng = this.rng;
    if (!direct && rng.next() >= c) return false;
    let t = at;
    if (!direct) {
      t += rng.uniform(2, 20) * 1000;
      this.event(j, 'view', placementName, pos, t);
    }
    const step = Math.cbrt(p / c);
    if (rng.next() < step) {
      t += rng.uniform(3, 30) * 1000;
      this.event(j, 'click', placementName, pos, t);
      if (rng.next() < step) {
        t += rng.uniform(5, 60) * 1000;
        this.event(j, 'add_to_cart', placementName, pos, t);
        if (rng.next() < step) this.purchases.push({ product: j, unitPrice });
      }
    }
    return true;
  }

  /** Writes one event row and returns its number. */
  private event(j: number, type: string, placement: string, position: string, at: number): number {
    const n = this.nextEvent++;
    if (at > this.lastEventAt) this.lastEventAt = at;
    this.out.events.row(
      `${eventId(n)},${this.customer},${this.session},${this.world.catalog.externalId[j]},${type},${placement},${position},${formatTimestamp(at)}`,
    );
    this.counts.events++;
    return n;
  }

  /** Writes the day's orders in time order (ids follow time), duplicates and planted anomalies included. */
  private flushOrders(): void {
    const orders = this.dayOrders.sort((a, b) => a.at - b.at);
    for (const o of orders) {
      const oid = orderId(this.nextOrder++);
      const cust = o.customer >= 0 ? customerId(this.world, o.customer) : '';
      const at = formatTimestamp(o.at);
      o.lines.forEach((l, k) => {
        const row = `${oid},${k + 1},${cust},${this.world.catalog.externalId[l.product]},${l.quantity},${l.unitPrice.toFixed(2)},${at},${o.status}`;
        this.out.orders.row(row);
        this.counts.orderRows++;
        if (l.duplicated) {
          this.out.orders.row(row);
          this.counts.orderRows++;
        }
      });
      this.counts.orders++;
      if (o.customer < 0) this.counts.guestOrders++;
      if (o.brushing) {
        const kind = this.world.brushing.find((e) => e.id === o.brushing)?.kind ?? '';
        this.out.anomalies.row(
          [o.brushing, kind, oid, cust, this.world.catalog.externalId[o.lines[0].product], at].map(csvField).join(','),
        );
        this.counts.brushingOrders++;
      }
    }
    this.dayOrders = [];
  }
}

/** Shopper indices grouped by a day (CSR); a key outside [0, days) drops the shopper. */
function bucketByDay(days: number, n: number, key: (i: number) => number) {
  const start = new Int32Array(days + 2);
  for (let i = 0; i < n; i++) {
    const d = key(i);
    if (d >= 0 && d < days) start[d + 1]++;
  }
  for (let d = 0; d <= days; d++) start[d + 1] += start[d];
  const fill = start.slice();
  const items = new Int32Array(start[days]);
  for (let i = 0; i < n; i++) {
    const d = key(i);
    if (d >= 0 && d < days) items[fill[d]++] = i;
  }
  return { start, items };
}
