// A pilot run: a few thousand sessions played without writing anything, to learn how many events a
// session of this shop produces on average. buildWorld divides the size's event target by it to set
// visit rates, so every size lands near its target whatever its catalogue and lists look like.
import { HISTORY_DAYS } from './calendar';
import { OrganicTables } from './organic-tables';
import { isActiveOn } from './population';
import { expectedEventsPerExposure, viewProbability } from './purchase-model';
import { AliasTable, type Rng } from './random';
import { SessionBuilder, type ExposureSink } from './session';
import type { World } from './types';

class CountingSink implements ExposureSink {
  events = 0;
  exposures = 0;
  constructor(private readonly rng: Rng) {}
  exposure(_j: number, placement: number, _position: number, _at: number, p: number): boolean {
    this.events += expectedEventsPerExposure(p, placement);
    this.exposures++;
    return this.rng.next() < viewProbability(p, placement);
  }
}

/** Mean expected events per organic session, and per exposure (for launch-slot impressions). */
export function pilotEventRates(world: World, rng: Rng, sessions = 2400): { perSession: number; perExposure: number } {
  const tables = new OrganicTables(world);
  const builder = new SessionBuilder(world, tables);
  const sink = new CountingSink(rng);
  const who = new AliasTable(world.population.visitRate);
  const checkpoints = 8;
  const none: number[] = [];
  let played = 0;
  for (let c = 0; c < checkpoints; c++) {
    const day = Math.floor(((c + 0.5) * HISTORY_DAYS) / checkpoints);
    tables.rebuild(day);
    for (let s = 0; s < sessions / checkpoints; s++) {
      let shopper = who.sample(rng);
      for (let t = 0; t < 10 && !isActiveOn(world.population, shopper, day); t++) shopper = who.sample(rng);
      builder.run(rng, shopper, day, world.startMs + day * 86_400_000, none, none, sink);
      played++;
    }
  }
  return {
    perSession: sink.events / Math.max(1, played),
    perExposure: sink.exposures > 0 ? sink.events / sink.exposures : 1,
  };
}
