// Keeps the planner's statistics in step with a bulk load. Autovacuum analyzes a table only
// after it has changed by a fraction of its size, long after an import has doubled it; with
// stale row estimates, per-batch statements that read back what was written (orders' return
// links) switch to plans that scan the merchant's whole history, and get slower every batch.
import type { Database } from '../../db/database';

export class StatsRefresher {
  private next: number;

  /** Analyzes `tables` when the rows written reach `first`, then each time they double. */
  constructor(private readonly db: Database, private readonly tables: readonly string[], first = 10_000) {
    this.next = first;
  }

  async written(totalRows: number): Promise<void> {
    if (totalRows < this.next) return;
    while (this.next <= totalRows) this.next *= 2;
    await this.db.sql.query(`ANALYZE ${this.tables.map((t) => `"${t}"`).join(', ')}`);
  }
}
