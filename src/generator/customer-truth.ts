// The customer truth: for each known customer, the true rates behind their history and what they will
// buy in the 90 days after the data ends. Expected future orders are computed, not sampled: imaginary
// sessions at stratified future dates (organic lists as of the last day, no new launches) give the
// probability that a session ends in an order (1 − Π(1 − p) over its exposures) and its expected lines
// and units; these are weighted by the seasonal traffic of each stratum and the survival of an
// exponential lifetime (memoryless, so only "alive at the end" matters, not how long they have been).
import { DAY_MS, HISTORY_DAYS, HISTORY_END_MS, trafficFactor } from './calendar';
import { formatTimestamp, type CsvWriter } from './csv-writer';
import { customerId } from './ids';
import { OrganicTables } from './organic-tables';
import { expectedQuantity } from './orders';
import { viewProbability } from './purchase-model';
import { Rng } from './random';
import { SessionBuilder, type ExposureSink } from './session';
import type { World } from './types';
import { COUNTRIES, SEGMENTS } from './vocabulary';

export const CUSTOMER_TRUTH_HEADER = [
  'customer_id', 'true_signup_at', 'censored', 'segment', 'country', 'brushing_account', 'staples', 'visit_rate',
  'order_prob_per_session', 'purchase_rate', 'dropout_rate', 'dropout_at', 'alive_at_end', 'expected_purchases_90d',
  'expected_units_90d',
] as const;

const HORIZON_DAYS = 90;

/** Accumulates a session's expected outcomes instead of drawing them. */
class ExpectationSink implements ExposureSink {
  pNone = 1;
  lines = 0;
  units = 0;
  qty = 1;
  constructor(private readonly rng: Rng) {}
  reset(qty: number): void {
    this.pNone = 1;
    this.lines = 0;
    this.units = 0;
    this.qty = qty;
  }
  exposure(_j: number, placement: number, _position: number, _at: number, p: number): boolean {
    this.pNone *= 1 - p;
    this.lines += p;
    this.units += p * this.qty;
    // Whether the page was opened only steers later recommendations; draw it as the simulation would.
    return this.rng.next() < viewProbability(p, placement);
  }
}

export async function writeCustomerTruth(world: World, out: CsvWriter, onProgress?: (fraction: number) => void): Promise<void> {
  const pop = world.population;
  const rng = Rng.derive(world.seed, 'customer-truth');
  const tables = new OrganicTables(world);
  tables.rebuild(HISTORY_DAYS);
  const builder = new SessionBuilder(world, tables);
  const sink = new ExpectationSink(rng);
  const strata = world.preset.phantomSessions;
  const strataLength = HORIZON_DAYS / strata;
  const noLaunches: number[] = [];

  for (let i = 0; i < pop.customers; i++) {
    const alive = pop.dropoutAt[i] >= HISTORY_END_MS;
    const brushing = pop.brushing[i] === 1;
    let orderProb = 0;
    let expOrders = 0;
    let expUnits = 0;
    if (!brushing && pop.visitRate[i] > 0) {
      const qty = expectedQuantity(world, i);
      for (let s = 0; s < strata; s++) {
        const from = Math.floor(s * strataLength);
        const to = Math.floor((s + 1) * strataLength);
        const offset = from + rng.int(Math.max(1, to - from));
        sink.reset(qty);
        const day = HISTORY_DAYS + offset;
        builder.run(rng, i, day, HISTORY_END_MS + (offset + rng.next()) * DAY_MS, noLaunches, noLaunches, sink);
        const q = 1 - sink.pNone;
        orderProb += q / strata;
        // Expected sessions in the stratum for a customer alive at the end: Σ traffic × survival.
        let sessions = 0;
        for (let d = from; d < to; d++) {
          sessions += pop.visitRate[i] * trafficFactor(HISTORY_DAYS + d) * Math.exp(-pop.dropoutRate[i] * (d + 0.5));
        }
        expOrders += sessions * q;
        expUnits += sessions * sink.units;
      }
    }
    const row = [
      customerId(world, i),
      formatTimestamp(pop.signupAt[i]),
      pop.signupAt[i] < world.startMs ? '1' : '0',
      SEGMENTS[pop.segment[i]],
      COUNTRIES[pop.country[i]][0],
      brushing ? '1' : '0',
      String(pop.stapleStart[i + 1] - pop.stapleStart[i]),
      pop.visitRate[i].toPrecision(4),
      orderProb.toPrecision(4),
      (pop.visitRate[i] * orderProb).toPrecision(4),
      pop.dropoutRate[i].toPrecision(4),
      Number.isFinite(pop.dropoutAt[i]) && !alive ? formatTimestamp(pop.dropoutAt[i]) : '',
      alive ? '1' : '0',
      (alive ? expOrders : 0).toFixed(4),
      (alive ? expUnits : 0).toFixed(4),
    ];
    out.row(row.join(','));
    if ((i & 4095) === 4095) {
      onProgress?.(i / pop.customers);
      await out.ready();
    }
  }
}
