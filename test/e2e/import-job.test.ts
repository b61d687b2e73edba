import { collect, startTestApp, TestApp } from '../helpers/app';
import { eventsCsv, productsCsv } from '../helpers/fixtures';

const STAGE = `mutation($f: String!) { stagedUploadCreate(input: { filename: $f }) { stagedUpload { id url method } userErrors { message } } }`;
const START = `mutation($id: ID!, $k: ImportKind!) { startImport(stagedUploadId: $id, kind: $k) { job { id state kind } userErrors { field message code } } }`;
const WATCH = `subscription($id: ID) { jobUpdated(id: $id) { id state progress message attempts error updatedAt
  result { __typename ... on ImportResult { rowsRead rowsWritten rowsFailed errorCount errors { line message } } } } }`;
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];

type Update = { jobUpdated: { id: string; state: string; progress: number; message: string | null; error: string | null; updatedAt: string; result: any }; receivedAt?: number };

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
    const done = collect<Update>(client, WATCH, {}, (u) => { u.receivedAt = Date.now(); updates.push(u); return FINAL.includes(u.jobUpdated.state); });
    await new Promise((r) => setTimeout(r, 200));
    const started = await app.gql(key, START, { id: target.id, k: kind });
    const jobId = started.body.data.startImport.job.id;
    await done;
    return { jobId, updates: updates.filter((u) => u.jobUpdated.id === jobId).map((u) => ({ ...u.jobUpdated, receivedAt: u.receivedAt! })) };
  }

  it('streams every progress step of an import in order, then the final state with its result', async () => {
    await runToEnd('products.csv', productsCsv(40), 'PRODUCTS');
    const { updates } = await runToEnd('events.csv', eventsCsv(6000, 40), 'EVENTS');
    const states = updates.map((u) => u.state);
    expect(states[0]).toBe('PENDING');
    expect(states).toContain('RUNNING');
    expect(states[states.length - 1]).toBe('COMPLETED');
    const progress = updates.map((u) => u.progress);
    // 6,000 rows (≈400 kB) in batches of 100: many steps, never going backwards.
    expect(new Set(progress).size).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    const final = updates[updates.length - 1];
    expect(final.progress).toBe(1);
    expect(final.result).toMatchObject({ __typename: 'ImportResult', rowsRead: 6000, rowsWritten: 6000, rowsFailed: 0 });
    // Delivery delay from the worker's write of each update to its receipt here (a figure, not a goal).
    const delays = updates.map((u) => u.receivedAt - new Date(u.updatedAt).getTime()).sort((x, y) => x - y);
    const p95 = delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.95))];
    console.log(`jobUpdated delivery: ${delays.length} updates, p50 ${delays[Math.floor(delays.length / 2)]} ms, p95 ${p95} ms, max ${delays[delays.length - 1]} ms`);
    expect(delays.length).toBe(updates.length);
  });

  it('cancels a running import at its next step and says so to subscribers', async () => {
    const upload = await app.gql(key, STAGE, { f: 'big.csv' });
    const target = upload.body.data.stagedUploadCreate.stagedUpload;
    await fetch(target.url, { method: 'PUT', body: eventsCsv(60_000, 40, 'p') });
    const client = app.wsClient(key);
    const updates: Update[] = [];
    let jobId = '';
    let cancelled = false;
    const done = collect<Update>(client, WATCH, {}, (u) => {
      updates.push(u);
      if (u.jobUpdated.id === jobId && u.jobUpdated.state === 'RUNNING' && u.jobUpdated.progress > 0 && !cancelled) {
        cancelled = true;
        void app.gql(key, `mutation($id: ID!) { cancelJob(id: $id) { job { state } userErrors { code } } }`, { id: jobId });
      }
      return u.jobUpdated.id === jobId && FINAL.includes(u.jobUpdated.state);
    });
    await new Promise((r) => setTimeout(r, 200));
    const started = await app.gql(key, START, { id: target.id, k: 'EVENTS' });
    jobId = started.body.data.startImport.job.id;
    await done;
    const mine = updates.filter((u) => u.jobUpdated.id === jobId);
    expect(mine[mine.length - 1].jobUpdated.state).toBe('CANCELLED');
    const again = await app.gql(key, `mutation($id: ID!) { cancelJob(id: $id) { job { state } userErrors { code } } }`, { id: jobId });
    expect(again.body.data.cancelJob.userErrors[0].code).toBe('NOT_CANCELLABLE');
  });

  it('refuses an upload over the size limit with 413 and keeps nothing of it', async () => {
    const limit = app.services.uploads.maxBytes;
    (app.services.uploads as unknown as { maxBytes: number }).maxBytes = 1000;
    try {
      const staged = await app.gql(key, STAGE, { f: 'huge.csv' });
      const target = staged.body.data.stagedUploadCreate.stagedUpload;
      const put = await fetch(target.url, { method: 'PUT', body: productsCsv(200) });
      expect(put.status).toBe(413);
      expect(((await put.json()) as { error: string }).error).toMatch(/exceeds the limit of 1000 bytes/);
      const res = await app.gql(key, START, { id: target.id, k: 'PRODUCTS' });
      expect(res.body.data.startImport.userErrors[0].code).toBe('UPLOAD_INCOMPLETE');
    } finally {
      (app.services.uploads as unknown as { maxBytes: number }).maxBytes = limit;
    }
  });

  it('accepts batched storefront events on POST /events and rejects bad ones per event', async () => {
    const m = (await app.services.merchants.authenticate(key))!;
    const sf = await app.services.merchants.createKey(m.merchantId, 'STOREFRONT', 'web');
    const base = app.api.url.replace(/\/graphql$/, '');
    const post = (k: string | null, body: unknown) => fetch(`${base}/events`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(k ? { authorization: `Bearer ${k}` } : {}) }, body: JSON.stringify(body),
    });
    const ok = await post(sf.key, [
      { eventId: 'live-1', productId: 'p1', customerId: 'c1', type: 'impression', placement: 'home', position: 2 },
      { eventId: 'live-2', productId: 'p1', sessionId: 's9', type: 'nonsense' },
    ]);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { accepted: number; errors: Array<{ line: number }> };
    expect(body.accepted).toBe(1);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].line).toBe(1);
    expect((await post(null, [])).status).toBe(401);
    expect((await post(sf.key, { nope: true })).status).toBe(400);
    const stored = await app.db.prisma.event.findFirstOrThrow({ where: { merchantId: m.merchantId, externalId: 'live-1' }, include: { placement: true } });
    expect(stored.placement?.handle).toBe('home');
    expect(stored.position).toBe(2);
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
