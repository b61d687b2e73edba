// The columns each kind understands, and how file column names are matched to them.
import { MalformedFileError } from './import.errors';
import type { ImportKind } from './import.model';

export interface KindColumns {
  /** Columns that must be present (in the CSV header; in JSONL, in at least one of the first objects). */
  required: readonly string[];
  /** Groups of which at least one column must be present. */
  requiredOneOf?: readonly (readonly string[])[];
  /** Every column with a meaning; others go to `attributes` or are ignored. */
  known: ReadonlySet<string>;
}

export const KIND_COLUMNS: Record<ImportKind, KindColumns> = {
  products: {
    required: ['external_id', 'title', 'price'],
    known: new Set(['external_id', 'title', 'description', 'category', 'brand', 'price', 'cost', 'stock',
      'created_at', 'launched_at', 'tags', 'status']),
  },
  customers: {
    required: ['external_id'],
    known: new Set(['external_id', 'created_at']),
  },
  orders: {
    required: ['order_id', 'product_id', 'quantity', 'unit_price', 'ordered_at'],
    known: new Set(['order_id', 'line_no', 'customer_id', 'product_id', 'quantity', 'unit_price', 'ordered_at', 'status']),
  },
  events: {
    required: ['product_id', 'type', 'occurred_at'],
    requiredOneOf: [['customer_id', 'session_id']],
    known: new Set(['event_id', 'customer_id', 'session_id', 'product_id', 'type', 'placement', 'position', 'occurred_at']),
  },
};

/** `External ID`, `external-id`, `externalId` and `EXTERNAL_ID` all name `external_id`. */
export function normalizeColumn(name: string): string {
  return name.trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Maps file column names to record keys: a known column under its canonical name, any other
 * under its name as written (trimmed), for `attributes`. Memoised: JSONL repeats keys per row.
 */
export class ColumnNamer {
  private readonly cache = new Map<string, string>();
  constructor(private readonly known: ReadonlySet<string>) {}

  key(name: string): string {
    let k = this.cache.get(name);
    if (k === undefined) {
      const n = normalizeColumn(name);
      k = this.known.has(n) ? n : name.trim();
      if (this.cache.size < 10_000) this.cache.set(name, k);
    }
    return k;
  }
}

/** Throws MalformedFileError naming every required column that is absent. */
export function checkRequiredColumns(kind: ImportKind, present: ReadonlySet<string>, where: string): void {
  const spec = KIND_COLUMNS[kind];
  const problems: string[] = [];
  const absent = spec.required.filter((c) => !present.has(c));
  if (absent.length) problems.push(`lacks required column${absent.length > 1 ? 's' : ''} ${absent.join(', ')}`);
  for (const group of spec.requiredOneOf ?? []) {
    if (!group.some((c) => present.has(c))) problems.push(`needs one of the columns ${group.join(' or ')}`);
  }
  if (problems.length) throw new MalformedFileError(`The ${where} ${problems.join(' and ')} for a ${kind} import`);
}
