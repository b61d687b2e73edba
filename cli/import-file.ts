// Imports a local file through the job system (staged upload → import job), reporting every job
// update until the job finishes. Used by `shelfwise import` and the demo.
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import type { JobSnapshot } from '../src/jobs/job-updates';
import type { ImportKind } from '../src/modules/imports/import.types';
import type { Runtime } from '../src/runtime';

import { followJob } from './follow-job';

export async function importLocalFile(rt: Runtime, merchantId: number, kind: ImportKind, file: string,
  onUpdate: (s: JobSnapshot) => void): Promise<JobSnapshot> {
  const size = statSync(file).size;
  if (size > rt.config.maxUploadBytes) throw new Error(`${file} is ${size} bytes; the upload limit is ${rt.config.maxUploadBytes}`);
  const { uploads, jobs } = rt.services;
  const staged = await uploads.createStaged(merchantId, path.basename(file), /\.jsonl?$/i.test(file) ? 'application/x-ndjson' : 'text/csv');
  await uploads.store(staged.id, createReadStream(file, { highWaterMark: 1 << 20 }));
  return followJob(rt, merchantId, () => jobs.start(merchantId, 'import', { uploadId: staged.id, kind }), onUpdate);
}
