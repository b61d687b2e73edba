// Shopify's product export CSV: one row per variant (and per extra image), the product's own
// fields on its first row only, rows of one product consecutive. Each run of rows with the same
// Handle becomes one products record, streamed: only the current product's rows are held.
import type { CsvItem } from './csv-reader';
import { MalformedFileError } from './import.errors';
import type { SourceItem } from './import.model';

const COL = {
  handle: 'handle', title: 'title', body: 'body (html)', vendor: 'vendor', type: 'type',
  category: 'product category', tags: 'tags', price: 'variant price', stock: 'variant inventory qty',
  cost: 'cost per item', status: 'status',
} as const;

/** A Shopify export has Handle and Title plus Shopify's own Body (HTML) or Variant Price columns. */
export function isShopifyHeader(header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.trim().toLowerCase()));
  return names.has(COL.handle) && names.has(COL.title) && (names.has(COL.body) || names.has(COL.price));
}

export async function* shopifyProducts(header: readonly string[], rows: AsyncIterable<CsvItem>): AsyncGenerator<SourceItem> {
  const index = new Map<string, number>();
  header.forEach((h, i) => { const n = h.trim().toLowerCase(); if (!index.has(n)) index.set(n, i); });
  const missing = [COL.handle, COL.title, COL.price].filter((c) => !index.has(c));
  if (missing.length) {
    throw new MalformedFileError(`The Shopify product export lacks the column${missing.length > 1 ? 's' : ''} ${missing.map(titleCase).join(', ')}`);
  }
  const mapped = new Set<number>(Object.values(COL).map((c) => index.get(c)).filter((i): i is number => i !== undefined));
  const col = (values: string[], name: string): string => {
    const i = index.get(name);
    return i === undefined ? '' : (values[i] ?? '').trim();
  };

  let group: { handle: string; line: number; rows: string[][] } | undefined;
  const finish = (): SourceItem => {
    const g = group!;
    group = undefined;
    return { line: g.line, rows: g.rows.length, fields: productFields(g.handle, g.rows, col, header, mapped) };
  };

  for await (const item of rows) {
    if ('error' in item) { yield { line: item.line, error: item.error, rows: 1 }; continue; }
    const { values, line } = item;
    if (values.every((v) => v.trim() === '')) continue;
    if (values.length !== header.length) {
      yield { line, error: `row has ${values.length} fields but the header has ${header.length}`, rows: 1 };
      continue;
    }
    const handle = col(values, COL.handle);
    if (!handle) { yield { line, error: 'Handle is empty', rows: 1 }; continue; }
    if (group && group.handle !== handle) yield finish();
    if (!group) group = { handle, line, rows: [] };
    group.rows.push(values);
  }
  if (group) yield finish();
}

function productFields(
  handle: string, rows: string[][], col: (values: string[], name: string) => string,
  header: readonly string[], mapped: ReadonlySet<number>,
): Record<string, unknown> {
  const first = (name: string) => { for (const r of rows) { const v = col(r, name); if (v) return v; } return ''; };
  let stock: string | number | undefined;
  for (const r of rows) {
    const q = col(r, COL.stock);
    if (!q) continue;
    if (!/^[+-]?\d+$/.test(q)) { stock = q; break; } // reported by the products validator
    stock = (typeof stock === 'number' ? stock : 0) + Number(q);
  }
  const fields: Record<string, unknown> = {};
  // Unknown columns of the product's first row, as written (Shopify's names), go to attributes.
  header.forEach((h, i) => {
    const v = (rows[0][i] ?? '').trim();
    if (!mapped.has(i) && v && h.trim()) fields[h.trim()] = v;
  });
  Object.assign(fields, {
    external_id: handle,
    title: first(COL.title),
    description: htmlToText(first(COL.body)),
    brand: first(COL.vendor),
    category: first(COL.category) || first(COL.type),
    price: first(COL.price),
    cost: first(COL.cost),
    stock,
    tags: first(COL.tags).split(','),
    status: first(COL.status),
  });
  return fields;
}

function titleCase(s: string): string {
  return s.replace(/\b[a-z]/g, (c) => c.toUpperCase()).replace('(Html)', '(HTML)');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“' };

/** Shopify's Body (HTML) as plain text: tags dropped, block ends as line breaks, entities decoded. */
export function htmlToText(html: string): string {
  if (!html) return '';
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(br|\/p|\/div|\/li|\/h[1-6]|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
