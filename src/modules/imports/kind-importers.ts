// One entry per import kind: how a raw record is validated and how a batch is written.
import type { Database } from '../../db/database';
import type { BatchOutcome } from './batch-outcome';
import { validateCustomer } from './customers.validator';
import { writeCustomers } from './customers.writer';
import { validateEvent } from './events.validator';
import { writeEvents } from './events.writer';
import type { ImportKind, RawRecord } from './import.model';
import { OrderLineValidator, OrderLineRow } from './orders.validator';
import { writeOrderLines } from './orders.writer';
import { validateProduct } from './products.validator';
import { writeProducts } from './products.writer';
import { ReferenceCache } from './references';
import { StatsRefresher } from './table-stats';

export interface KindImporter<Row extends { line: number; rows: number } = { line: number; rows: number }> {
  /** Throws RowError for a bad row. */
  validate(rec: RawRecord): Row;
  /** Whether a batch may end between two rows (an order's consecutive lines stay together). */
  canSplit(prev: Row, next: Row): boolean;
  write(batch: Row[]): Promise<BatchOutcome>;
  /**
   * Batches that may be written concurrently. Events' batches are independent (keys sorted so
   * concurrent upserts lock in one order); orders' return links read other batches' lines,
   * so orders — and the small catalogue kinds — go one batch at a time.
   */
  parallelWrites: number;
}

const always = () => true;

/** Erases the row type: the service only moves rows between validate and write. */
function erase<Row extends { line: number; rows: number }>(importer: KindImporter<Row>): KindImporter {
  return importer as unknown as KindImporter;
}

/**
 * A fresh importer per import: it caches resolved ids for this import's batches, and the
 * orders one numbers lines by position in this file.
 */
export function createImporter(kind: ImportKind, db: Database, merchantId: number): KindImporter {
  const refs = new ReferenceCache();
  switch (kind) {
    case 'products':
      return erase({ validate: validateProduct, canSplit: always, write: (b) => writeProducts(db, merchantId, b), parallelWrites: 1 });
    case 'customers':
      return erase({ validate: validateCustomer, canSplit: always, write: (b) => writeCustomers(db, merchantId, b), parallelWrites: 1 });
    case 'events':
      return erase({ validate: validateEvent, canSplit: always, write: (b) => writeEvents(db, merchantId, b, refs), parallelWrites: 2 });
    case 'orders': {
      const validator = new OrderLineValidator();
      const stats = new StatsRefresher(db, ['Order', 'OrderLine']);
      let lines = 0;
      return erase<OrderLineRow>({
        validate: (rec) => validator.validate(rec),
        canSplit: (prev, next) => prev.orderExt !== next.orderExt,
        write: async (b) => {
          const outcome = await writeOrderLines(db, merchantId, b, refs);
          await stats.written((lines += outcome.written));
          return outcome;
        },
        parallelWrites: 1,
      });
    }
  }
}
