// A worker killed in the middle of an import: another worker picks the stalled job up, and the
// job completes once, with every row present exactly once.
import { fork } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { importFile } from '../../src/modules/imports/import.service';
import { handlers } from '../../workers/handlers';
import { startWorkers } from '../../workers/worker-runtime';
import { startTestApp, TestApp, TEST_REDIS_URL } from '../helpers/app';
import { eventsCsv, productsCsv } from '../helpers/fixtures';

const ROWS = 40_000;

async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a worker killed mid-import', () => {
  let app: TestApp;
  afterAll(async () => { await app?.close(); });

  it('is recovered by another worker: the job completes once and no row is duplicated', async () => {
    app = await startTestApp({ config: { importBatchSize: 250 } });
    const m = await app.createMerchant('Crashy');
    await importFile({ db: app.db, merchantId: m.id, kind: 'products', source: Readable.from([productsCsv(50)]) });
    const upload = await app.services.uploads.createStaged(m.id, 'events.csv');
    // Many small chunks so progress (and the kill) lands mid-file.
    const csv = eventsCsv(ROWS, 50);
    const parts: string[] = [];
    for (let i = 0; i < csv.length; i += 64 * 1024) parts.push(csv.slice(i, i + 64 * 1024));
    await app.services.uploads.store(upload.id, Readable.from(parts));

    const child = fork(path.join(__dirname, '../helpers/worker-child.ts'), [], {
      execArgv: ['-r', path.join(__dirname, '../../src/infra/ts-register.js')],
      env: {
        ...process.env, DATABASE_URL: app.db.url, REDIS_URL: TEST_REDIS_URL, SHELFWISE_QUEUE_PREFIX: app.config.queuePrefix,
        SHELFWISE_IMPORT_BATCH_SIZE: '250', LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => { child.once('message', () => resolve()); child.once('exit', (c) => reject(new Error(`worker exited ${c}`))); });

    const job = await app.services.jobs.start(m.id, 'import', { uploadId: upload.id, kind: 'events' });
    try {
      await until(async () => {
        const n = await app.db.prisma.event.count({ where: { merchantId: m.id } });
        return n > 1000 && n < ROWS / 2;
      }, 60_000, 'the child worker to be mid-import');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const writtenBeforeKill = await app.db.prisma.event.count({ where: { merchantId: m.id } });
    expect(writtenBeforeKill).toBeGreaterThan(0);
    expect(writtenBeforeKill).toBeLessThan(ROWS);

    const rescuer = await startWorkers({ ...app, handlers, log: (await import('../../src/logger')).logger, queues: ['import'], lockDuration: 2000, stalledInterval: 1000 });
    try {
      const done = await until(async () => {
        const row = await app.services.jobs.get(m.id, job.id);
        return row && ['COMPLETED', 'FAILED'].includes(row.state) ? row : null;
      }, 90_000, 'the job to finish after the crash');
      expect(done.state).toBe('COMPLETED');
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      expect(done.result).toMatchObject({ rowsRead: ROWS, rowsFailed: 0 });
      const [{ n, distinct }] = await app.db.sql.query<{ n: number; distinct: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT "externalId")::int AS distinct FROM "Event" WHERE "merchantId" = $1`, [m.id]);
      expect(n).toBe(ROWS);
      expect(distinct).toBe(ROWS);
      // Completed once: the row went to COMPLETED and stayed there.
      await new Promise((r) => setTimeout(r, 1500));
      const again = await app.services.jobs.get(m.id, job.id);
      expect(again?.state).toBe('COMPLETED');
      expect(again?.finishedAt?.getTime()).toBe(done.finishedAt?.getTime());
    } finally {
      await rescuer.close();
    }
  }, 180_000);
});
