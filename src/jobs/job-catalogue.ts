// The typed job catalogue shared by the API and the workers: every job name is tied to its
// payload type and its queue. Payloads are JSON ids and flags, never rows, Dates or buffers.
// Each capability adds its jobs here and a handler in workers/handlers; the worker refuses to
// boot if a job has no handler.
import type { ImportKind } from '../modules/imports/import.types';

/** One BullMQ queue per workload, so a long training run never delays an import. */
export const QUEUE_NAMES = ['import', 'train', 'score', 'plan'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

interface BasePayload {
  /** Our Job row's id; also the BullMQ job id. */
  jobId: string;
  merchantId: number;
}

export interface JobPayloads {
  import: BasePayload & { uploadId: string; kind: ImportKind };
}

export type JobName = keyof JobPayloads;
export type JobPayload<K extends JobName> = JobPayloads[K];

export interface JobDefinition {
  queue: QueueName;
  /** Attempts before the job is FAILED (BullMQ retries with exponential backoff between). */
  attempts: number;
  description: string;
}

export const JOB_CATALOGUE: { [K in JobName]: JobDefinition } = {
  import: { queue: 'import', attempts: 3, description: 'Bulk import of products, customers, orders or events' },
};

export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];
