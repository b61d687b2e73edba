// Orders imports against both storage kinds: lines grouped into orders, returns linked to
// their sales, implicit line numbers, stub customers and the merchant's data clock.
import { importFile, ImportKind } from '../../src/modules/imports/import.service';
import { createTestDatabase, STORAGE_KINDS, TestDatabase } from '../helpers/database';

async function* chunked(text: string, size = 5): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const PRODUCTS = 'external_id,title,price\nknife,Knife,40\nboard,Board,15\nwhisk,Whisk,4\n';

describe.each(STORAGE_KINDS)('orders imports on %s', (storage) => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(storage); });
  afterAll(async () => { await db.drop(); });

  const run = (merchantId: number, kind: ImportKind, text: string, batchSize?: number) =>
    importFile({ db, merchantId, kind, source: chunked(text), batchSize });
  const shopWithProducts = async () => {
    const m = (await db.prisma.merchant.create({ data: { name: 'Shop' } })).id;
    await run(m, 'products', PRODUCTS);
    return m;
  };
  const lines = (merchantId: number) => db.prisma.orderLine.findMany({
    where: { merchantId }, include: { order: true, product: true }, orderBy: [{ order: { externalId: 'asc' } }, { lineNo: 'asc' }],
  });

  it('groups lines into orders whose status, customer and time apply to every line', async () => {
    const m = await shopWithProducts();
    const csv = [
      'order_id,line_no,customer_id,product_id,quantity,unit_price,ordered_at,status',
      'o1,1,c1,knife,1,39.99,2026-03-01T09:00:00Z,',
      'o1,2,c1,board,2,15,2026-03-01T09:05:00Z,cancelled',
      'o2,1,,whisk,3,4,2026-03-02,',
    ].join('\n');
    const result = await run(m, 'orders', csv);
    expect(result).toMatchObject({ rowsRead: 3, rowsWritten: 3, rowsFailed: 0 });
    const orders = await db.prisma.order.findMany({ where: { merchantId: m }, include: { customer: true }, orderBy: { externalId: 'asc' } });
    expect(orders.map((o) => [o.externalId, o.status, o.customer?.externalId ?? null, o.orderedAt.toISOString()])).toEqual([
      ['o1', 'CANCELLED', 'c1', '2026-03-01T09:00:00.000Z'],
      ['o2', 'PLACED', null, '2026-03-02T00:00:00.000Z'],
    ]);
    const ls = await lines(m);
    expect(ls.map((l) => [l.order.externalId, l.lineNo, l.product.externalId, l.quantity, l.unitPrice.toString(), l.orderedAt.toISOString()])).toEqual([
      ['o1', 1, 'knife', 1, '39.99', '2026-03-01T09:00:00.000Z'],
      ['o1', 2, 'board', 2, '15', '2026-03-01T09:00:00.000Z'],
      ['o2', 1, 'whisk', 3, '4', '2026-03-02T00:00:00.000Z'],
    ]);
    // c1 did not exist: a stub customer with no attributes, signed up at its first order.
    const c1 = await db.prisma.customer.findUniqueOrThrow({ where: { merchantId_externalId: { merchantId: m, externalId: 'c1' } } });
    expect(c1.attributes).toEqual({});
    expect(c1.createdAt.toISOString()).toBe('2026-03-01T09:00:00.000Z');
  });

  it('links returns to the sale line of the same order and product, whichever batch holds it', async () => {
    const m = await shopWithProducts();
    const csv = [
      'order_id,product_id,quantity,unit_price,ordered_at',
      'r1,board,-1,15,2026-04-01',   // the return comes first, its sale two batches later
      'r2,knife,1,40,2026-04-02',
      'r1,knife,2,40,2026-04-01',
      'r1,board,1,15,2026-04-01',
      'r3,whisk,-2,4,2026-04-03',    // a return with no sale in its order: unlinked
    ].join('\n');
    const result = await run(m, 'orders', csv, 1);
    expect(result).toMatchObject({ rowsWritten: 5, rowsFailed: 0 });
    const ls = await lines(m);
    const byKey = new Map(ls.map((l) => [`${l.order.externalId}#${l.lineNo}`, l]));
    expect(ls.map((l) => `${l.order.externalId}#${l.lineNo}:${l.product.externalId}:${l.quantity}`)).toEqual([
      'r1#1:board:-1', 'r1#2:knife:2', 'r1#3:board:1', 'r2#1:knife:1', 'r3#1:whisk:-2',
    ]);
    expect(byKey.get('r1#1')!.returnOfId).toBe(byKey.get('r1#3')!.id);
    expect(byKey.get('r3#1')!.returnOfId).toBeNull();
    expect(ls.filter((l) => l.quantity > 0).every((l) => l.returnOfId === null)).toBe(true);
  });

  it('numbers lines by position among their order’s rows even when the order’s rows are apart', async () => {
    const m = await shopWithProducts();
    const csv = [
      'order_id,product_id,quantity,unit_price,ordered_at',
      'a,knife,1,40,2026-05-01',
      'b,board,1,15,2026-05-01',
      'a,whisk,1,4,2026-05-01',
      'a,board,x,15,2026-05-01', // a bad row still takes its position (3), so fixing it renumbers nothing
      'a,board,1,15,2026-05-01',
    ].join('\n');
    const result = await run(m, 'orders', csv, 1);
    expect(result.errors).toEqual([{ line: 5, field: 'quantity', message: 'quantity must be a whole number' }]);
    expect((await lines(m)).map((l) => `${l.order.externalId}#${l.lineNo}:${l.product.externalId}`)).toEqual([
      'a#1:knife', 'a#2:whisk', 'a#4:board', 'b#1:board',
    ]);
  });

  it('reports an unknown product as a row error and writes the order’s other lines', async () => {
    const m = await shopWithProducts();
    const csv = 'order_id,product_id,quantity,unit_price,ordered_at\nu1,knife,1,40,2026-06-01\nu1,ghost,1,9,2026-06-01\nu2,ghost,1,9,2026-06-01\n';
    const result = await run(m, 'orders', csv);
    expect(result).toMatchObject({ rowsRead: 3, rowsWritten: 1, rowsFailed: 2 });
    expect(result.errors).toEqual([
      { line: 3, field: 'product_id', message: 'unknown product ghost' },
      { line: 4, field: 'product_id', message: 'unknown product ghost' },
    ]);
    expect((await db.prisma.order.findMany({ where: { merchantId: m } })).map((o) => o.externalId)).toEqual(['u1']);
  });

  it('advances the merchant’s data clock to the latest order and never moves it back', async () => {
    const m = await shopWithProducts();
    await run(m, 'orders', 'order_id,product_id,quantity,unit_price,ordered_at\nt1,knife,1,40,2026-07-10T12:00:00Z\nt2,knife,1,40,2026-07-01\n');
    const clock = async () => (await db.prisma.merchant.findUniqueOrThrow({ where: { id: m } })).dataNow?.toISOString();
    expect(await clock()).toBe('2026-07-10T12:00:00.000Z');
    await run(m, 'orders', 'order_id,product_id,quantity,unit_price,ordered_at\nt0,knife,1,40,2026-01-01\n');
    expect(await clock()).toBe('2026-07-10T12:00:00.000Z');
  });

  it('keeps two merchants’ orders with the same ids apart', async () => {
    const a = await shopWithProducts();
    const b = await shopWithProducts();
    const csv = 'order_id,customer_id,product_id,quantity,unit_price,ordered_at\nsame,c,knife,1,40,2026-08-01\n';
    await run(a, 'orders', csv);
    await run(b, 'orders', csv.replace('knife,1', 'knife,5'));
    expect((await lines(a)).map((l) => [l.quantity, l.order.merchantId, l.product.merchantId])).toEqual([[1, a, a]]);
    expect((await lines(b)).map((l) => [l.quantity, l.order.merchantId, l.product.merchantId])).toEqual([[5, b, b]]);
    expect(await db.prisma.customer.count({ where: { externalId: 'c', merchantId: { in: [a, b] } } })).toBe(2);
  });
});
