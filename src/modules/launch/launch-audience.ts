// The launch's audience: every customer scored by the ACTIVE conversion model against the launch's
// products — new products have no history, so the model scores them from their content vectors —
// as P(buys at least one | shown them) = 1 − Π(1 − p). The top customers are stored; expected buyers
// are summed per segment over all customers (customer-value segments when a customer-value model is
// active, else a recency segment from the last order). No active conversion model: no audience, said
// in the plan's payload, never a failed plan.
import { setImmediate as yieldLoop } from 'node:timers/promises';
import type { Database } from '../../db/database';
import type { ConversionModelCache } from '../conversion/conversion-model.cache';
import type { ModelService } from '../models/model.service';
import { ERASED_STAND_IN } from '../customers/erased-stand-in';
import type { StoredAudience, StoredSegment } from './launch-plan.types';

export const MAX_AUDIENCE = 1_000;
const BATCH = 250;
const DAY_MS = 86_400_000;

export interface AudienceOutcome { audience: StoredAudience; members: Array<{ customerId: number; probability: number; segment: string; rank: number }> }

export async function scoreLaunchAudience(deps: { db: Database; conversionModels: ConversionModelCache; models: ModelService },
  merchantId: number, productIds: number[], launchDate: Date, clock: Date): Promise<AudienceOutcome> {
  // The active version from the database, not the cache's few-second view: a job must see a model
  // promoted a moment ago.
  const active = await deps.models.active(merchantId, 'CONVERSION');
  const m = active ? await deps.conversionModels.version(merchantId, active.id) : null;
  if (!m) {
    return { members: [], audience: { available: false, message: 'No active conversion model: train one (trainConversionModel) to get the launch\'s audience', customersScored: 0, modelVersionId: null, customerValueSegments: false, segments: [] } };
  }
  // Products created since the model (or its cache) last looked at the catalogue join it from their content.
  const missing = productIds.filter((id) => !m.productIndex.has(id));
  if (missing.length) await deps.conversionModels.appendProducts(merchantId, m, missing);
  const productIdx = productIds.map((id) => m.productIndex.get(id)).filter((x): x is number => x !== undefined);
  const { segmentOf, fromCustomerValue } = await segments(deps, merchantId, clock);
  const customers = await deps.db.sql.query<{ id: number }>(`SELECT id FROM "Customer" WHERE "merchantId" = $1 AND NOT attributes @> ${ERASED_STAND_IN} ORDER BY id`, [merchantId]);
  const scored: Array<{ customerId: number; probability: number; segment: string }> = [];
  for (let start = 0; start < customers.length; start += BATCH) {
    for (const c of customers.slice(start, start + BATCH)) {
      const idx = m.customerIndex.get(c.id) ?? m.model.customers.count;
      const s = productIdx.length ? m.model.scoreCustomer(idx, productIdx, { placement: 'new_arrivals', time: launchDate.getTime() }) : new Float32Array();
      let none = 1;
      for (const p of s) none *= 1 - p;
      scored.push({ customerId: c.id, probability: 1 - none, segment: segmentOf(c.id) });
    }
    await yieldLoop();
  }
  scored.sort((a, b) => b.probability - a.probability || a.customerId - b.customerId);
  const members = scored.slice(0, MAX_AUDIENCE).map((s, i) => ({ ...s, rank: i + 1 }));
  const bySegment = new Map<string, StoredSegment>();
  for (const s of scored) {
    const g = bySegment.get(s.segment) ?? { segment: s.segment, customers: 0, expectedBuyers: 0, meanProbability: 0, inAudience: 0 };
    g.customers++;
    g.expectedBuyers += s.probability;
    bySegment.set(s.segment, g);
  }
  for (const x of members) bySegment.get(x.segment)!.inAudience++;
  const segs = [...bySegment.values()].map((g) => ({ ...g, meanProbability: g.customers ? g.expectedBuyers / g.customers : 0 }))
    .sort((a, b) => b.expectedBuyers - a.expectedBuyers);
  return {
    members,
    audience: {
      available: true, customersScored: scored.length, modelVersionId: m.versionId, customerValueSegments: fromCustomerValue, segments: segs,
      message: `Scored ${scored.length} customers with conversion model version ${m.version}${productIdx.length < productIds.length ? ` (${productIds.length - productIdx.length} product(s) unknown to it)` : ''}; the top ${members.length} are stored`,
    },
  };
}

/** Customer-value segments of the active model, else recency of the last order at the data clock. */
async function segments(deps: { db: Database; models: ModelService }, merchantId: number, clock: Date) {
  const cv = await deps.models.active(merchantId, 'CUSTOMER_VALUE');
  if (cv) {
    const rows = await deps.db.sql.query<{ customerId: number; segment: string }>(`SELECT "customerId", segment FROM "CustomerValue" WHERE "merchantId" = $1 AND "modelVersionId" = $2`, [merchantId, cv.id]);
    if (rows.length) {
      const map = new Map(rows.map((r) => [r.customerId, r.segment]));
      return { segmentOf: (id: number) => map.get(id) ?? 'prospect', fromCustomerValue: true };
    }
  }
  const rows = await deps.db.sql.query<{ c: number; t: Date }>(`
    SELECT "customerId" AS c, MAX("orderedAt") AS t FROM "Order" WHERE "merchantId" = $1 AND "customerId" IS NOT NULL AND status <> 'CANCELLED' GROUP BY "customerId"`, [merchantId]);
  const last = new Map(rows.map((r) => [r.c, new Date(r.t).getTime()]));
  const now = clock.getTime();
  return {
    segmentOf: (id: number) => {
      const t = last.get(id);
      if (t === undefined) return 'never_ordered';
      const days = (now - t) / DAY_MS;
      return days <= 30 ? 'ordered_30d' : days <= 90 ? 'ordered_90d' : days <= 365 ? 'ordered_365d' : 'lapsed';
    },
    fromCustomerValue: false,
  };
}
