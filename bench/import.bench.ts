// Import throughput benchmark (npm run bench:import [-- --size large]). Prints figures; not a test.
//
// For each shop size (default: medium, ≈1M events; `--size large` or BENCH_SIZES=medium,large adds
// large, ≈10M events):
//  1. Generates the shop with generateShop into .data/bench-shops/<size>-<seed>/ in a child process,
//     or reuses it when a previous run completed it (`--regenerate` forces a new one).
//  2. Creates a fresh PostgreSQL database (shelfwise_bench_<random>, dropped at the end) and one
//     merchant, then imports products, customers, orders and events through importFile
//     (src/modules/imports/import.service.ts), with the configured batch size. The file is read
//     directly with fs.createReadStream in chunks of the staged-upload chunk size (CHUNK_BYTES, 4 MiB;
//     `--chunk-kib N` to change it); the job system instead reads the staged upload back from the
//     database chunk by chunk, which this benchmark does not exercise. A CHECKPOINT runs
//     before each file. Timed: importFile from call to return. RSS of this process is sampled every
//     100 ms during each import; raw-SQL time is summed per statement kind.
//  3. Raw COPY baseline: "EventCopyBench" is created LIKE "Event" INCLUDING ALL (same columns,
//     defaults, primary key and the same four indexes; no foreign keys, which LIKE does not copy).
//     The imported events are exported (untimed) with their internal ids, in id order, to a CSV;
//     after a CHECKPOINT, only `psql -c "\copy \"EventCopyBench\" (…) FROM '<csv>' CSV"` is timed
//     (psql start-up and connection included, a few ms). The same COPY is then timed into
//     "EventCopyBenchFk", which adds "Event"'s three foreign keys (customer, product, placement), as a
//     second reference: the import pays those checks too. That one runs only up to FK_COPY_MAX_ROWS
//     (BENCH_COPY_FK=1 forces it): one COPY statement queues three after-trigger events per row
//     until it ends, so on 10M rows it measures the trigger queue more than the checks (a trial
//     took 419 s, against 127 s without the keys and 326 s for the batched import).
//
// `--analyze` (BENCH_ANALYZE=1) runs an untimed ANALYZE after each of products, customers and orders,
// to show what planner statistics change: the benchmark database's tables start without any, and
// autovacuum may be off (it is on the machines this was written on) or slow to get there.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config/config';
import type { Database } from '../src/db/database';
import { logger } from '../src/logger';
import { importFile, ImportResult } from '../src/modules/imports/import.service';
import { CHUNK_BYTES } from '../src/modules/uploads/upload.service';
import { flag, numberFlag } from './lib/args';
import { adminQuery, createBenchDatabase } from './lib/bench-db';
import { psql, quoteLiteral } from './lib/psql';
import { RssSampler } from './lib/rss-sampler';
import { completeShop, SHOP_FILES, ShopFile, shopDir } from './lib/shop-files';
import { fmt, markdownTable, mb } from './lib/stats';
import { SqlTimer, StatementTime } from './lib/timed-sql';

const FK_COPY_MAX_ROWS = 2_000_000;
const EVENT_COLUMNS = '"merchantId", "externalId", "customerId", "sessionId", "productId", "type", "placementId", "position", "occurredAt"';

interface FileRun {
  kind: ShopFile;
  bytes: number;
  result: ImportResult;
  ms: number;
  rssStart: number;
  rssPeak: number;
  cpuMs: number;
  sql: StatementTime[];
}

interface CopyRun { rows: number; ms: number; fkMs?: number; exportMs: number; eventBytes: number; copyBytes: number }

interface SizeRun { size: string; dir: string; generatedMs?: number; reused: boolean; files: FileRun[]; copy: CopyRun }

function requestedSizes(): string[] {
  const raw = flag('size') ?? process.env.BENCH_SIZES ?? 'medium';
  const list = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  // `--size large` means "large too": medium stays the reference point.
  if (list.includes('large') && !list.includes('medium')) list.unshift('medium');
  return list;
}

