// Planted order-brushing episodes: a seller (or a fraudster) inflating a long-tail product's sales count
// with many tiny orders in a short window, either from one fresh account or a ring of fresh accounts.
// Anomaly detectors are scored against these; everything else in orders.csv is organic.
import type { Rng } from './random';
import { DAY_MS, HISTORY_DAYS, HISTORY_START_MS } from './calendar';
import type { AccountRequest } from './population';
import type { BrushingEpisode, BrushingKind, Catalog } from './types';

export interface BrushingPlan {
  /** Episodes with `customers` holding indices into `accounts` until the population is built. */
  episodes: BrushingEpisode[];
  accounts: AccountRequest[];
}

/** Plans `count` episodes; alternates kinds so both are always present when count ≥ 2. */
export function planBrushing(rng: Rng, count: number, catalog: Catalog): BrushingPlan {
  const episodes: BrushingEpisode[] = [];
  const accounts: AccountRequest[] = [];
  const sortedPop = Array.from(catalog.popularity).sort((a, b) => a - b);
  const tailCut = sortedPop[Math.floor(0.6 * sortedPop.length)];
  for (let e = 0; e < count; e++) {
    const kind: BrushingKind = e % 2 === 0 ? 'single_customer' : 'ring';
    const startDay = rng.intBetween(30, HISTORY_DAYS - 10);
    const startMs = HISTORY_START_MS + (startDay + rng.next()) * DAY_MS;
    const endMs = startMs + rng.uniform(1, 3) * DAY_MS;
    // A long-tail product already in organic circulation: brushing pushes it up the sales ranking.
    const candidates: number[] = [];
    for (let j = 0; j < catalog.count; j++) {
      if (catalog.organicFromDay[j] <= startDay && catalog.popularity[j] <= tailCut) candidates.push(j);
    }
    const product = candidates.length > 0 ? rng.pick(candidates) : rng.int(catalog.count);
    const nAccounts = kind === 'single_customer' ? 1 : rng.intBetween(4, 9);
    const customers: number[] = [];
    const ordersPerCustomer: number[] = [];
    for (let a = 0; a < nAccounts; a++) {
      customers.push(accounts.length);
      accounts.push({ signupAt: startMs - rng.uniform(0.05, 3) * DAY_MS });
      ordersPerCustomer.push(kind === 'single_customer' ? rng.intBetween(12, 30) : rng.intBetween(2, 5));
    }
    episodes.push({ id: `B${e + 1}`, kind, product, startMs, endMs, customers, ordersPerCustomer });
  }
  return { episodes, accounts };
}

/** Replaces account-request indices by the customer indices the population assigned. */
export function resolveAccounts(episodes: readonly BrushingEpisode[], accountIndex: readonly number[]): BrushingEpisode[] {
  return episodes.map((e) => ({ ...e, customers: e.customers.map((a) => accountIndex[a]) }));
}

/** One planted order: who, what, when. The simulation writes it on its day. */
export interface BrushingOrder {
  episode: string;
  kind: BrushingKind;
  customer: number;
  product: number;
  at: number;
}

/** Every planted order, time-ordered. Drawn from its own stream so it never perturbs the organic data. */
export function brushingOrders(rng: Rng, episodes: readonly BrushingEpisode[]): BrushingOrder[] {
  const out: BrushingOrder[] = [];
  for (const e of episodes) {
    e.customers.forEach((customer, a) => {
      for (let k = 0; k < e.ordersPerCustomer[a]; k++) {
        out.push({ episode: e.id, kind: e.kind, customer, product: e.product, at: rng.uniform(e.startMs, e.endMs) });
      }
    });
  }
  return out.sort((x, y) => x.at - y.at);
}
