// Bulk import of products, customers, orders and events, callable from a job handler.
//
// The file is streamed: parsed record by record, validated row by row, and written in
// batches of set-based upserts keyed by (merchant, external id), so memory stays flat and
// importing the same file twice leaves the same data. While a batch is being written the next
// one is parsed (events: two batches may be in flight, on two connections). Contracts:
//  - a bad row is reported (line-numbered) in the result and never stops the good rows;
//  - a malformed file throws MalformedFileError before anything is written;
//  - `shouldStop()` is checked between batches; when it returns true the import throws
//    ImportCancelledError carrying the partial result (written batches stay: re-running the
//    import finishes the job);
//  - a database failure is thrown as is: the job retries the whole import, which is safe.
import type { Database } from '../../db/database';
import type { BatchOutcome } from './batch-outcome';
import { advanceDataClock } from './data-clock.writer';
import { validateEvent, EventRow } from './events.validator';
import { writeEvents } from './events.writer';
import { RowError } from './field-parsers';
import { ImportCancelledError } from './import.errors';
import { EventInput, ImportKind, ImportProgress, ImportResult, ImportRowError, isUnreadable } from './import.model';
import { ImportTally } from './import-tally';
import { createImporter } from './kind-importers';
import { openRecordStream } from './record-stream';
import { ReferenceCache } from './references';

export { ImportCancelledError, MalformedFileError } from './import.errors';
export type { EventInput, ImportFormat, ImportKind, ImportProgress, ImportResult, ImportRowError } from './import.model';

export const DEFAULT_BATCH_SIZE = 5000;

export interface ImportFileOptions {
  db: Database;
  merchantId: number;
  kind: ImportKind;
  source: AsyncIterable<Buffer | string>;
  /** The file's size, if known; progress fractions are bytesRead / totalBytes. */
  totalBytes?: number;
  /** Rows per write statement (default 5,000). */
  batchSize?: number;
  /** Called between batches (and once at the end), awaited before the next write starts. */
  onProgress?: (p: ImportProgress) => Promise<void> | void;
  /** Checked between batches: true cancels the import (ImportCancelledError). */
  shouldStop?: () => boolean;
}

export async function importFile(opts: ImportFileOptions): Promise<ImportResult> {
  const { db, merchantId, kind } = opts;
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE));
  const counter = { bytes: 0 };
  const { format, items } = await openRecordStream(kind, opts.source, counter);
  const importer = createImporter(kind, db, merchantId);
  const tally = new ImportTally(kind, format);

  type Settled = { ok: BatchOutcome } | { err: unknown };
  const writing: Array<Promise<Settled>> = []; // oldest first, at most importer.parallelWrites
  let batch: Array<{ line: number; rows: number }> = [];
  let readSinceFlush = 0;

  const settleOldest = async () => {
    const done = await writing.shift()!;
    if ('err' in done) throw done.err;
    tally.add(done.ok);
  };
  const settleAll = async () => { while (writing.length) await settleOldest(); };
  /** Between batches: make room for the next write, report, honour cancellation, start it. */
  const flush = async () => {
    while (writing.length >= importer.parallelWrites) await settleOldest();
    await opts.onProgress?.(tally.progress(counter.bytes));
    if (opts.shouldStop?.()) {
      await settleAll();
      await advanceDataClock(db, merchantId, tally.latest);
      throw new ImportCancelledError(tally.result(counter.bytes));
    }
    readSinceFlush = 0;
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    writing.push(importer.write(rows).then((ok) => ({ ok }), (err: unknown) => ({ err })));
  };

  try {
    for await (const item of items) {
      tally.rowsRead += item.rows;
      let row: { line: number; rows: number } | undefined;
      if (isUnreadable(item)) {
        tally.fail({ line: item.line, message: item.error }, item.rows);
      } else {
        try {
          row = importer.validate(item);
        } catch (e) {
          if (!(e instanceof RowError)) throw e;
          tally.fail(rowError(item.line, e), item.rows);
        }
      }
      if (readSinceFlush >= batchSize) {
        // Batches end where the kind allows (an order's lines stay together); a long run of
        // bad rows still reaches a checkpoint, so progress and cancellation keep working.
        const last = batch[batch.length - 1];
        const canEnd = row ? !last || importer.canSplit(last, row) : !last || readSinceFlush >= 2 * batchSize;
        if (canEnd) await flush();
      }
      readSinceFlush += item.rows;
      if (row) batch.push(row);
    }
    await flush();
    await settleAll();
  } catch (e) {
    // Never leave writes running behind a failed import (the job may retry at once).
    await Promise.all(writing);
    throw e;
  }
  await advanceDataClock(db, merchantId, tally.latest);
  await opts.onProgress?.(tally.progress(counter.bytes));
  return tally.result(counter.bytes);
}

/**
 * Live events (trackEvents mutation, POST /events) through the same validation and write path
 * as an events import. Errors' `line` is the event's index in `events`.
 */
export async function ingestEvents(db: Database, merchantId: number, events: EventInput[]): Promise<{ written: number; errors: ImportRowError[] }> {
  const errors: ImportRowError[] = [];
  const rows: EventRow[] = [];
  events.forEach((e, i) => {
    try {
      rows.push(validateEvent({ line: i, fields: eventFields(e), rows: 1 }));
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      errors.push(rowError(i, err));
    }
  });
  let written = 0;
  let latest: string | undefined;
  const refs = new ReferenceCache();
  for (let i = 0; i < rows.length; i += DEFAULT_BATCH_SIZE) {
    const out = await writeEvents(db, merchantId, rows.slice(i, i + DEFAULT_BATCH_SIZE), refs);
    written += out.written;
    for (const { rows: _rows, ...e } of out.errors) errors.push(e);
    if (out.latest !== undefined && (latest === undefined || out.latest > latest)) latest = out.latest;
  }
  await advanceDataClock(db, merchantId, latest);
  return { written, errors: errors.sort((a, b) => a.line - b.line) };
}

function rowError(line: number, e: RowError): ImportRowError {
  return e.field === undefined ? { line, message: e.message } : { line, message: e.message, field: e.field };
}

function eventFields(e: EventInput): Record<string, unknown> {
  const o = e as EventInput & Record<string, unknown>;
  const at = o.occurredAt ?? o.occurred_at;
  return {
    event_id: o.eventId ?? o.event_id,
    customer_id: o.customerId ?? o.customer_id,
    session_id: o.sessionId ?? o.session_id,
    product_id: o.productId ?? o.product_id,
    type: o.type,
    placement: o.placement,
    position: o.position,
    occurred_at: at instanceof Date ? (Number.isNaN(at.getTime()) ? 'invalid date' : at.toISOString()) : at,
  };
}