async function main(): Promise<number> {
  logger.level = 'silent';
  const sizes = requestedSizes();
  const seed = numberFlag('seed', process.env.BENCH_SEED, 1);
  const regenerate = process.argv.includes('--regenerate');
  const chunkBytes = Math.round(numberFlag('chunk-kib', process.env.BENCH_CHUNK_KIB, CHUNK_BYTES / 1024) * 1024);
  const analyze = process.argv.includes('--analyze') || process.env.BENCH_ANALYZE === '1';
  const config = parseConfig();
  const batchSize = config.importBatchSize;
  console.log('# Import benchmark\n');
  const [pgInfo] = await adminQuery<{ version: string; autovacuum: string }>(`SELECT current_setting('server_version') AS version, current_setting('autovacuum') AS autovacuum`);
  console.log(`sizes ${sizes.join(', ')} · seed ${seed} · batch size ${fmt(batchSize)} · read chunks ${fmt(chunkBytes / 1024)} KiB · PostgreSQL ${pgInfo.version} (autovacuum ${pgInfo.autovacuum}) · ` +
    `${analyze ? 'ANALYZE after products, customers and orders (--analyze)' : 'no ANALYZE between files (default)'} · node ${process.version} · ${os.cpus().length} cores · ` +
    `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}${global.gc ? '' : ' · (run with --expose-gc for a GC before each file)'}`);

  const runs: SizeRun[] = [];
  let failed = false;
  for (const size of sizes) {
    const dir = shopDir(process.cwd(), size, seed);
    let summary = regenerate ? undefined : completeShop(dir);
    let generatedMs: number | undefined;
    if (summary) {
      console.log(`\n## ${size}: reusing ${dir}`);
    } else {
      console.log(`\n## ${size}: generating into ${dir}`);
      const t0 = performance.now();
      await generate(size, seed, dir);
      generatedMs = performance.now() - t0;
      summary = completeShop(dir);
      if (!summary) throw new Error(`generator finished but ${dir} is incomplete`);
      console.log(`  generated in ${fmt(generatedMs / 1000, 1)} s`);
    }
    const run = await benchSize(size, dir, { batchSize, chunkBytes, analyze });
    runs.push({ ...run, generatedMs, reused: generatedMs === undefined });
    if (run.files.some((f) => f.result.rowsWritten === 0)) failed = true;
  }

  console.log('\n## Results\n');
  console.log(markdownTable(
    ['shop', 'file', 'size', 'rows read', 'written', 'failed', 'time', 'rows/s', 'MB/s', 'node CPU', 'RSS start → peak'],
    runs.flatMap((r) => r.files.map((f) => [
      r.size, `${f.kind}.csv`, mb(f.bytes), fmt(f.result.rowsRead), fmt(f.result.rowsWritten), fmt(f.result.rowsFailed),
      `${fmt(f.ms / 1000, 1)} s`, fmt(f.result.rowsRead / (f.ms / 1000)), fmt(f.bytes / 2 ** 20 / (f.ms / 1000), 1),
      `${fmt((f.cpuMs / f.ms) * 100)}%`, `${mb(f.rssStart)} → ${mb(f.rssPeak)}`,
    ])),
  ));
  console.log();
  console.log(markdownTable(
    ['shop', 'events', 'importFile events rows/s', 'COPY rows/s', 'import ÷ COPY', 'goal ≥ 0.3×', 'COPY + FKs rows/s', 'import ÷ COPY + FKs', 'peak RSS (all four imports)', 'goal < 1 GB'],
    runs.map((r) => {
      const ev = r.files.find((f) => f.kind === 'events')!;
      const importRate = ev.result.rowsWritten / (ev.ms / 1000);
      const copyRate = r.copy.rows / (r.copy.ms / 1000);
      const fkRate = r.copy.fkMs === undefined ? NaN : r.copy.rows / (r.copy.fkMs / 1000);
      const peak = Math.max(...r.files.map((f) => f.rssPeak));
      return [r.size, fmt(ev.result.rowsWritten), fmt(importRate), fmt(copyRate), `${fmt(importRate / copyRate, 2)}×`,
        importRate / copyRate >= 0.3 ? 'met' : 'not met', r.copy.fkMs === undefined ? 'skipped' : fmt(fkRate), r.copy.fkMs === undefined ? '–' : `${fmt(importRate / fkRate, 2)}×`, mb(peak), peak < 2 ** 30 ? 'met' : 'not met'];
    }),
  ));
  for (const r of runs) {
    for (const f of r.files.filter((x) => x.kind === 'events' || x.ms >= 5000)) {
      console.log(`\n${r.size} ${f.kind}: raw-SQL time by statement (time from send to result; batches written in parallel and ` +
        `the event loop being busy parsing both count, so the sum can exceed the wall time):\n`);
      console.log(markdownTable(['statement', 'calls', 'total', 'share of import wall time', 'mean per call'],
        f.sql.map((s) => [s.label, fmt(s.calls), `${fmt(s.ms / 1000, 1)} s`, `${fmt((s.ms / f.ms) * 100)}%`, `${fmt(s.ms / s.calls, 1)} ms`])));
    }
    console.log(`\n${r.size}: COPY of ${fmt(r.copy.rows)} rows took ${fmt(r.copy.ms / 1000, 1)} s into "EventCopyBench" (LIKE "Event" INCLUDING ALL: same columns and indexes, no FKs) and ` +
      (r.copy.fkMs === undefined ? `was not timed into "EventCopyBenchFk" (over ${fmt(FK_COPY_MAX_ROWS)} rows; BENCH_COPY_FK=1 forces it)` : `${fmt(r.copy.fkMs / 1000, 1)} s into "EventCopyBenchFk" (the same plus "Event"'s three foreign keys)`) + `; the untimed export of the id-resolved CSV took ` +
      `${fmt(r.copy.exportMs / 1000, 1)} s. "Event" after the import: ${mb(r.copy.eventBytes)} with indexes; "EventCopyBench" after COPY: ${mb(r.copy.copyBytes)}.` +
      (r.generatedMs !== undefined ? ` Generating the shop took ${fmt(r.generatedMs / 1000, 1)} s.` : ''));
    for (const f of r.files) {
      if (f.result.errorCount) console.log(`${r.size} ${f.kind}: ${fmt(f.result.errorCount)} row errors, first: ${f.result.errors.slice(0, 3).map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
    }
  }
  return failed ? 1 : 0;
}

async function benchSize(size: string, dir: string, { batchSize, chunkBytes, analyze }: { batchSize: number; chunkBytes: number; analyze: boolean }): Promise<{ size: string; dir: string; files: FileRun[]; copy: CopyRun }> {
  const bench = await createBenchDatabase(10);
  try {
    console.log(`  database ${bench.name}`);
    const merchant = await bench.db.prisma.merchant.create({ data: { name: `bench-${size}` } });
    const timer = new SqlTimer();
    const db = timer.wrap(bench.db);
    const files: FileRun[] = [];
    for (const kind of SHOP_FILES) {
      const file = path.join(dir, `${kind}.csv`);
      const bytes = statSync(file).size;
      global.gc?.();
      await checkpoint(bench.db);
      timer.reset();
      const rss = new RssSampler(100).begin();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let lastReport = t0;
      const result = await importFile({
        db, merchantId: merchant.id, kind, totalBytes: bytes, batchSize,
        source: createReadStream(file, { highWaterMark: chunkBytes }),
        onProgress: (p) => {
          const now = performance.now();
          if (now - lastReport < 10_000) return;
          lastReport = now;
          console.log(`    ${kind}: ${fmt(p.rowsRead)} rows read (${fmt((p.bytesRead / bytes) * 100)}%), ${fmt(p.rowsRead / ((now - t0) / 1000))} rows/s, RSS ${mb(process.memoryUsage().rss)}`);
        },
      });
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const peak = rss.end();
      files.push({ kind, bytes, result, ms, rssStart: rss.start, rssPeak: peak, cpuMs: (cpu.user + cpu.system) / 1000, sql: timer.results() });
      if (analyze && kind !== 'events') await bench.db.sql.exec('ANALYZE');
      console.log(`  ${kind}: ${fmt(result.rowsRead)} rows read, ${fmt(result.rowsWritten)} written, ${fmt(result.rowsFailed)} failed in ` +
        `${fmt(ms / 1000, 1)} s → ${fmt(result.rowsRead / (ms / 1000))} rows/s, peak RSS ${mb(peak)}`);
    }
    const copy = await copyBaseline(bench.db, bench.url, merchant.id);
    console.log(`  COPY baseline: ${fmt(copy.rows)} rows in ${fmt(copy.ms / 1000, 1)} s → ${fmt(copy.rows / (copy.ms / 1000))} rows/s; ` +
      `with the foreign keys ${copy.fkMs === undefined ? `skipped (over ${fmt(FK_COPY_MAX_ROWS)} rows)` : `${fmt(copy.fkMs / 1000, 1)} s → ${fmt(copy.rows / (copy.fkMs / 1000))} rows/s`} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    return { size, dir, files, copy };
  } finally {
    await bench.drop();
  }
}

async function copyBaseline(db: Database, url: string, merchantId: number): Promise<CopyRun> {
  await db.sql.exec(`CREATE TABLE "EventCopyBench" (LIKE "Event" INCLUDING ALL)`);
  await db.sql.exec(`CREATE TABLE "EventCopyBenchFk" (LIKE "Event" INCLUDING ALL);
    ALTER TABLE "EventCopyBenchFk"
      ADD FOREIGN KEY ("customerId") REFERENCES "Customer"(id) ON DELETE CASCADE,
      ADD FOREIGN KEY ("productId") REFERENCES "Product"(id) ON DELETE CASCADE,
      ADD FOREIGN KEY ("placementId") REFERENCES "Placement"(id) ON DELETE SET NULL`);
  const csv = path.join(os.tmpdir(), `shelfwise-bench-events-${randomBytes(4).toString('hex')}.csv`);
  try {
    const exported = await psql(url, `\\copy (SELECT ${EVENT_COLUMNS} FROM "Event" WHERE "merchantId" = ${Number(merchantId)} ORDER BY id) TO ${quoteLiteral(csv)} WITH (FORMAT csv)`);
    const timedCopy = async (table: string) => {
      await checkpoint(db);
      return (await psql(url, `\\copy "${table}" (${EVENT_COLUMNS}) FROM ${quoteLiteral(csv)} WITH (FORMAT csv)`)).ms;
    };
    const ms = await timedCopy('EventCopyBench');
    const [c] = await db.sql.query<{ n: number; ev: number; cp: number }>(
      `SELECT (SELECT count(*) FROM "EventCopyBench")::int AS n,
        pg_total_relation_size('"Event"') AS ev, pg_total_relation_size('"EventCopyBench"') AS cp`);
    let fkMs: number | undefined;
    if (c.n <= FK_COPY_MAX_ROWS || process.env.BENCH_COPY_FK === '1') {
      fkMs = await timedCopy('EventCopyBenchFk');
      const [fk] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "EventCopyBenchFk"`);
      if (fk.n !== c.n) throw new Error(`COPY row counts differ: ${c.n} vs ${fk.n}`);
    }
    return { rows: c.n, ms, fkMs, exportMs: exported.ms, eventBytes: c.ev, copyBytes: c.cp };
  } finally {
    rmSync(csv, { force: true });
  }
}

/** Flushes dirty buffers so each timed phase starts from the same state (needs superuser; skipped otherwise). */
async function checkpoint(db: Database) {
  await db.sql.exec('CHECKPOINT').catch(() => undefined);
}

function generate(size: string, seed: number, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'generate-shop.js'), size, String(seed), dir], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generating the ${size} shop failed (exit ${code})`))));
  });
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
