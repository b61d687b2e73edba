// Live shopper events (storefront keys): validated per event and written through the same path as
// bulk imports, so exposure plans and launches measure against one feed.
import type { Database } from '../../db/database';
import { ingestEvents } from '../imports/import.service';
import type { EventInput, ImportRowError } from '../imports/import.model';

export const MAX_EVENTS_PER_CALL = 1000;

/** An event as a client sends it; occurredAt defaults to the time it arrives. */
export type LiveEvent = Omit<EventInput, 'occurredAt'> & { occurredAt?: Date | string | null };

export class EventService {
  constructor(private readonly db: Database) {}

  async track(merchantId: number, events: LiveEvent[]): Promise<{ accepted: number; errors: ImportRowError[] }> {
    if (events.length > MAX_EVENTS_PER_CALL) {
      return { accepted: 0, errors: [{ line: 0, message: `At most ${MAX_EVENTS_PER_CALL} events per call; got ${events.length}` }] };
    }
    const now = new Date();
    // GraphQL sends the enum name (PURCHASE); the import format uses lower case.
    const records: EventInput[] = events.map((e) => ({ ...e, type: String(e.type ?? "").toLowerCase(), occurredAt: e.occurredAt ?? now }));
    const { written, errors } = await ingestEvents(this.db, merchantId, records);
    return { accepted: written, errors };
  }
}
