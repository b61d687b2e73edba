// A directory of a shop's CSV files (`products.csv`, `customers.csv`, `orders.csv`, `events.csv` — the
// synthetic generator's output, or an export laid out the same way) imported for one merchant in
// dependency order, through the same importers the import job runs. Used by tests and benchmarks.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../db/database';
import { importFile } from './import.service';
import type { ImportKind, ImportResult } from './import.model';

/** File kinds in import order: orders and events refer to products and customers. */
export const SHOP_FILE_KINDS = ['products', 'customers', 'orders', 'events'] as const satisfies readonly ImportKind[];

export async function importDirectory(db: Database, merchantId: number, dir: string,
  kinds: readonly ImportKind[] = SHOP_FILE_KINDS): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const kind of kinds) results.push(await importFile({ db, merchantId, kind, source: createReadStream(path.join(dir, `${kind}.csv`)) }));
  return results;
}
