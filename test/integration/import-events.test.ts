// Events imports and live ingestion against both storage kinds: placements and stub customers
// created on the way, deterministic ids for events without one, progress and cancellation.
import {
  importFile, ImportCancelledError, ImportKind, ImportProgress, ingestEvents,
} from '../../src/modules/imports/import.service';
import { createTestDatabase, STORAGE_KINDS, TestDatabase } from '../helpers/database';

async function* chunked(text: string, size = 11): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const EVENTS_CSV = [
  'event_id,customer_id,session_id,product_id,type,placement,position,occurred_at',
  'e1,c1,,p1,impression,home,0,2026-09-01T10:00:00Z',
  ',c1,,p1,click,home,0,2026-09-01T10:00:05Z',
  ',,s-9,p2,view,,,2026-09-01T11:00:00Z',
  ',c2,,p2,add_to_cart,pdp_recs,3,2026-09-02T08:00:00.250+01:00',
  ',c2,,p2,PURCHASE,,,2026-09-02',
].join('\n') + '\n';

describe.each(STORAGE_KINDS)('events imports on %s', (storage) => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(storage); });
  afterAll(async () => { await db.drop(); });

  const run = (merchantId: number, kind: ImportKind, text: string, batchSize?: number) =>
    importFile({ db, merchantId, kind, source: chunked(text), batchSize });
  const shop = async () => {
    const m = (await db.prisma.merchant.create({ data: { name: 'Shop' } })).id;
    await run(m, 'products', 'external_id,title,price\np1,One,1\np2,Two,2\n');
    await db.prisma.placement.create({ data: { merchantId: m, handle: 'home', name: 'Home page', slots: 8 } });
    return m;
  };
  const events = (merchantId: number) => db.prisma.event.findMany({
    where: { merchantId }, include: { product: true, customer: true, placement: true }, orderBy: { occurredAt: 'asc' },
  });

  it('imports events, creating unknown placements and stub customers', async () => {
    const m = await shop();
    const result = await run(m, 'events', EVENTS_CSV, 2);
    expect(result).toMatchObject({ format: 'csv', rowsRead: 5, rowsWritten: 5, rowsFailed: 0 });
    const es = await events(m);
    expect(es.map((e) => [e.type, e.product.externalId, e.customer?.externalId ?? null, e.sessionId, e.placement?.handle ?? null, e.position, e.occurredAt.toISOString()])).toEqual([
      ['PURCHASE', 'p2', 'c2', null, null, null, '2026-09-02T00:00:00.000Z'],
      ['IMPRESSION', 'p1', 'c1', null, 'home', 0, '2026-09-01T10:00:00.000Z'],
      ['CLICK', 'p1', 'c1', null, 'home', 0, '2026-09-01T10:00:05.000Z'],
      ['VIEW', 'p2', null, 's-9', null, null, '2026-09-01T11:00:00.000Z'],
      ['ADD_TO_CART', 'p2', 'c2', null, 'pdp_recs', 3, '2026-09-02T07:00:00.250Z'],
    ].sort((a, b) => String(a[6]).localeCompare(String(b[6]))));
    expect(es.find((e) => e.type === 'IMPRESSION')!.externalId).toBe('e1');
    expect(es.filter((e) => e.type !== 'IMPRESSION').every((e) => /^[0-9a-f]{32}$/.test(e.externalId))).toBe(true);
    const placements = await db.prisma.placement.findMany({ where: { merchantId: m }, orderBy: { handle: 'asc' } });
    expect(placements.map((p) => [p.handle, p.name, p.slots])).toEqual([['home', 'Home page', 8], ['pdp_recs', null, 10]]);
    const customers = await db.prisma.customer.findMany({ where: { merchantId: m }, orderBy: { externalId: 'asc' } });
    expect(customers.map((c) => [c.externalId, c.attributes])).toEqual([['c1', {}], ['c2', {}]]);
    const merchant = await db.prisma.merchant.findUniqueOrThrow({ where: { id: m } });
    expect(merchant.dataNow?.toISOString()).toBe('2026-09-02T07:00:00.250Z');
  });

  it('collapses the same events re-sent without ids onto the same rows', async () => {
    const m = await shop();
    await run(m, 'events', EVENTS_CSV);
    // The same events as JSONL, with equivalent spellings of the same times and types.
    const jsonl = [
      '{"customer_id":"c1","product_id":"p1","type":"click","placement":"home","position":0,"occurred_at":"2026-09-01T10:00:05.000Z"}',
      '{"customer_id":"c2","product_id":"p2","type":"purchase","occurred_at":"2026-09-02T00:00:00Z"}',
    ].join('\n');
    const result = await run(m, 'events', jsonl);
    expect(result).toMatchObject({ format: 'jsonl', rowsWritten: 2 });
    expect(await db.prisma.event.count({ where: { merchantId: m } })).toBe(5);
  });

  it('reports unknown products and invalid events by line and keeps the rest', async () => {
    const m = await shop();
    const csv = [
      'customer_id,session_id,product_id,type,occurred_at', // 1
      'c1,,p1,view,2026-09-03',                             // 2
      'c1,,nope,view,2026-09-03',                           // 3 unknown product (found at write time)
      ',,p1,view,2026-09-03',                               // 4 no shopper
      'c1,,p1,hover,2026-09-03',                            // 5 bad type
      'c1,,p1,view,yesterday',                              // 6 bad time
      'c1,,p2,click,2026-09-03',                            // 7
    ].join('\n');
    const result = await run(m, 'events', csv, 2);
    expect(result).toMatchObject({ rowsRead: 6, rowsWritten: 2, rowsFailed: 4, errorCount: 4 });
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([[3, 'product_id'], [4, 'customer_id'], [5, 'type'], [6, 'occurred_at']]);
  });

  it('reports progress after each batch and stops between batches when asked', async () => {
    const m = await shop();
    const rows = Array.from({ length: 50 }, (_, i) => `s${i},p1,view,2026-09-04T00:00:${String(i).padStart(2, '0')}Z`);
    const csv = `session_id,product_id,type,occurred_at\n${rows.join('\n')}\n`;
    const seen: ImportProgress[] = [];
    const done = await importFile({ db, merchantId: m, kind: 'events', source: chunked(csv), batchSize: 10, onProgress: (p) => { seen.push(p); } });
    expect(done.rowsWritten).toBe(50);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.at(-1)).toEqual({ bytesRead: Buffer.byteLength(csv), rowsRead: 50, rowsWritten: 50, rowsFailed: 0 });
    const written = seen.map((p) => p.rowsWritten);
    expect([...written].sort((a, b) => a - b)).toEqual(written);

    const other = await shop();
    let calls = 0;
    const cancelled = importFile({ db, merchantId: other, kind: 'events', source: chunked(csv), batchSize: 10, shouldStop: () => ++calls > 2 });
    await expect(cancelled).rejects.toThrow(ImportCancelledError);
    const err = (await cancelled.catch((e: unknown) => e)) as ImportCancelledError;
    const count = await db.prisma.event.count({ where: { merchantId: other } });
    expect(count).toBeLessThan(50);
    expect(count).toBe(err.result.rowsWritten);
  });

  it('throws when the database fails mid-import, and a re-run completes the same data', async () => {
    const m = await shop();
    const rows = Array.from({ length: 40 }, (_, i) => `c${i % 7},p${1 + (i % 2)},view,2026-09-05T00:00:${String(i).padStart(2, '0')}Z`);
    const csv = `customer_id,product_id,type,occurred_at\n${rows.join('\n')}\n`;
    let inserts = 0;
    const flaky = { ...db, sql: { ...db.sql, query: async <T>(text: string, params?: unknown[]) => {
      if (text.includes('INSERT INTO "Event"') && ++inserts === 3) throw new Error('connection terminated');
      return db.sql.query<T>(text, params);
    } } };
    await expect(importFile({ db: flaky, merchantId: m, kind: 'events', source: chunked(csv), batchSize: 5 })).rejects.toThrow('connection terminated');
    expect(await db.prisma.event.count({ where: { merchantId: m } })).toBeLessThan(40);
    const retry = await importFile({ db, merchantId: m, kind: 'events', source: chunked(csv), batchSize: 5 });
    expect(retry).toMatchObject({ rowsWritten: 40, rowsFailed: 0 });
    expect(await db.prisma.event.count({ where: { merchantId: m } })).toBe(40);
    expect(await db.prisma.customer.count({ where: { merchantId: m } })).toBe(7);
  });

  it('ingests live events through the same validation, reporting errors by index', async () => {
    const m = await shop();
    const out = await ingestEvents(db, m, [
      { customerId: 'live-1', productId: 'p1', type: 'view', occurredAt: new Date('2026-10-01T12:00:00Z') },
      { customerId: 'live-1', productId: 'p9', type: 'view', occurredAt: '2026-10-01T12:00:01Z' },
      { sessionId: 's', productId: 'p2', type: 'nap', occurredAt: '2026-10-01T12:00:02Z' },
      { eventId: 'fixed', sessionId: 's', productId: 'p2', type: 'impression', placement: 'live_home', position: 1, occurredAt: '2026-10-01T12:00:03Z' },
    ]);
    expect(out.written).toBe(2);
    expect(out.errors).toEqual([
      { line: 1, field: 'product_id', message: 'unknown product p9' },
      { line: 2, field: 'type', message: expect.stringMatching(/^type must be one of/) },
    ]);
    expect((await events(m)).map((e) => [e.externalId.length, e.customer?.externalId ?? null, e.placement?.handle ?? null])).toEqual([
      [32, 'live-1', null], [5, null, 'live_home'],
    ]);
    expect((await db.prisma.merchant.findUniqueOrThrow({ where: { id: m } })).dataNow?.toISOString()).toBe('2026-10-01T12:00:03.000Z');
    const again = await ingestEvents(db, m, [{ customerId: 'live-1', productId: 'p1', type: 'view', occurredAt: '2026-10-01T12:00:00Z' }]);
    expect(again.written).toBe(1);
    expect(await db.prisma.event.count({ where: { merchantId: m } })).toBe(2);
  });
});
