// A products record (CSV, JSONL or a grouped Shopify product) to a row ready for SQL.
import { KIND_COLUMNS } from './columns';
import { attributes, decimal, integer, key, oneOf, tagList, text, timestamp } from './field-parsers';
import type { RawRecord } from './import.model';

export interface ProductRow {
  line: number;
  rows: number;
  externalId: string;
  title: string;
  description: string;
  category: string | null;
  brand: string | null;
  price: string;
  cost: string | null;
  stock: number | null;
  /** JSON object text. */
  attributes: string;
  /** JSON array text. */
  tags: string;
  status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED';
  createdAt: string | null;
  launchedAt: string | null;
}

const STATUS = { active: 'ACTIVE', draft: 'DRAFT', archived: 'ARCHIVED' } as const;
const KNOWN = KIND_COLUMNS.products.known;

export function validateProduct(rec: RawRecord): ProductRow {
  const f = rec.fields;
  return {
    line: rec.line,
    rows: rec.rows,
    externalId: key(f, 'external_id', { required: true })!,
    title: text(f, 'title', { required: true, maxLength: 1000 })!,
    description: text(f, 'description') ?? '',
    category: text(f, 'category', { maxLength: 1000 }) ?? null,
    brand: text(f, 'brand', { maxLength: 1000 }) ?? null,
    price: decimal(f, 'price', { required: true, min: 0 })!,
    cost: decimal(f, 'cost', { min: 0 }) ?? null,
    stock: integer(f, 'stock') ?? null,
    attributes: attributes(f, KNOWN),
    tags: JSON.stringify(tagList(f, 'tags')),
    status: oneOf(f, 'status', STATUS, { default: 'ACTIVE' })!,
    createdAt: timestamp(f, 'created_at') ?? null,
    launchedAt: timestamp(f, 'launched_at') ?? null,
  };
}
