// From bytes to raw records for one kind: detects the format, checks the header (or the first
// JSONL objects) against the kind's required columns and throws MalformedFileError before a
// single record is handed on — so a malformed file never writes anything.
import { ByteCounter, sniffSource } from './byte-source';
import { checkRequiredColumns, ColumnNamer, KIND_COLUMNS } from './columns';
import { CsvItem, readCsv } from './csv-reader';
import { MalformedFileError } from './import.errors';
import type { ImportFormat, ImportKind, SourceItem } from './import.model';
import { JsonlItem, readJsonl } from './jsonl-reader';
import { isShopifyHeader, shopifyProducts } from './shopify';

export interface RecordStream { format: ImportFormat; items: AsyncIterable<SourceItem> }

/** How many leading JSONL objects stand in for a header when checking required fields. */
export const JSONL_SAMPLE = 100;

export async function openRecordStream(
  kind: ImportKind, source: AsyncIterable<Buffer | string>, counter: ByteCounter,
): Promise<RecordStream> {
  const sniffed = await sniffSource(source, counter);
  return sniffed.format === 'jsonl' ? jsonlRecords(kind, sniffed.chunks) : csvRecords(kind, sniffed.chunks);
}

async function csvRecords(kind: ImportKind, chunks: AsyncIterable<Buffer>): Promise<RecordStream> {
  const rows = readCsv(chunks);
  const first = await rows.next();
  if (first.done) throw new MalformedFileError('The file is empty');
  if ('error' in first.value) throw new MalformedFileError(`The CSV header could not be read: ${first.value.error}`);
  const header = first.value.values;
  try {
    if (kind === 'products' && isShopifyHeader(header)) {
      const items = shopifyProducts(header, rows);
      return { format: 'shopify_csv', items: await primed(items) };
    }
    return { format: 'csv', items: csvRows(kind, header, rows) };
  } catch (e) {
    await rows.return(undefined);
    throw e;
  }
}

function checkCsvHeader(kind: ImportKind, header: string[], keys: string[]): void {
  const seen = new Set<string>();
  for (const k of keys) {
    if (!k) continue;
    if (seen.has(k)) throw new MalformedFileError(`The CSV header names the column ${k} twice`);
    seen.add(k);
  }
  if (header.length === 1) {
    for (const [sep, name] of [[';', 'semicolons'], ['\t', 'tabs']] as const) {
      if (header[0].includes(sep)) {
        throw new MalformedFileError(`The CSV header has a single column; the file seems to be separated by ${name} — use commas`);
      }
    }
  }
  checkRequiredColumns(kind, seen, 'CSV header');
}

function csvRows(kind: ImportKind, header: string[], rows: AsyncGenerator<CsvItem>): AsyncGenerator<SourceItem> {
  const namer = new ColumnNamer(KIND_COLUMNS[kind].known);
  const keys = header.map((h) => (h.trim() ? namer.key(h) : ''));
  checkCsvHeader(kind, header, keys);
  return (async function* () {
    for await (const item of rows) {
      if ('error' in item) { yield { line: item.line, error: item.error, rows: 1 }; continue; }
      const { values, line } = item;
      if (values.length !== keys.length) {
        if (values.every((v) => v.trim() === '')) continue; // a line of bare commas
        yield { line, error: `row has ${values.length} fields but the header has ${keys.length}`, rows: 1 };
        continue;
      }
      const fields: Record<string, unknown> = {};
      let blank = true;
      for (let i = 0; i < keys.length; i++) {
        const v = values[i];
        if (v !== '') blank = false;
        if (keys[i]) fields[keys[i]] = v;
      }
      if (!blank) yield { line, fields, rows: 1 };
    }
  })();
}

async function jsonlRecords(kind: ImportKind, chunks: AsyncIterable<Buffer>): Promise<RecordStream> {
  const lines = readJsonl(chunks);
  const namer = new ColumnNamer(KIND_COLUMNS[kind].known);
  const sample: JsonlItem[] = [];
  const present = new Set<string>();
  try {
    while (sample.length < JSONL_SAMPLE) {
      const next = await lines.next();
      if (next.done) break;
      const item = next.value;
      if (sample.length === 0 && ('error' in item || !isObject(item.value))) {
        throw new MalformedFileError(`The file is not JSONL: line ${item.line} is not a JSON object${'error' in item ? ` (${item.error})` : ''}`);
      }
      sample.push(item);
      if ('value' in item && isObject(item.value)) for (const k of Object.keys(item.value)) present.add(namer.key(k));
    }
    if (sample.length === 0) throw new MalformedFileError('The file is empty');
    checkRequiredColumns(kind, present, `JSONL file (in its first ${sample.length} lines)`);
  } catch (e) {
    await lines.return(undefined);
    throw e;
  }
  const toRecord = (item: JsonlItem): SourceItem => {
    if ('error' in item) return { line: item.line, error: item.error, rows: 1 };
    if (!isObject(item.value)) return { line: item.line, error: 'line is not a JSON object', rows: 1 };
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item.value)) fields[namer.key(k)] = v;
    return { line: item.line, fields, rows: 1 };
  };
  return {
    format: 'jsonl',
    items: (async function* () {
      for (const item of sample) yield toRecord(item);
      sample.length = 0;
      for await (const item of lines) yield toRecord(item);
    })(),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Starts a generator so errors thrown before its first record (a bad Shopify header) surface
 * now, before the caller writes anything; the first record is replayed.
 */
async function primed(gen: AsyncGenerator<SourceItem>): Promise<AsyncIterable<SourceItem>> {
  const first = await gen.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* gen;
  })();
}
