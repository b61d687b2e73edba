// A customers record to a row ready for SQL; every column but the key and signup time is an attribute.
import { KIND_COLUMNS } from './columns';
import { attributes, key, timestamp } from './field-parsers';
import type { RawRecord } from './import.model';

export interface CustomerRow {
  line: number;
  rows: number;
  externalId: string;
  /** JSON object text. */
  attributes: string;
  createdAt: string | null;
}

const KNOWN = KIND_COLUMNS.customers.known;

export function validateCustomer(rec: RawRecord): CustomerRow {
  const f = rec.fields;
  return {
    line: rec.line,
    rows: rec.rows,
    externalId: key(f, 'external_id', { required: true })!,
    attributes: attributes(f, KNOWN),
    createdAt: timestamp(f, 'created_at') ?? null,
  };
}
