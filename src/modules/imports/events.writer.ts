// Writes a batch of events keyed by (merchant, external id) in one INSERT ... SELECT FROM
// unnest(...) statement, after resolving products (unknown = row error), customers and
// placements (unknown = created) with one query each.
import type { Database } from '../../db/database';
import { BatchOutcome, lastPerKey } from './batch-outcome';
import type { EventRow } from './events.validator';
import { ensureCustomers, ensurePlacements, noteEarliest, pick, ReferenceCache, resolveProducts } from './references';

const INSERT_EVENTS = `
INSERT INTO "Event" ("merchantId", "externalId", "customerId", "sessionId", "productId", "type", "placementId", "position", "occurredAt")
SELECT $1, s.ext, s.customer, s.session, s.product, s.type::"EventType", s.placement, s.position, s.at
FROM unnest($2::text[], $3::int[], $4::text[], $5::int[], $6::text[], $7::int[], $8::int[], $9::timestamptz[])
  AS s(ext, customer, session, product, type, placement, position, at)
ON CONFLICT ("merchantId", "externalId") DO UPDATE SET
  "customerId" = EXCLUDED."customerId", "sessionId" = EXCLUDED."sessionId", "productId" = EXCLUDED."productId",
  "type" = EXCLUDED."type", "placementId" = EXCLUDED."placementId", "position" = EXCLUDED."position",
  "occurredAt" = EXCLUDED."occurredAt"
WHERE ("Event"."customerId", "Event"."sessionId", "Event"."productId", "Event"."type", "Event"."placementId",
       "Event"."position", "Event"."occurredAt")
  IS DISTINCT FROM
      (EXCLUDED."customerId", EXCLUDED."sessionId", EXCLUDED."productId", EXCLUDED."type", EXCLUDED."placementId",
       EXCLUDED."position", EXCLUDED."occurredAt")`;

export async function writeEvents(db: Database, merchantId: number, batch: EventRow[], refs = new ReferenceCache()): Promise<BatchOutcome> {
  const productIds = await refs.resolve(refs.products, batch.map((r) => r.productExt), (keys) => resolveProducts(db, merchantId, keys));
  const errors: BatchOutcome['errors'] = [];
  const known: EventRow[] = [];
  const customersSeen = new Map<string, string>();
  const handles = new Set<string>();
  let latest: string | undefined;
  for (const r of batch) {
    if (!productIds.has(r.productExt)) {
      errors.push({ line: r.line, field: 'product_id', message: `unknown product ${r.productExt}`, rows: r.rows });
      continue;
    }
    known.push(r);
    if (r.customerExt !== null) noteEarliest(customersSeen, r.customerExt, r.occurredAt);
    if (r.placement !== null) handles.add(r.placement);
    if (latest === undefined || r.occurredAt > latest) latest = r.occurredAt;
  }
  if (!known.length) return { written: 0, errors };
  const [customerIds, placementIds] = await Promise.all([
    refs.resolve(refs.customers, customersSeen.keys(), (keys) => ensureCustomers(db, merchantId, pick(customersSeen, keys))),
    refs.resolve(refs.placements, handles, (keys) => ensurePlacements(db, merchantId, keys)),
  ]);
  const rows = lastPerKey(known, (r) => r.externalId);
  const n = rows.length;
  const ext = new Array<string>(n), customer = new Array<number | null>(n), session = new Array<string | null>(n);
  const product = new Array<number>(n), type = new Array<string>(n), placement = new Array<number | null>(n);
  const position = new Array<number | null>(n), at = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    ext[i] = r.externalId;
    customer[i] = r.customerExt === null ? null : customerIds.get(r.customerExt)!;
    session[i] = r.sessionId;
    product[i] = productIds.get(r.productExt)!;
    type[i] = r.type;
    placement[i] = r.placement === null ? null : placementIds.get(r.placement)!;
    position[i] = r.position;
    at[i] = r.occurredAt;
  }
  await db.sql.query(INSERT_EVENTS, [merchantId, ext, customer, session, product, type, placement, position, at]);
  return { written: known.reduce((s, r) => s + r.rows, 0), errors, latest };
}
