// Reading import files: format detection, streaming CSV and JSONL with line numbers, header
// checks, and grouping Shopify exports — all with chunks split at awkward places.
import { detectFormat } from '../../src/modules/imports/byte-source';
import { normalizeColumn } from '../../src/modules/imports/columns';
import { CsvItem, readCsv } from '../../src/modules/imports/csv-reader';
import { MalformedFileError } from '../../src/modules/imports/import.errors';
import type { SourceItem } from '../../src/modules/imports/import.model';
import { readJsonl } from '../../src/modules/imports/jsonl-reader';
import { openRecordStream } from '../../src/modules/imports/record-stream';
import { htmlToText } from '../../src/modules/imports/shopify';

async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('format detection', () => {
  it('tells JSONL from CSV by the first non-blank character', () => {
    expect(detectFormat(Buffer.from('\ufeff \n{"a":1}'))).toBe('jsonl');
    expect(detectFormat(Buffer.from('external_id,title\n'))).toBe('csv');
  });

  it.each([
    [Buffer.from([0x1f, 0x8b, 8, 0]), /gzip/],
    [Buffer.from('PK\u0003\u0004rest'), /ZIP/],
    [Buffer.from('\ufffea\u0000', 'utf16le'), /UTF-16/],
    [Buffer.from([0x61, 0x2c, 0xc3, 0x28]), /not UTF-8/],
    [Buffer.from('a,b\u0000'), /binary/],
    [Buffer.from(' \r\n'), /empty/],
    [Buffer.from('[{"a":1}]'), /JSON array/],
  ])('refuses a file starting with %j', (head, message) => {
    expect(() => detectFormat(head)).toThrow(MalformedFileError);
    expect(() => detectFormat(head)).toThrow(message);
  });

  it('accepts a multi-byte character cut at the end of the sniffed bytes', () => {
    expect(detectFormat(Buffer.from('a,é').subarray(0, 3))).toBe('csv');
  });
});

describe('CSV reading', () => {
  const csv = '\ufeffa,b\r\n1,"x,y"\r\n\r\n"multi\r\nline ✓",2\r\n3,"say ""hi"""\r\n4,5';

  it.each([1, 2, 3, 1000])('gives each row the line it starts on, in %i-byte chunks', async (size) => {
    const rows = await collect(readCsv(chunked(csv, size)));
    expect(rows).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['1', 'x,y'] },
      { line: 4, values: ['multi\r\nline ✓', '2'] },
      { line: 6, values: ['3', 'say "hi"'] },
      { line: 7, values: ['4', '5'] },
    ]);
  });

  it('keeps stray quotes inside unquoted fields as data', async () => {
    const rows = await collect(readCsv(chunked('a,b\n5" screen,"ok"x\n', 4)));
    expect(rows.slice(1)).toEqual([{ line: 2, values: ['5" screen', '"ok"x'] }]);
  });

  it('reports an unclosed quote as an unreadable row after the rows before it', async () => {
    const rows: CsvItem[] = await collect(readCsv(chunked('a,b\n1,2\n"open,3\n4,5\n', 3)));
    expect(rows[1]).toEqual({ line: 2, values: ['1', '2'] });
    expect(rows[2]).toEqual({ line: 3, error: expect.stringMatching(/never closed/) });
    expect(rows).toHaveLength(3);
  });

  it('counts lines the same whatever the line endings, skipping blank and whitespace-only lines', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['a,b', '1,2', '   ', '', '"x', 'y",3', '4,5'].join(eol);
      const rows = await collect(readCsv(chunked(text, 2)));
      expect(rows.map((r) => r.line)).toEqual([1, 2, 5, 7]);
    }
  });
});

describe('JSONL reading', () => {
  it('numbers lines, skips blank ones and survives a BOM or characters split across chunks', async () => {
    const text = '\ufeff{"a":"é✓"}\r\n\n  \n{"b":[1,2]}\nnot json\n{"c":null}';
    for (const size of [1, 2, 5, 100]) {
      const items = await collect(readJsonl(chunked(text, size)));
      expect(items).toEqual([
        { line: 1, value: { a: 'é✓' } },
        { line: 4, value: { b: [1, 2] } },
        { line: 5, error: expect.stringMatching(/^invalid JSON/) },
        { line: 6, value: { c: null } },
      ]);
    }
  });
});

describe('record streams', () => {
  const records = async (kind: 'products' | 'events', text: string) => {
    const stream = await openRecordStream(kind, chunked(text, 4), { bytes: 0 });
    return { format: stream.format, items: await collect(stream.items) as SourceItem[] };
  };

  it('matches header names loosely and keeps unknown columns under their own names', async () => {
    expect(normalizeColumn(' External ID ')).toBe('external_id');
    expect(normalizeColumn('externalId')).toBe('external_id');
    expect(normalizeColumn('launched-at')).toBe('launched_at');
    const { items } = await records('products', 'External ID,Title,PRICE,Pack Size\np1,Knife,3,2\n');
    expect(items).toEqual([{ line: 2, rows: 1, fields: { external_id: 'p1', title: 'Knife', price: '3', 'Pack Size': '2' } }]);
  });

  it('reports rows with the wrong number of fields and skips lines of bare commas', async () => {
    const { items } = await records('products', 'external_id,title,price\np1,Knife\n,,\np2,Fork,1\n');
    expect(items).toEqual([
      { line: 2, rows: 1, error: 'row has 2 fields but the header has 3' },
      { line: 4, rows: 1, fields: { external_id: 'p2', title: 'Fork', price: '1' } },
    ]);
  });

  it('refuses a header naming a column twice', async () => {
    await expect(records('products', 'external_id,title,price,Price\n')).rejects.toThrow(/price twice/);
  });

  it('accepts JSONL when a required field appears in any of the first objects', async () => {
    const { format, items } = await records('events', '{"session_id":"s","product_id":"p","type":"view","occurred_at":"2026-01-01"}\n[1]\n');
    expect(format).toBe('jsonl');
    expect(items[1]).toEqual({ line: 2, rows: 1, error: 'line is not a JSON object' });
  });

  it('groups a Shopify export’s consecutive rows by handle', async () => {
    const csv = 'Handle,Title,Body (HTML),Variant Price,Variant Inventory Qty,Tags,Variant SKU\n' +
      'a,Alpha,<p>x</p>,5,1,"t1, t2",A1\na,,,6,2,,A2\nb,Beta,,7,,,B1\nb,,,8,oops,,B2\nc,Gamma,,9,,,\n';
    const { format, items } = await records('products', csv);
    expect(format).toBe('shopify_csv');
    expect(items).toEqual([
      { line: 2, rows: 2, fields: expect.objectContaining({ external_id: 'a', title: 'Alpha', description: 'x', price: '5', stock: 3, tags: ['t1', ' t2'], 'Variant SKU': 'A1' }) },
      { line: 4, rows: 2, fields: expect.objectContaining({ external_id: 'b', price: '7', stock: 'oops' }) },
      { line: 6, rows: 1, fields: expect.objectContaining({ external_id: 'c', stock: undefined }) },
    ]);
  });

  it('turns Shopify HTML descriptions into plain text', () => {
    expect(htmlToText('<h2>Care</h2><p>Wash &amp; dry&nbsp;<b>cold</b>.<br/>Made in &#x1F1EE;&#127481;</p><script>x()</script>'))
      .toBe('Care\nWash & dry cold.\nMade in 🇮🇹');
  });
});
