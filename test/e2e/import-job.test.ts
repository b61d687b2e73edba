import { collect, startTestApp, TestApp } from '../helpers/app';
import { eventsCsv, productsCsv } from '../helpers/fixtures';

const STAGE = `mutation($f: String!) { stagedUploadCreate(input: { filename: $f }) { stagedUpload { id url method } userErrors { message } } }`;
const START = `mutation($id: ID!, $k: ImportKind!) { startImport(stagedUploadId: $id, kind: $k) { job { id state kind } userErrors { field message code } } }`;
const WATCH = `subscription($id: ID) { jobUpdated(id: $id) { id state progress message attempts error
  result { __typename ... on ImportResult { rowsRead rowsWritten rowsFailed errorCount errors { line message } } } } }`;
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];

type Update = { jobUpdated: { id: string; state: string; progress: number; message: string | null; error: string | null; result: any } };

describe('bulk import as a job, followed live over WebSocket', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    app = await startTestApp({ workers: true, config: { importBatchSize: 100 } });
    ({ key } = await app.createMerchant('Importer'));
  });
  afterAll(async () => { await app?.close(); });

  async function stageAndStart(name: string, body: string, kind: string) {
    const staged = await app.gql(key, STAGE, { f: name });
    const target = staged.body.data.stagedUploadCreate.stagedUpload;
    const put = await fetch(target.url, { method: 'PUT', body });
    expect(put.status).toBe(200);
    const started = await app.gql(key, START, { id: target.id, k: kind });
    expect(started.body.data.startImport.userErrors).toEqual([]);
    return started.body.data.startImport.job as { id: string; state: string };
  }

  async function runToEnd(name: string, body: string, kind: string) {
    const client = app.wsClient(key);
    const staged = await app.gql(key, STAGE, { f: name });
    const target = staged.body.data.stagedUploadCreate.stagedUpload;
    await fetch(target.url, { method: 'PUT', body });
    // Subscribe to all of the merchant's jobs before starting, so no update can be missed.
    const updates: Update[] = [];
    const done = collect<Update>(client, WATCH, {}, (u) => { updates.push(u); return FINAL.includes(u.jobUpdated.state); });
    await new Promise((r) => setTimeout(r, 200));
    const started = await app.gql(key, START, { id: target.id, k: kind });
    const jobId = started.body.data.startImport.job.id;
    await done;
    return { jobId, updates: updates.filter((u) => u.jobUpdated.id === jobId).map((u) => u.jobUpdated) };
  }

  it('streams every progress step of an import in order, then the final state with its result', async () => {
    await runToEnd('products.csv', productsCsv(40), 'PRODUCTS');
    const { updates } = await runToEnd('events.csv', eventsCsv(2000, 40), 'EVENTS');
    const states = updates.map((u) => u.state);
    expect(states[0]).toBe('PENDING');
    expect(states).toContain('RUNNING');
    expect(states[states.length - 1]).toBe('COMPLETED');
    const progress = updates.map((u) => u.progress);
    // 2,000 rows in batches of 100: many steps, never going backwards.
    expect(new Set(progress).size).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    const final = updates[updates.length - 1];
    expect(final.progress).toBe(1);
    expect(final.result).toMatchObject({ __typename: 'ImportResult', rowsRead: 2000, rowsWritten: 2000, rowsFailed: 0 });
  });

  it('delivers the same history to a late subscriber of one job: its current state first', async () => {
    const job = await stageAndStart('products-2.csv', productsCsv(10, 'q'), 'PRODUCTS');
    const client = app.wsClient(key);
    const got = await collect<Update>(client, WATCH, { id: job.id }, (u) => FINAL.includes(u.jobUpdated.state));
    expect(got[0].jobUpdated.id).toBe(job.id);
    expect(got[got.length - 1].jobUpdated.state).toBe('COMPLETED');
  });

  it('reports bad rows with line numbers and still writes the good ones', async () => {
    const csv = productsCsv(5, 'bad') + 'bad-x,No price,,,,,,,,,\nbad-y,Negative,,,,-3,,,,,\n';
    const { updates } = await runToEnd('mixed.csv', csv, 'PRODUCTS');
    const final = updates[updates.length - 1];
    expect(final.state).toBe('COMPLETED');
    expect(final.result.rowsWritten).toBe(5);
    expect(final.result.rowsFailed).toBe(2);
    expect(final.result.errors.map((e: { line: number }) => e.line)).toEqual([7, 8]);
  });

  it('fails a malformed file with a clear message and writes nothing', async () => {
    const before = await app.db.prisma.product.count();
    const { updates } = await runToEnd('wrong.csv', 'sku,name\n1,Pan\n', 'PRODUCTS');
    const final = updates[updates.length - 1];
    expect(final.state).toBe('FAILED');
    expect(final.error).toMatch(/external_id|title|price|header/i);
    expect(await app.db.prisma.product.count()).toBe(before);
  });

  it('leaves the same data when the same file is imported twice', async () => {
    const csv = eventsCsv(500, 40);
    const dump = async () => JSON.stringify(await app.db.sql.query(
      `SELECT "externalId", "customerId", "sessionId", "productId", type, "placementId", position, "occurredAt" FROM "Event" ORDER BY "externalId"`));
    await runToEnd('again.csv', csv, 'EVENTS');
    const first = await dump();
    const counts = [await app.db.prisma.event.count(), await app.db.prisma.customer.count(), await app.db.prisma.placement.count()];
    await runToEnd('again.csv', csv, 'EVENTS');
    expect(await dump()).toBe(first);
    expect([await app.db.prisma.event.count(), await app.db.prisma.customer.count(), await app.db.prisma.placement.count()]).toEqual(counts);
  });

  it('answers startImport with userErrors for an upload that never received its file', async () => {
    const staged = await app.gql(key, STAGE, { f: 'empty.csv' });
    const res = await app.gql(key, START, { id: staged.body.data.stagedUploadCreate.stagedUpload.id, k: 'EVENTS' });
    expect(res.body.data.startImport.job).toBeNull();
    expect(res.body.data.startImport.userErrors[0].code).toBe('UPLOAD_INCOMPLETE');
  });
});
