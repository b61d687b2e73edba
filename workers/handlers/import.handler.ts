// Imports a staged upload. Idempotent: rows are upserted by (merchant, external id), so a retry
// or a re-run after a crash converges on the same data.
import { JobCancelledError, JobInputError } from '../../src/jobs/job-errors';
import { importFile, ImportProgress } from '../../src/modules/imports/import.service';
import { ImportCancelledError, MalformedFileError } from '../../src/modules/imports/import.errors';
import type { ImportKind } from '../../src/modules/imports/import.types';
import { UploadRemovedError } from '../../src/modules/uploads/upload.service';
import type { JobHandler } from '../job-handler';

const ANALYZE_AFTER: Record<ImportKind, string[]> = {
  products: ['Product'],
  customers: ['Customer'],
  orders: ['Order', 'OrderLine', 'Customer'],
  events: ['Event', 'Customer', 'Placement'],
};

export const importHandler: JobHandler<'import'> = async (payload, ctx) => {
  const { uploads, catalog } = ctx.services;
  const upload = await uploads.find(payload.merchantId, payload.uploadId);
  if (!upload?.completedAt) throw new JobInputError('The staged upload has no content: PUT the file to its URL first');
  const totalBytes = Number(upload.sizeBytes);
  await ctx.progress(0, `Reading ${upload.filename}`);
  let result;
  try {
    result = await importFile({
      db: ctx.db, merchantId: payload.merchantId, kind: payload.kind, source: uploads.read(upload.id, totalBytes), totalBytes,
      batchSize: ctx.config.importBatchSize,
      onProgress: (p: ImportProgress) => ctx.progress(totalBytes ? Math.min(0.99, p.bytesRead / totalBytes) : 0,
        `${p.rowsRead.toLocaleString('en')} rows read, ${p.rowsWritten.toLocaleString('en')} written, ${p.rowsFailed.toLocaleString('en')} rejected`),
      shouldStop: ctx.shouldStop,
    });
  } catch (err) {
    if (err instanceof MalformedFileError || err instanceof UploadRemovedError) throw new JobInputError(err.message);
    if (err instanceof ImportCancelledError) throw new JobCancelledError();
    throw err;
  }
  // Fresh planner statistics for what the import grew (autovacuum lags a bulk load, and PGlite has
  // none): lookups by external id in the next import otherwise scan whole tables.
  await ctx.db.sql.query(`ANALYZE ${ANALYZE_AFTER[payload.kind].map((t) => `"${t}"`).join(', ')}`);
  if (payload.kind === 'orders' || payload.kind === 'products') {
    await ctx.progress(0.995, 'Refreshing trailing sales and long-tail flags');
    await catalog.refreshProductStats(payload.merchantId);
  }
  return { __typename: 'ImportResult', ...result } as never;
};
