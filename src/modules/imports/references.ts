// Resolving the merchant's external ids to internal ids, one query per batch and kind for the
// ids not already known to this import. Unknown customers and placements are created on the
// way (a stub with no attributes); unknown products are left out of the map, for the caller
// to report.
import type { Database } from '../../db/database';

interface IdRow { id: number; key: string }

/** Ids resolved so far in one import, so later batches skip the lookups; bounded in size. */
export class ReferenceCache {
  static readonly MAX_ENTRIES = 100_000;
  readonly products = new Map<string, number>();
  readonly customers = new Map<string, number>();
  readonly placements = new Map<string, number>();

  /** Resolved ids for `keys`; `lookup` is asked only for the keys not cached. */
  async resolve(which: Map<string, number>, keys: Iterable<string>, lookup: (missing: string[]) => Promise<Map<string, number>>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing: string[] = [];
    for (const k of keys) {
      if (out.has(k)) continue;
      const id = which.get(k);
      if (id === undefined) missing.push(k); else out.set(k, id);
    }
    if (!missing.length) return out;
    const found = await lookup(missing);
    if (which.size + found.size > ReferenceCache.MAX_ENTRIES) which.clear();
    for (const [k, id] of found) { out.set(k, id); which.set(k, id); }
    return out;
  }
}

export async function resolveProducts(db: Database, merchantId: number, externalIds: Iterable<string>): Promise<Map<string, number>> {
  const keys = [...new Set(externalIds)];
  if (!keys.length) return new Map();
  const rows = await db.sql.query<IdRow>(
    `SELECT "id", "externalId" AS "key" FROM "Product" WHERE "merchantId" = $1 AND "externalId" = ANY($2::text[])`,
    [merchantId, keys]);
  return toMap(rows);
}

/**
 * Ids of the named customers, creating the missing ones. `firstSeen` maps each external id to
 * the earliest time it appears in the batch, used as a new stub's createdAt (its best-known
 * signup time); existing customers are never modified.
 */
export async function ensureCustomers(db: Database, merchantId: number, firstSeen: Map<string, string>): Promise<Map<string, number>> {
  if (!firstSeen.size) return new Map();
  const keys = [...firstSeen.keys()];
  const select = () => db.sql.query<IdRow>(
    `SELECT "id", "externalId" AS "key" FROM "Customer" WHERE "merchantId" = $1 AND "externalId" = ANY($2::text[])`,
    [merchantId, keys]);
  const ids = toMap(await select());
  if (ids.size === keys.length) return ids;
  // Sorted, so two imports creating the same customers lock them in the same order.
  const missing = keys.filter((k) => !ids.has(k)).sort();
  const created = await db.sql.query<IdRow>(
    `INSERT INTO "Customer" ("merchantId", "externalId", "attributes", "createdAt", "updatedAt")
     SELECT $1, s.ext, '{}'::jsonb, s.seen, now() FROM unnest($2::text[], $3::timestamptz[]) AS s(ext, seen)
     ON CONFLICT ("merchantId", "externalId") DO NOTHING
     RETURNING "id", "externalId" AS "key"`,
    [merchantId, missing, missing.map((k) => firstSeen.get(k))]);
  for (const r of created) ids.set(r.key, r.id);
  // Created concurrently by another import since our SELECT: read them now.
  if (ids.size < keys.length) for (const r of await select()) ids.set(r.key, r.id);
  return ids;
}

/** Ids of the named placements, creating unknown handles with default settings. */
export async function ensurePlacements(db: Database, merchantId: number, handles: Iterable<string>): Promise<Map<string, number>> {
  const keys = [...new Set(handles)].sort();
  if (!keys.length) return new Map();
  await db.sql.query(
    `INSERT INTO "Placement" ("merchantId", "handle")
     SELECT $1, h FROM unnest($2::text[]) AS h
     ON CONFLICT ("merchantId", "handle") DO NOTHING`,
    [merchantId, keys]);
  return toMap(await db.sql.query<IdRow>(
    `SELECT "id", "handle" AS "key" FROM "Placement" WHERE "merchantId" = $1 AND "handle" = ANY($2::text[])`,
    [merchantId, keys]));
}

function toMap(rows: IdRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.key, Number(r.id));
  return m;
}

/** Adds `key → time` keeping the earliest time (ISO strings in one format sort as times). */
export function noteEarliest(map: Map<string, string>, key: string, time: string): void {
  const prev = map.get(key);
  if (prev === undefined || time < prev) map.set(key, time);
}

/** The entries of `map` for `keys`. */
export function pick<V>(map: Map<string, V>, keys: string[]): Map<string, V> {
  return new Map(keys.map((k) => [k, map.get(k)!]));
}
