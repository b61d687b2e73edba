// Imports a local file through the job system (staged upload → import job), reporting every job
// update until the job finishes. Used by `shelfwise import` and the demo.
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { JobUpdateSubscriber, JobSnapshot } from '../src/jobs/job-updates';
import type { ImportKind } from '../src/modules/imports/import.types';
import { toSnapshot } from '../src/modules/jobs/job.service';
import type { Runtime } from '../src/runtime';

export const FINAL_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export async function importLocalFile(rt: Runtime, merchantId: number, kind: ImportKind, file: string,
  onUpdate: (s: JobSnapshot) => void): Promise<JobSnapshot> {
  const size = statSync(file).size;
  if (size > rt.config.maxUploadBytes) throw new Error(`${file} is ${size} bytes; the upload limit is ${rt.config.maxUploadBytes}`);
  const { uploads, jobs } = rt.services;
  const staged = await uploads.createStaged(merchantId, path.basename(file), kind.endsWith('jsonl') ? 'application/x-ndjson' : 'text/csv');
  await uploads.store(staged.id, createReadStream(file, { highWaterMark: 1 << 20 }));
  const subscriber = new JobUpdateSubscriber(rt.redis.duplicate(), rt.config.queuePrefix);
  const updates = await subscriber.subscribe(merchantId);
  try {
    const row = await jobs.start(merchantId, 'import', { uploadId: staged.id, kind });
    let last: JobSnapshot = { ...toSnapshot(row), publishedAt: Date.now() };
    onUpdate(last);
    for await (const s of updates) {
      if (s.id !== row.id) continue;
      last = s;
      onUpdate(s);
      if (FINAL_STATES.has(s.state)) break;
    }
    return last;
  } finally {
    await updates.return?.();
    await subscriber.close();
  }
}
