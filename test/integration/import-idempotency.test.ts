// Importing the same files twice leaves exactly the same data, on both storage kinds: every
// table the imports touch is dumped in full (ids and timestamps included) and compared.
import { importFile, ImportKind } from '../../src/modules/imports/import.service';
import { createTestDatabase, STORAGE_KINDS, TestDatabase } from '../helpers/database';

async function* chunked(text: string, size = 3): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const FILES: Array<[ImportKind, string]> = [
  ['products', 'external_id,title,price,cost,stock,tags,colour\np1,Café mug,8.50,3,10,cup|gift,red\np2,Plate,4,,,,\n'],
  ['products', 'Handle,Title,Body (HTML),Vendor,Type,Tags,Variant Price,Variant Inventory Qty,Cost per item\n' +
    'bowl,Bowl,<b>Deep</b>,Clay,Bowls,"a, b",12,2,5\nbowl,,,,,,13,3,\n'],
  ['customers', '{"external_id":"c1","country":"DE"}\n{"external_id":"c2","created_at":"2025-01-01"}\n'],
  ['orders', 'order_id,customer_id,product_id,quantity,unit_price,ordered_at,status\n' +
    'o1,c1,p1,2,8.5,2026-01-02T03:04:05Z,\no1,c1,p1,-1,8.5,2026-01-02T03:04:05Z,returned\no2,c3,bowl,1,12,2026-01-03,\no2,c3,ghost,1,1,2026-01-03,\n'],
  ['events', 'customer_id,session_id,product_id,type,placement,position,occurred_at\n' +
    'c1,,p1,impression,home,0,2026-01-01T00:00:00Z\nc1,,p1,click,home,0,2026-01-01T00:00:01Z\n,s1,p2,view,,,2026-01-04\nc4,,bowl,purchase,,,2026-01-05\nc4,,bowl,purchase,,,2026-01-05\n'],
];

const TABLES: Array<[string, string]> = [
  ['Product', '"merchantId", "externalId"'], ['Customer', '"merchantId", "externalId"'], ['Order', '"merchantId", "externalId"'],
  ['OrderLine', '"merchantId", "orderId", "lineNo"'], ['Placement', '"merchantId", "handle"'], ['Event', '"merchantId", "externalId"'],
  ['Merchant', '"id"'],
];

describe.each(STORAGE_KINDS)('re-importing on %s', (storage) => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(storage); });
  afterAll(async () => { await db.drop(); });

  const dump = async () => {
    const out: Record<string, unknown[]> = {};
    for (const [table, order] of TABLES) out[table] = await db.sql.query(`SELECT * FROM "${table}" ORDER BY ${order}`);
    return JSON.parse(JSON.stringify(out)) as Record<string, unknown[]>;
  };
  const importAll = async (merchantId: number, batchSize: number) => {
    for (const [kind, text] of FILES) await importFile({ db, merchantId, kind, source: chunked(text), batchSize });
  };

  it('changes nothing when the same files are imported again, whatever the batch size', async () => {
    const m = (await db.prisma.merchant.create({ data: { name: 'Shop' } })).id;
    await importAll(m, 1);
    const first = await dump();
    expect(first.Product).toHaveLength(3);
    expect(first.Event).toHaveLength(4); // the duplicated purchase collapses
    expect(first.OrderLine).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 20)); // so a rewritten updatedAt would differ
    await importAll(m, 2);
    await importAll(m, 5000);
    expect(await dump()).toEqual(first);
  });

  it('gives a second merchant its own copy of the same files', async () => {
    const a = (await db.prisma.merchant.create({ data: { name: 'A' } })).id;
    const b = (await db.prisma.merchant.create({ data: { name: 'B' } })).id;
    await importAll(a, 3);
    await importAll(b, 3);
    const shape = async (merchantId: number) => ({
      products: (await db.prisma.product.findMany({ where: { merchantId }, orderBy: { externalId: 'asc' } })).map((p) => [p.externalId, p.title]),
      lines: await db.prisma.orderLine.count({ where: { merchantId } }),
      events: (await db.prisma.event.findMany({ where: { merchantId }, orderBy: { externalId: 'asc' } })).map((e) => e.externalId),
    });
    expect(await shape(b)).toEqual(await shape(a));
    const crossed = await db.sql.query(`SELECT count(*)::int AS n FROM "Event" e JOIN "Product" p ON p."id" = e."productId" WHERE e."merchantId" <> p."merchantId"`);
    expect(crossed).toEqual([{ n: 0 }]);
  });
});
