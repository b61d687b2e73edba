// The import pipeline's vocabulary: what a caller gets back and what flows between its stages.
import type { ImportKind } from './import.types';

export type { ImportKind };
export type ImportFormat = 'csv' | 'jsonl' | 'shopify_csv';

/** A row that could not be imported. `line` is the 1-based line of the file where the row starts. */
export interface ImportRowError { line: number; message: string; field?: string }

export interface ImportProgress { bytesRead: number; rowsRead: number; rowsWritten: number; rowsFailed: number }

export interface ImportResult extends ImportProgress {
  kind: ImportKind;
  format: ImportFormat;
  /** The first MAX_REPORTED_ERRORS row errors, in line order. */
  errors: ImportRowError[];
  /** Every row error, including those not listed. */
  errorCount: number;
}

export const MAX_REPORTED_ERRORS = 1000;

/**
 * One record as read from the file, before validation: field values keyed by column name
 * (known columns normalised to snake_case lower case, others as written in the file).
 * `rows` is how many file rows it stands for (a Shopify product spans several).
 */
export interface RawRecord { line: number; fields: Record<string, unknown>; rows: number }

/** A row the reader could not even split into fields (bad quoting, invalid JSON). */
export interface UnreadableRow { line: number; error: string; rows: number }

export type SourceItem = RawRecord | UnreadableRow;

export function isUnreadable(item: SourceItem): item is UnreadableRow {
  return (item as UnreadableRow).error !== undefined;
}

/**
 * One live event (trackEvents mutation, POST /events): the events file's fields in camelCase.
 * snake_case keys (`product_id`, ...) are accepted too, so a JSON body can use the file's names.
 */
export interface EventInput {
  eventId?: string | null;
  customerId?: string | null;
  sessionId?: string | null;
  productId: string;
  /** impression, view, click, add_to_cart or purchase. */
  type: string;
  placement?: string | null;
  position?: number | null;
  occurredAt: string | Date;
}
