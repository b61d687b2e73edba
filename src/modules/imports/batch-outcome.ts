// What writing one batch produced, for the import's counters.
import type { ImportRowError } from './import.model';

export interface BatchOutcome {
  /** File rows that landed. */
  written: number;
  /** Rows refused at write time (an unknown product), with the file rows each stands for. */
  errors: Array<ImportRowError & { rows: number }>;
  /** Latest ordered_at / occurred_at written, for the merchant's data clock. */
  latest?: string;
}

/**
 * The last row per key (one statement may not upsert the same row twice), sorted by key so that
 * concurrent batches and imports take row locks in the same order and cannot deadlock.
 */
export function lastPerKey<T>(rows: readonly T[], keyOf: (r: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) byKey.set(keyOf(r), r);
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}
