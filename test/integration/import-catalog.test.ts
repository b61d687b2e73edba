// Products and customers imports against both storage kinds: CSV, JSONL and Shopify exports,
// streamed in awkwardly split chunks; bad rows, malformed files and tenant isolation.
import { importFile, ImportKind, MalformedFileError } from '../../src/modules/imports/import.service';
import { createTestDatabase, STORAGE_KINDS, TestDatabase } from '../helpers/database';

/** The text as Buffers of `size` bytes: splits lines, quoted fields and multi-byte characters. */
async function* chunked(text: string, size = 7): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe.each(STORAGE_KINDS)('catalogue imports on %s', (storage) => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(storage); });
  afterAll(async () => { await db.drop(); });

  const newMerchant = async () => (await db.prisma.merchant.create({ data: { name: 'Shop' } })).id;
  const run = (merchantId: number, kind: ImportKind, text: string, batchSize?: number) =>
    importFile({ db, merchantId, kind, source: chunked(text), batchSize });
  const products = (merchantId: number) => db.prisma.product.findMany({ where: { merchantId }, orderBy: { externalId: 'asc' } });

  const PRODUCTS_CSV = [
    'external_id,title,description,category,brand,price,cost,stock,created_at,tags,status,colour',
    'p1,Chef’s knife,"Sharp, 20 cm",Kitchen > Knives,Kuro,49.90,20,12,2026-01-05,knife|steel,active,black',
    'p2,"Board ""XL""","Two\nlines",Kitchen,,15,,,2026-02-01T10:30:00+02:00,,draft,',
    'p3,Whisk,,,,3.5,,,,,,',
  ].join('\n') + '\n';

  it('imports products from CSV with attributes, tags and exact prices', async () => {
    const m = await newMerchant();
    const result = await run(m, 'products', PRODUCTS_CSV);
    expect(result).toMatchObject({ kind: 'products', format: 'csv', rowsRead: 3, rowsWritten: 3, rowsFailed: 0, errorCount: 0, errors: [] });
    expect(result.bytesRead).toBe(Buffer.byteLength(PRODUCTS_CSV));
    const [p1, p2, p3] = await products(m);
    expect(p1).toMatchObject({ externalId: 'p1', title: 'Chef’s knife', description: 'Sharp, 20 cm', category: 'Kitchen > Knives',
      brand: 'Kuro', stock: 12, tags: ['knife', 'steel'], status: 'ACTIVE', attributes: { colour: 'black' }, launchedAt: null });
    expect(p1.price.toString()).toBe('49.9');
    expect(p1.cost?.toString()).toBe('20');
    expect(p1.createdAt.toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(p2).toMatchObject({ title: 'Board "XL"', description: 'Two\nlines', brand: null, cost: null, stock: null, tags: [], status: 'DRAFT', attributes: {} });
    expect(p2.createdAt.toISOString()).toBe('2026-02-01T08:30:00.000Z');
    expect(p3).toMatchObject({ externalId: 'p3', description: '', category: null });
    expect(p3.price.toString()).toBe('3.5');
  });

  it('imports products from JSONL, keeping non-string attributes', async () => {
    const m = await newMerchant();
    const jsonl = [
      '{"external_id":"j1","title":"Mug","price":8,"tags":["cup","gift"],"specs":{"ml":350},"launched_at":"2026-03-01"}',
      '',
      '{"external_id":"j2","title":"Plate","price":"4.25","stock":3}',
    ].join('\r\n');
    const result = await run(m, 'products', jsonl);
    expect(result).toMatchObject({ format: 'jsonl', rowsRead: 2, rowsWritten: 2, rowsFailed: 0 });
    const [j1, j2] = await products(m);
    expect(j1).toMatchObject({ tags: ['cup', 'gift'], attributes: { specs: { ml: 350 } } });
    expect(j1.launchedAt?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(j2.price.toString()).toBe('4.25');
    expect(j2.stock).toBe(3);
  });

  it('groups a Shopify product export by handle into one product each', async () => {
    const m = await newMerchant();
    const csv = [
      'Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Cost per item,Image Src,Status',
      'linen-shirt,Linen shirt,"<p>Soft &amp; light.</p><p>Washable</p>",Nordic,,Shirts,"summer, linen",TRUE,Size,S,LS-S,4,39.00,12.50,http://img/1.jpg,active',
      'linen-shirt,,,,,,,,,M,LS-M,6,41.00,,,',
      'linen-shirt,,,,,,,,,,,,,,http://img/2.jpg,',
      'tote,Tote bag,,Bagz,Apparel > Bags,Bags,,FALSE,Title,Default Title,TB-1,,19.5,,,draft',
    ].join('\n');
    const result = await run(m, 'products', csv);
    expect(result).toMatchObject({ format: 'shopify_csv', rowsRead: 4, rowsWritten: 4, rowsFailed: 0 });
    const [shirt, tote] = await products(m);
    expect(shirt).toMatchObject({ externalId: 'linen-shirt', title: 'Linen shirt', description: 'Soft & light.\nWashable', brand: 'Nordic',
      category: 'Shirts', stock: 10, tags: ['summer', 'linen'], status: 'ACTIVE' });
    expect(shirt.price.toString()).toBe('39');
    expect(shirt.cost?.toString()).toBe('12.5');
    expect(shirt.attributes).toMatchObject({ 'Option1 Name': 'Size', 'Variant SKU': 'LS-S', Published: 'TRUE', 'Image Src': 'http://img/1.jpg' });
    expect(tote).toMatchObject({ externalId: 'tote', category: 'Apparel > Bags', stock: null, status: 'DRAFT', tags: [] });
  });

  it('imports customers with attributes and keeps stubs’ signup time when none is given', async () => {
    const m = await newMerchant();
    const first = await run(m, 'customers', 'external_id,created_at,country,segment\nc1,2025-12-01,DE,vip\nc2,,FR,\n');
    expect(first).toMatchObject({ rowsWritten: 2, rowsFailed: 0 });
    const before = await db.prisma.customer.findUnique({ where: { merchantId_externalId: { merchantId: m, externalId: 'c2' } } });
    await run(m, 'customers', '{"external_id":"c2","country":"FR","vip":true}\n');
    const rows = await db.prisma.customer.findMany({ where: { merchantId: m }, orderBy: { externalId: 'asc' } });
    expect(rows.map((c) => [c.externalId, c.attributes])).toEqual([['c1', { country: 'DE', segment: 'vip' }], ['c2', { country: 'FR', vip: true }]]);
    expect(rows[0].createdAt.toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(rows[1].createdAt).toEqual(before!.createdAt);
  });

  it('reports bad rows with their line numbers while the good rows land', async () => {
    const m = await newMerchant();
    const csv = [
      'external_id,title,price,stock,created_at,status',  // line 1
      'ok1,Fine,1.00,,,',                                  // 2
      'bad-price,Nope,-3,,,',                              // 3
      '"multi',                                            // 4  (a quoted id spanning two lines)
      'line",Fine too,2,5,,',                              // 5
      ',No id,2,,,',                                       // 6
      'bad-stock,X,2,1.5,,',                               // 7
      'short,row',                                         // 8
      'bad-date,X,2,,2026-02-30,',                         // 9
      'bad-status,X,2,,,gone',                             // 10
      'ok2,Last,0,,,',                                     // 11
    ].join('\n');
    const result = await run(m, 'products', csv, 2);
    expect(result).toMatchObject({ rowsRead: 9, rowsWritten: 3, rowsFailed: 6, errorCount: 6 });
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'price'], [6, 'external_id'], [7, 'stock'], [8, undefined], [9, 'created_at'], [10, 'status'],
    ]);
    expect((await products(m)).map((p) => p.externalId)).toEqual(['multi\nline', 'ok1', 'ok2']);
  });

  it.each([
    ['a header without a required column', 'products', 'external_id,title\np1,Knife\n', /lacks required column price/],
    ['a semicolon-separated file', 'products', 'external_id;title;price\np1;Knife;3\n', /semicolons/],
    ['a binary file', 'products', '\u0000\u0001\u0002PK binary', /binary/],
    ['an empty file', 'customers', '\n\n', /empty/],
    ['a JSON array', 'customers', '[{"external_id":"c1"}]', /JSON array/],
    ['JSONL whose first line is not an object', 'customers', '{"external_id":"c1"\n{"external_id":"c2"}\n', /not JSONL/],
    ['JSONL lacking a required field everywhere', 'events', '{"product_id":"p1","type":"view","occurred_at":"2026-01-01"}\n', /customer_id or session_id/],
    ['a Shopify export without prices', 'products', 'Handle,Title,Body (HTML)\nh,T,b\n', /Variant Price/],
  ])('rejects %s and writes nothing', async (_name, kind, text, message) => {
    const m = await newMerchant();
    const attempt = run(m, kind as ImportKind, text);
    await expect(attempt).rejects.toThrow(MalformedFileError);
    await expect(run(m, kind as ImportKind, text)).rejects.toThrow(message);
    expect(await db.prisma.product.count({ where: { merchantId: m } })).toBe(0);
    expect(await db.prisma.customer.count({ where: { merchantId: m } })).toBe(0);
  });

  it('keeps two merchants’ products with the same external ids apart', async () => {
    const a = await newMerchant();
    const b = await newMerchant();
    await run(a, 'products', 'external_id,title,price\nshared,From A,1\n');
    await run(b, 'products', 'external_id,title,price\nshared,From B,2\n');
    expect((await products(a)).map((p) => [p.title, p.price.toString()])).toEqual([['From A', '1']]);
    expect((await products(b)).map((p) => [p.title, p.price.toString()])).toEqual([['From B', '2']]);
  });
});
