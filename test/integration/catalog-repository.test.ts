// The catalogue's reads on both storage modes: filters, sorts, trailing-sales stats, the
// long-tail and new flags measured on the data clock (or asOf), keyset paging.
import { Readable } from 'node:stream';
import { CatalogService } from '../../src/modules/catalog/catalog.service';
import { CustomerRepository } from '../../src/modules/catalog/customer.repository';
import { OrderRepository } from '../../src/modules/catalog/order.repository';
import { ProductRepository } from '../../src/modules/catalog/product.repository';
import { importFile } from '../../src/modules/imports/import.service';
import { createTestDatabase, STORAGE_KINDS, TestDatabase } from '../helpers/database';

const PRODUCTS = `external_id,title,description,category,brand,price,cost,stock,created_at,launched_at,tags
head,Best seller,"The one everyone buys",Kitchen,Acme,10,4,100,2025-01-01,2025-01-01,
mid,Steady,"Sells now and then",Kitchen,Acme,20,8,10,2025-01-01,2025-01-01,
tail,Rare find,"Hand-made walnut spoon",Kitchen,Woody,30,12,3,2025-01-01,2025-01-01,
fresh,New kettle,"Launched last week",Kitchen,Acme,50,20,40,2026-06-20,2026-06-25,
old,Retired,"Gone",Garden,Other,5,1,0,2024-01-01,2024-01-01,
`;
// Data clock = 2026-07-01 (the latest order). head sells 80 units, mid 15, tail 5 in the last 90 days;
// "old" sold 500 units long before the window; a cancelled order of "tail" does not count.
const ORDERS = `order_id,line_no,customer_id,product_id,quantity,unit_price,ordered_at,status
o1,1,c1,head,80,10,2026-06-01T00:00:00Z,placed
o2,1,c2,mid,15,20,2026-06-15T00:00:00Z,placed
o3,1,c3,tail,5,30,2026-06-20T00:00:00Z,placed
o4,1,c3,tail,50,30,2026-06-21T00:00:00Z,cancelled
o5,1,c4,old,500,5,2025-01-10T00:00:00Z,placed
o6,1,c1,head,1,10,2026-07-01T00:00:00Z,placed
o6,2,c1,head,-1,10,2026-07-01T00:00:00Z,placed
`;

describe.each(STORAGE_KINDS)('the catalogue on %s', (kind) => {
  let db: TestDatabase;
  let catalog: CatalogService;
  let merchantId: number;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    catalog = new CatalogService(db, new ProductRepository(db), new CustomerRepository(db), new OrderRepository(db),
      { longTailHeadShare: 0.8, newProductDays: 30 });
    merchantId = (await db.prisma.merchant.create({ data: { name: 'cat' } })).id;
    for (const [k, text] of [['products', PRODUCTS], ['orders', ORDERS]] as const) {
      await importFile({ db, merchantId, kind: k, source: Readable.from([text]) });
    }
    await catalog.refreshProductStats(merchantId);
  }, 120_000);
  afterAll(async () => { await db?.drop(); });

  const list = (args: Partial<Parameters<CatalogService['listProducts']>[1]> = {}) =>
    catalog.listProducts(merchantId, { first: 50, sort: 'ID', filter: {}, ...args });
  const ext = async (args: Partial<Parameters<CatalogService['listProducts']>[1]> = {}) => (await list(args)).nodes.map((n) => n.externalId);

  it('moves the data clock to the latest imported order', async () => {
    expect((await catalog.shop(merchantId))?.dataNow?.toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });

  it('counts trailing-90-day net units, excluding cancellations and netting returns', async () => {
    const byExt = Object.fromEntries((await list()).nodes.map((n) => [n.externalId, n.unitsSold90d]));
    expect(byExt).toEqual({ head: 80, mid: 15, tail: 5, fresh: 0, old: 0 });
  });

  it('flags as long tail what lies outside the first 80% of units', async () => {
    expect(await ext({ filter: { longTail: false } })).toEqual(['head']);
    expect((await ext({ filter: { longTail: true } })).sort()).toEqual(['fresh', 'mid', 'old', 'tail']);
  });

  it('flags as new what launched within 30 days of the data clock', async () => {
    expect(await ext({ filter: { isNew: true } })).toEqual(['fresh']);
  });

  it('measures the flags at asOf when asked: in January 2025 "old" was the best seller and the 2025 launches were new', async () => {
    const asOf = new Date('2025-01-20T00:00:00Z');
    expect(await ext({ asOf, filter: { longTail: false } })).toEqual(['old']);
    expect(await ext({ asOf, filter: { isNew: true } })).toEqual(['head', 'mid', 'tail']);
  });

  it('sorts by sales and pages with cursors without gaps or repeats', async () => {
    expect(await ext({ sort: 'SALES' })).toEqual(['head', 'mid', 'tail', 'old', 'fresh']);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await list({ sort: 'SALES', first: 2, after });
      seen.push(...page.nodes.map((n) => n.externalId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(['head', 'mid', 'tail', 'old', 'fresh']);
  });

  it('filters by category, brand and text', async () => {
    expect((await ext({ filter: { category: 'Kitchen', brand: 'Acme' } })).sort()).toEqual(['fresh', 'head', 'mid']);
    expect(await ext({ filter: { query: 'walnut' } })).toEqual(['tail']);
    expect(await ext({ filter: { query: '100%_' } })).toEqual([]);
  });

  it('keeps a return linked to the sale it reverses', async () => {
    const order = await catalog.orderByExternalId(merchantId, 'o6');
    expect(order?.lines.map((l) => [l.lineNo, l.quantity, l.returnOfLineNo])).toEqual([[1, 1, null], [2, -1, 1]]);
    expect(order?.total).toBe(0);
  });

  it('never returns another merchant\'s products', async () => {
    const other = (await db.prisma.merchant.create({ data: { name: 'other' } })).id;
    expect((await catalog.listProducts(other, { first: 50, sort: 'ID', filter: {} })).nodes).toEqual([]);
    expect(await catalog.productByExternalId(other, 'head')).toBeNull();
  });
});
